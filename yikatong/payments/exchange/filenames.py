"""File names of the YKT1 contract: `YKT1_<bank_code>_<batch_no>_<P|R|X>.txt`."""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["PAYMENT", "RESULT", "REJECTION", "KINDS", "BATCH_NO_RE", "BANK_CODE_RE", "FileName", "file_name",
           "parse_file_name", "check_batch_no", "check_bank_code"]

PAYMENT, RESULT, REJECTION = "P", "R", "X"
KINDS = {PAYMENT: "代发明细", RESULT: "回盘", REJECTION: "整批拒收"}
# batch_no: <6-digit county code>-<year>-<serial, at least 6 digits>, e.g. 652301-2026-000123
BATCH_NO_RE = re.compile(r"[0-9]{6}-[0-9]{4}-[0-9]{6,9}")
# bank_code: letters and digits only, so the name splits unambiguously on "_"
BANK_CODE_RE = re.compile(r"[0-9A-Za-z]{1,20}")
_NAME_RE = re.compile(r"YKT1_([0-9A-Za-z]{1,20})_([0-9]{6}-[0-9]{4}-[0-9]{6,9})_([PRX])\.txt")


@dataclass(frozen=True)
class FileName:
    bank_code: str
    batch_no: str
    kind: str

    def __str__(self) -> str:
        return f"YKT1_{self.bank_code}_{self.batch_no}_{self.kind}.txt"


def check_batch_no(batch_no) -> str:
    if not isinstance(batch_no, str) or not BATCH_NO_RE.fullmatch(batch_no):
        raise ValueError(f"批次号“{batch_no}”格式不正确，应为 县级区划代码-年度-序号，如 652301-2026-000123")
    return batch_no


def check_bank_code(bank_code) -> str:
    if not isinstance(bank_code, str) or not BANK_CODE_RE.fullmatch(bank_code):
        raise ValueError(f"银行编码“{bank_code}”格式不正确，只能由 1–20 位字母或数字组成")
    return bank_code


def file_name(bank_code: str, batch_no: str, kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"未知的文件类型“{kind}”（可选 P、R、X）")
    return str(FileName(check_bank_code(bank_code), check_batch_no(batch_no), kind))


def parse_file_name(name: str) -> FileName | None:
    """The parts of a YKT1 file name, or None if `name` is not one (temporary files, strays)."""
    match = _NAME_RE.fullmatch(name or "")
    return FileName(*match.groups()) if match else None
