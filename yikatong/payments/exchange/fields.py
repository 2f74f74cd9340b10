"""Field rules shared by every YKT1 file: what a field may hold, and how numbers and dates are written.

Every `check_*` returns None when the value is fine, else a short Chinese reason
("含有分隔符“|”") that the caller prefixes with the line and field. Reasons never echo
the value: it may be personal data.
"""
from __future__ import annotations

import datetime
import re

from yikatong.core.banktext import ENCODING, SEP, TEXT_PROBLEMS, text_problem_code

from .codes import ID_CARD, ID_TYPES, USCC
EOL = "\r\n"

# Building blocks of the line patterns (one regex per line kind, used on the fast path).
TEXT = r"[^|\x00-\x1f\x7f]"  # any character but the separator and control characters (CR, LF among them)
POS_INT = r"[1-9][0-9]*"
NONNEG_INT = r"(?:0|[1-9][0-9]*)"
ACCOUNT = r"[0-9]{6,32}"
ID_PAIR = r"(?:01\|[0-9]{17}[0-9X]|02\|[0-9A-HJ-NP-RTUW-Y]{18})"
DATE = r"[0-9]{8}"
TIME = r"[0-9]{14}"

_ACCOUNT_RE = re.compile(ACCOUNT)
_ID_RE = {ID_CARD: re.compile(r"[0-9]{17}[0-9X]"), USCC: re.compile(r"[0-9A-HJ-NP-RTUW-Y]{18}")}
_POS_INT_RE = re.compile(POS_INT)
_NONNEG_INT_RE = re.compile(NONNEG_INT)


# What a text field cannot carry: one rule for the file and for payee data at entry (core.banktext).


def check_text(value, *, required: bool = True) -> str | None:
    if not isinstance(value, str):
        return f"应为文字，收到 {type(value).__name__}"
    if not value:
        return "不能为空" if required else None
    code = text_problem_code(value)
    return TEXT_PROBLEMS[code] if code else None


def check_account(value) -> str | None:
    problem = check_text(value)
    if problem:
        return problem
    return None if _ACCOUNT_RE.fullmatch(value) else "应为 6–32 位数字"


def check_id_type(value) -> str | None:
    return None if value in ID_TYPES else "应为 01（居民身份证）或 02（统一社会信用代码）"


def check_id_no(value, id_type) -> str | None:
    problem = check_text(value)
    if problem:
        return problem
    pattern = _ID_RE.get(id_type)
    if pattern is None or pattern.fullmatch(value):
        return None
    if id_type == ID_CARD:
        return "不是 18 位居民身份证号码（末位校验码 X 须大写）"
    return "不是 18 位统一社会信用代码"


def check_amount(value) -> str | None:
    """An amount handed to a writer: a positive int of fen (bool, float, Decimal refused)."""
    if type(value) is not int:
        return f"必须是整数“分”，收到 {type(value).__name__}"
    return None if value > 0 else "必须大于 0"


def check_pos_int_text(value: str) -> str | None:
    return None if _POS_INT_RE.fullmatch(value) else "应为正整数（不带符号和前导零）"


def check_nonneg_int_text(value: str) -> str | None:
    return None if _NONNEG_INT_RE.fullmatch(value) else "应为非负整数（不带符号和前导零）"


def format_date(value: datetime.date) -> str:
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise TypeError(f"需要日期（date），收到 {type(value).__name__}")
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def format_time(value: datetime.datetime) -> str:
    if not isinstance(value, datetime.datetime):
        raise TypeError(f"需要时间（datetime），收到 {type(value).__name__}")
    return f"{value.year:04d}{value.month:02d}{value.day:02d}{value.hour:02d}{value.minute:02d}{value.second:02d}"


def parse_date(text: str) -> datetime.date | None:
    """YYYYMMDD -> date, or None when it is not a real date."""
    if len(text) != 8 or not text.isdigit() or not text.isascii():
        return None
    try:
        return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def parse_time(text: str) -> datetime.datetime | None:
    """YYYYMMDDHHMMSS -> naive local datetime, or None when it is not a real time."""
    if len(text) != 14 or not text.isdigit() or not text.isascii():
        return None
    try:
        return datetime.datetime(
            int(text[:4]), int(text[4:6]), int(text[6:8]), int(text[8:10]), int(text[10:12]), int(text[12:])
        )
    except ValueError:
        return None
