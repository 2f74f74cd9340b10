"""The result file (回盘, `YKT1_<bank>_<batch>_R.txt`): written by the bank, read by Yikatong.

    H|YKT1R|<batch_no>|<processed_date>|<count>|<total_fen>
    D|<seq>|<item_ref>|<account_no>|<amount_fen>|<status>|<reason_code>|<reason_text>|<bank_txn_id>|<done_at>
    T|<ok_count>|<ok_fen>|<fail_count>|<fail_fen>|<mac_alg>|<mac>

This module writes it (the bank simulator does) and is the public entry point of the R and X
files: the records and their rules live in resultlines.py, reading (MAC first, then every
line, then the totals) in resultreader.py, the rejection file in rejectionfile.py; all are
re-exported here.
"""
from __future__ import annotations

import datetime
from collections.abc import Iterable

from . import framing
from .codes import REASON_CODES
from .errors import PaymentDataError
from .fields import EOL, check_account, check_amount, check_text, format_date, format_time
from .filenames import RESULT, file_name
from .lines import R_DETAIL_FIELDS, R_DETAIL_RE, diagnose
from .mac import ALGORITHMS, preferred_alg
from .rejectionfile import Rejection, parse_rejection_file, write_rejection_file
from .resultlines import FAILED, PAID, ResultFile, ResultHeader, ResultLine, rule_problem
from .resultreader import parse_result_file

__all__ = ["PAID", "FAILED", "ResultHeader", "ResultLine", "ResultFile", "write_result_file", "parse_result_file",
           "Rejection", "parse_rejection_file", "write_rejection_file", "REASON_CODES"]


def _line_problem(index: int, line) -> str | None:
    what = f"第 {index} 条回盘明细"
    if not isinstance(line, ResultLine):
        return f"{what}应为 ResultLine，收到 {type(line).__name__}"
    if type(line.seq) is not int or line.seq != index:
        return f"{what}的“序号”应为 {index}"
    for label, value, check in (("明细编号", line.item_ref, check_text), ("账号", line.account_no, check_account),
                                ("金额（分）", line.amount_fen, check_amount),
                                ("失败说明", line.reason_text, lambda v: check_text(v, required=False)),
                                ("银行流水号", line.bank_txn_id, lambda v: check_text(v, required=False))):
        problem = check(value)
        if problem:
            return f"{what}的“{label}”{problem}"
    if line.done_at is not None and not isinstance(line.done_at, datetime.datetime):
        return f"{what}的“完成时间”必须是 datetime"
    if not isinstance(line.reason_code, str):
        return f"{what}的“失败原因代码”应为文字"
    problem = rule_problem(line.status, line.reason_code, line.reason_text, line.done_at is not None)
    return f"{what}：{problem}" if problem else None


def write_result_file(
    *, bank_code: str, batch_no: str, processed_date: datetime.date, lines: Iterable[ResultLine], key: bytes,
    alg: str | None = None,
) -> tuple[str, bytes]:
    """(file name, file bytes) of a result file; used by the bank simulator. Raises PaymentDataError."""
    alg = alg or preferred_alg()
    name = file_name(bank_code, batch_no, RESULT)
    if alg not in ALGORITHMS:
        raise PaymentDataError(f"不支持的 MAC 算法“{alg}”（可选 {'、'.join(ALGORITHMS)}）")
    tally = [0, 0, 0, 0]  # ok_count, ok_fen, fail_count, fail_fen

    def body():
        match, last_at, last_done = R_DETAIL_RE.fullmatch, None, ""
        for index, line in enumerate(lines, 1):
            if type(line) is not ResultLine:
                raise PaymentDataError(_line_problem(index, line))
            seq, ref, acc, amount, status, code, reason, txn, done_at = line
            if done_at is not last_at:
                if done_at is not None and not isinstance(done_at, datetime.datetime):
                    raise PaymentDataError(_line_problem(index, line))
                last_at, last_done = done_at, format_time(done_at) if done_at is not None else ""
            text = f"D|{seq}|{ref}|{acc}|{amount}|{status}|{code}|{reason}|{txn}|{last_done}"
            fine = (seq == index and type(seq) is type(amount) is int
                    and type(ref) is type(acc) is type(code) is type(reason) is type(txn) is str and match(text)
                    and ((not code and done_at is not None) if status == PAID else (code and (code != "E99" or reason))))
            if not fine:
                problem = _line_problem(index, line)
                if problem:
                    raise PaymentDataError(problem)
            tally[0 if status == PAID else 2] += 1
            tally[1 if status == PAID else 3] += amount
            yield text + EOL

    def locate(index: int, text: str) -> PaymentDataError:
        return PaymentDataError(diagnose(text[:-2], R_DETAIL_FIELDS, f"第 {index + 1} 条回盘明细"))

    chunks = framing.encode_blocks(body(), locate)
    ok_count, ok_fen, fail_count, fail_fen = tally
    header = f"H|YKT1R|{batch_no}|{format_date(processed_date)}|{ok_count + fail_count}|{ok_fen + fail_fen}{EOL}"
    return name, framing.seal(header, chunks, "|".join(map(str, tally)), key=key, alg=alg)
