"""Records of the result file (回盘) and the rules a result line obeys beyond its field formats.

Rules: `seq` runs 1..count; an `item_ref` repeats only as an `F` line with E08 (the bank's
answer to a duplicate); `S` has an empty reason code and a `done_at`; `F` has a reason code
of REASON_CODES, and `E99` a text (the spec: "other (text says)"). `done_at` is local time, naive.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from .codes import REASON_CODES

__all__ = ["PAID", "FAILED", "ResultLine", "ResultHeader", "ResultFile", "rule_problem"]

PAID, FAILED = "S", "F"


class ResultLine(NamedTuple):
    seq: int
    item_ref: str
    account_no: str
    amount_fen: int
    status: str  # PAID or FAILED
    reason_code: str = ""
    reason_text: str = ""
    bank_txn_id: str = ""
    done_at: datetime.datetime | None = None


@dataclass(frozen=True)
class ResultHeader:
    batch_no: str
    processed_date: datetime.date
    count: int
    total_fen: int


@dataclass(frozen=True)
class ResultFile:
    header: ResultHeader
    lines: list[ResultLine]
    ok_count: int
    ok_fen: int
    fail_count: int
    fail_fen: int
    mac_alg: str
    mac: str

    @property
    def batch_no(self) -> str:
        return self.header.batch_no


def rule_problem(status: str, code: str, text: str, done: bool) -> str | None:
    """Why a line breaks the status/reason rules, or None."""
    if status == PAID:
        if code:
            return "状态为 S（成功）时“失败原因代码”必须为空"
        if not done:
            return "状态为 S（成功）时必须有“完成时间”"
    elif status == FAILED:
        if code not in REASON_CODES:
            return f"状态为 F（失败）时“失败原因代码”应为 {'、'.join(REASON_CODES)} 之一"
        if code == "E99" and not text:
            return "失败原因为 E99（其他）时必须有“失败说明”"
    else:
        return "“状态”应为 S（成功）或 F（失败）"
    return None
