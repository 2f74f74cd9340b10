"""Line patterns of YKT1 files and the slow-path diagnosis that names the bad field.

Fast path: one regex per line kind checks every field at once. Only when it fails do we split
the line and check field by field, to say which field is wrong and why.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from .fields import (
    ACCOUNT, DATE, NONNEG_INT, POS_INT, SEP, TEXT, TIME, check_account, check_id_no, check_id_type,
    check_nonneg_int_text, check_pos_int_text, check_text,
)
from .filenames import BATCH_NO_RE

BATCH = BATCH_NO_RE.pattern
_ID_TYPE_AND_NO = r"(0[12])\|((?<=01\|)[0-9]{17}[0-9X]|(?<=02\|)[0-9A-HJ-NP-RTUW-Y]{18})"

P_HEADER_RE = re.compile(
    rf"H\|YKT1\|({BATCH})\|({DATE})\|({ACCOUNT})\|({TEXT}+)\|({TEXT}+)\|({TEXT}+)\|({NONNEG_INT})\|({NONNEG_INT})"
)
P_DETAIL_RE = re.compile(rf"D\|({POS_INT})\|({TEXT}+)\|({ACCOUNT})\|({TEXT}+)\|{_ID_TYPE_AND_NO}\|({POS_INT})\|({TEXT}*)")
R_HEADER_RE = re.compile(rf"H\|YKT1R\|({BATCH})\|({DATE})\|({NONNEG_INT})\|({NONNEG_INT})")
R_DETAIL_RE = re.compile(
    rf"D\|({POS_INT})\|({TEXT}+)\|({ACCOUNT})\|({POS_INT})\|([SF])\|((?:E0[1-8]|E99)?)\|({TEXT}*)\|({TEXT}*)\|((?:{TIME})?)"
)


def _fixed(expected: str) -> Callable[[str], str | None]:
    return lambda value: None if value == expected else f"应为“{expected}”"


def _pattern(regex: str, reason: str) -> Callable[[str], str | None]:
    compiled = re.compile(regex)
    return lambda value: None if compiled.fullmatch(value) else reason


def _optional_text(value: str) -> str | None:
    return check_text(value, required=False)


_BATCH_CHECK = _pattern(BATCH, "格式应为 县级区划代码-年度-序号")
_DATE_CHECK = _pattern(DATE, "应为 8 位日期 YYYYMMDD")

# (label, check) per field, in file order; the first field is the record type.
P_HEADER_FIELDS = [
    ("记录类型", _fixed("H")), ("版本", _fixed("YKT1")), ("批次号", _BATCH_CHECK), ("业务日期", _DATE_CHECK),
    ("付款账号", check_account), ("付款户名", check_text), ("补贴项目代码", check_text), ("补贴项目名称", check_text),
    ("总笔数", check_nonneg_int_text), ("总金额", check_nonneg_int_text),
]
P_DETAIL_FIELDS = [
    ("记录类型", _fixed("D")), ("序号", check_pos_int_text), ("明细编号", check_text), ("账号", check_account),
    ("户名", check_text), ("证件类型", check_id_type), ("证件号码", None), ("金额（分）", check_pos_int_text),
    ("附言", _optional_text),
]
R_HEADER_FIELDS = [
    ("记录类型", _fixed("H")), ("版本", _fixed("YKT1R")), ("批次号", _BATCH_CHECK), ("处理日期", _DATE_CHECK),
    ("总笔数", check_nonneg_int_text), ("总金额", check_nonneg_int_text),
]
R_DETAIL_FIELDS = [
    ("记录类型", _fixed("D")), ("序号", check_pos_int_text), ("明细编号", check_text), ("账号", check_account),
    ("金额（分）", check_pos_int_text), ("状态", _pattern("[SF]", "应为 S（成功）或 F（失败）")),
    ("失败原因代码", _pattern("(?:E0[1-8]|E99)?", "应为空或 E01–E08、E99")), ("失败说明", _optional_text),
    ("银行流水号", _optional_text), ("完成时间", _pattern(f"(?:{TIME})?", "应为 14 位时间 YYYYMMDDHHMMSS")),
]


def diagnose(line: str, fields: list, what: str) -> str:
    """Why `line` fails its pattern, naming the field; `what` names the line ("第 5 行（明细）")."""
    parts = line.split(SEP)
    if len(parts) != len(fields):
        if any(ch in line for ch in "\r\n"):
            return f"{what}含有回车或换行符"
        return f"{what}应有 {len(fields)} 个字段，实有 {len(parts)} 个（字段之间以“|”分隔）"
    for i, ((label, check), value) in enumerate(zip(fields, parts)):
        problem = check_id_no(value, parts[i - 1]) if check is None else check(value)
        if problem:
            return f"{what}的“{label}”{problem}"
    return f"{what}格式不正确"
