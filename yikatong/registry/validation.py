"""Fast validity checks for bulk work, falling back to core.identifiers for the messages.

A value passes the fast path only when it satisfies exactly the conditions that
core.identifiers checks; anything else is handed to core.identifiers, which either accepts it
(so both agree) or raises IdentifierError with the clerk's message. Tests compare both paths.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from yikatong.core.identifiers import (
    IdentifierError,
    parse_id_number,
    validate_card_number,
    validate_uscc,
)

__all__ = ["IdentifierError", "check_id", "check_card", "check_account", "check_phone", "looks_like_uscc", "check_uscc"]

_MIN_BIRTH = dt.date(1900, 1, 1)
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{9,11}|\d{7,8})$")
_ACCOUNT = re.compile(r"^\d{8,32}$")


@lru_cache(maxsize=65536)
def _birth(text: str) -> dt.date | None:
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def check_id(value: str, *, today: dt.date | None = None) -> tuple[str, dt.date, str]:
    """(number, birth date, sex "男"/"女") of a resident ID number, or IdentifierError."""
    v = value.upper()
    if len(v) == 18 and v.isascii() and v[:17].isdigit() and (v[17].isdigit() or v[17] == "X"):
        check = (1 - 2 * int(v[:17], 13)) % 11  # as stdnum.cn.ric.calc_check_digit
        if ("X" if check == 10 else str(check)) == v[17]:
            birth = _birth(v[6:14])
            if birth is not None and _MIN_BIRTH <= birth <= (today or dt.date.today()):
                return v, birth, "男" if int(v[16]) % 2 else "女"
    info = parse_id_number(value, today=today)
    return info.number, info.birth_date, info.sex


# each digit mapped to the digit sum of its double (Luhn), as ASCII bytes
_DOUBLED = bytes.maketrans(b"0123456789", b"0246813579")


def luhn_ok(digits: str) -> bool:
    """Luhn check of an ASCII digit string (same result as stdnum.luhn.checksum(...) == 0)."""
    b = digits.encode()
    return (sum(b[-1::-2]) + sum(b[-2::-2].translate(_DOUBLED)) - 48 * len(b)) % 10 == 0


def check_card(value: str) -> str:
    """A bank card / social security card number (16-19 digits, Luhn), or IdentifierError."""
    if value.isascii() and value.isdigit() and 16 <= len(value) <= 19 and luhn_ok(value):
        return value
    return validate_card_number(value)


def check_account(value: str, *, card: bool) -> str:
    """Cards must pass Luhn; passbooks and public accounts are 8-32 digits."""
    if card:
        return check_card(value)
    digits = re.sub(r"[\s\-]", "", value)
    if not _ACCOUNT.match(digits):
        raise IdentifierError(f"账号“{value}”应为8至32位数字")
    return digits


def check_phone(value: str) -> str:
    digits = re.sub(r"[\s\-()（）]", "", value)
    if digits.startswith("+86"):
        digits = digits[3:]
    if not _PHONE.match(digits):
        raise IdentifierError(f"联系电话“{value}”不是有效的手机号码（11位）或固定电话")
    return digits


def looks_like_uscc(value: str) -> bool:
    """Meant as a unified social credit code rather than an ID: letters before the last
    character, or 18 digits that fail as an ID but pass the USCC checksum."""
    v = value.upper()
    if any(c.isalpha() for c in v[:-1]):
        return True
    if len(v) != 18:
        return False
    try:
        check_id(v)
        return False
    except IdentifierError:
        try:
            validate_uscc(v)
            return True
        except IdentifierError:
            return False


def check_uscc(value: str) -> str:
    return validate_uscc(value)
