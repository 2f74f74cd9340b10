"""Chinese identifiers: 居民身份证号码, 统一社会信用代码, bank card numbers.

Checksums and date parsing come from python-stdnum; this module adds the normalisation
that spreadsheets need (full-width characters, spaces, lower-case x) and error messages
in Chinese that name the offending value, so a clerk can find and fix the cell.

Bulk work (a million-row register) goes through the same functions: an ID number or card
number that is already clean and valid takes a fast path (plain arithmetic, cached dates)
that accepts exactly what the full checks accept; anything else gets the full checks and
their messages. Tests compare both paths.
"""
from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from stdnum import luhn
from stdnum.cn import ric, uscc

__all__ = [
    "IdentifierError",
    "IdInfo",
    "parse_id_number",
    "validate_id_number",
    "is_valid_id_number",
    "validate_uscc",
    "is_valid_uscc",
    "validate_card_number",
    "validate_account_number",
    "validate_phone",
    "looks_like_uscc",
    "normalize_account",
]


class IdentifierError(ValueError):
    """An identifier that fails validation; the message is for the user."""


@dataclass(frozen=True, slots=True)
class IdInfo:
    number: str  # 18 characters, check digit X in upper case
    birth_date: datetime.date
    sex: str  # "男" or "女"
    region_code: str  # first 6 digits (address code at issue)


_SPACES = re.compile(r"\s+")
# What a long number becomes once a spreadsheet stored it as a number: 1.41024E+17,
# 1.41024199001011E17, 141024199001011000.0
_NUMERIC_CELL = re.compile(r"^[+-]?\d+(\.\d*)?(E[+-]?\d+)?$", re.IGNORECASE)
_MIN_BIRTH = datetime.date(1900, 1, 1)


def _show(value) -> str:
    text = str(value).strip()
    return text if len(text) <= 40 else text[:40] + "…"


def _normalise(value, what: str) -> str:
    """NFKC (full-width digits/letters/spaces), drop all whitespace, upper-case."""
    if value is None:
        raise IdentifierError(f"{what}不能为空")
    if isinstance(value, bool):
        raise IdentifierError(f"{what}“{value}”不是有效的{what}")
    if isinstance(value, float):
        raise IdentifierError(_numeric_message(what, value))
    text = _SPACES.sub("", unicodedata.normalize("NFKC", str(value))).upper()
    if not text:
        raise IdentifierError(f"{what}不能为空")
    return text


def _numeric_message(what: str, value) -> str:
    return (
        f"{what}“{_show(value)}”被表格软件存成了数字，末几位已丢失，无法恢复；"
        f"请把该列单元格格式设置为“文本”后重新录入{what}"
    )


def _looks_numeric(text: str) -> bool:
    return ("." in text or "E" in text) and bool(_NUMERIC_CELL.match(text))


# ---- 居民身份证号码 -------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _birth(text: str) -> datetime.date | None:
    try:
        return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def _fast_id(value, today: datetime.date | None) -> IdInfo | None:
    """The IdInfo of an ID number that is already clean and valid, else None (then the full checks)."""
    if not isinstance(value, str):
        return None
    v = value.upper()
    if len(v) == 18 and v.isascii() and v[:17].isdigit() and (v[17].isdigit() or v[17] == "X"):
        check = (1 - 2 * int(v[:17], 13)) % 11  # as stdnum.cn.ric.calc_check_digit
        if ("X" if check == 10 else str(check)) == v[17]:
            birth = _birth(v[6:14])
            if birth is not None and _MIN_BIRTH <= birth <= (today or datetime.date.today()):
                return IdInfo(number=v, birth_date=birth, sex="男" if int(v[16]) % 2 else "女", region_code=v[:6])
    return None


def parse_id_number(
    value: str,
    *,
    known_region_prefixes: Collection[str] | None = None,
    today: datetime.date | None = None,
) -> IdInfo:
    """Validate an 18-digit resident ID number and return its parts.

    Accepts surrounding/inner spaces (also full-width), full-width digits and a lower-case x.
    Checks, in order: spreadsheet number damage, length (18), characters (17 digits then a
    digit or X), birth date (a real date, from 1900-01-01 up to `today`), check digit.
    known_region_prefixes: if given, the first 6 digits must start with one of them
    (e.g. {"14"} for a province, or a set of 6-digit county codes).
    """
    info = _fast_id(value, today)
    if info is not None:
        if known_region_prefixes is not None and not any(info.region_code.startswith(p) for p in known_region_prefixes):
            raise IdentifierError(f"身份证号码“{info.number}”的地区代码“{info.region_code}”不在本地区范围内")
        return info
    what = "身份证号码"
    number = _normalise(value, what)
    if _looks_numeric(number):
        raise IdentifierError(_numeric_message(what, value))
    if len(number) != 18:
        raise IdentifierError(f"{what}“{number}”位数不对，应为18位（现为{len(number)}位）")
    if not (number[:17].isascii() and number[:17].isdigit() and (number[17].isdigit() or number[17] == "X")):
        raise IdentifierError(f"{what}“{number}”含有非法字符，只能是数字，最后一位可以是X")
    try:
        birth = ric.get_birth_date(number)
    except Exception:  # stdnum raises InvalidComponent for impossible dates
        birth = None
    if birth is None or not (_MIN_BIRTH <= birth <= (today or datetime.date.today())):
        raise IdentifierError(f"{what}“{number}”中的出生日期“{number[6:14]}”无效")
    if number[17] != ric.calc_check_digit(number):
        raise IdentifierError(f"{what}“{number}”校验位不正确，请核对是否有数字录错")
    region = number[:6]
    if known_region_prefixes is not None and not any(region.startswith(p) for p in known_region_prefixes):
        raise IdentifierError(f"{what}“{number}”的地区代码“{region}”不在本地区范围内")
    return IdInfo(
        number=number,
        birth_date=birth,
        sex="男" if int(number[16]) % 2 else "女",
        region_code=region,
    )


def validate_id_number(value: str, *, known_region_prefixes: Collection[str] | None = None) -> str:
    """The normalised 18-character ID number, or IdentifierError."""
    return parse_id_number(value, known_region_prefixes=known_region_prefixes).number


def is_valid_id_number(value: str, *, known_region_prefixes: Collection[str] | None = None) -> bool:
    try:
        parse_id_number(value, known_region_prefixes=known_region_prefixes)
    except IdentifierError:
        return False
    return True


# ---- 统一社会信用代码 (GB 32100-2015) ---------------------------------------------------

_USCC_ALPHABET = frozenset("0123456789ABCDEFGHJKLMNPQRTUWXY")


def validate_uscc(value: str) -> str:
    """Validate an 18-character unified social credit code; return it normalised (upper case).

    Positions 1-2 (登记管理部门/机构类别) may be letters, e.g. "N2" for 农村集体经济组织;
    positions 3-8 are the region code (digits); no I, O, S, V, Z anywhere; check digit per
    GB 32100 (computed by stdnum.cn.uscc).
    """
    what = "统一社会信用代码"
    code = _normalise(value, what).replace("-", "")
    if len(code) != 18:
        raise IdentifierError(f"{what}“{code}”位数不对，应为18位（现为{len(code)}位）")
    bad = sorted({c for c in code if c not in _USCC_ALPHABET})
    if bad:
        raise IdentifierError(f"{what}“{code}”含有非法字符“{''.join(bad)}”（不使用I、O、S、V、Z）")
    if not code[2:8].isdigit():
        raise IdentifierError(f"{what}“{code}”第3至8位应为行政区划代码（数字）")
    if code[17] != uscc.calc_check_digit(code):
        raise IdentifierError(f"{what}“{code}”校验位不正确，请核对是否有字符录错")
    return code


def is_valid_uscc(value: str) -> bool:
    try:
        validate_uscc(value)
    except IdentifierError:
        return False
    return True


def looks_like_uscc(value: str) -> bool:
    """Meant as a unified social credit code rather than an ID: letters before the last
    character, or 18 digits that fail as an ID but pass the USCC checksum."""
    v = value.upper()
    if any(c.isalpha() for c in v[:-1]):
        return True
    return len(v) == 18 and not is_valid_id_number(v) and is_valid_uscc(v)


# ---- 银行卡号 / 社保卡金融账号 ------------------------------------------------------------

# each digit mapped to the digit sum of its double (Luhn), as ASCII bytes
_DOUBLED = bytes.maketrans(b"0123456789", b"0246813579")


def _luhn_ok(digits: str) -> bool:
    """Luhn check of an ASCII digit string (same result as stdnum.luhn.is_valid, faster)."""
    b = digits.encode()
    return (sum(b[-1::-2]) + sum(b[-2::-2].translate(_DOUBLED)) - 48 * len(b)) % 10 == 0


def validate_card_number(value: str) -> str:
    """Validate a bank card number: digits only once spaces and hyphens are removed,
    16 to 19 digits, Luhn check digit. Returns the bare digits."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and 16 <= len(value) <= 19 and _luhn_ok(value):
        return value
    what = "银行卡号"
    digits = _normalise(value, what).replace("-", "")
    if _looks_numeric(digits):
        raise IdentifierError(_numeric_message(what, value))
    if not (digits.isascii() and digits.isdigit()):
        raise IdentifierError(f"{what}“{_show(value)}”含有非数字字符")
    if not 16 <= len(digits) <= 19:
        raise IdentifierError(f"{what}“{digits}”位数不对，应为16至19位（现为{len(digits)}位）")
    if not luhn.is_valid(digits):
        raise IdentifierError(f"{what}“{digits}”校验位不正确，请核对是否有数字录错")
    return digits


# ---- 存折、对公账号 / 联系电话 ------------------------------------------------------------

_ACCOUNT_NOISE = re.compile(r"[\s\-]")
_ACCOUNT = re.compile(r"^\d{8,32}$")
_PHONE_NOISE = re.compile(r"[\s\-()（）]")
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{9,11}|\d{7,8})$")


def validate_account_number(value: str, *, card: bool) -> str:
    """An account to pay into: a card (`card`) must pass validate_card_number; passbooks and
    public accounts are 8-32 digits once spaces and hyphens are removed. Returns the digits."""
    if card:
        return validate_card_number(value)
    digits = normalize_account(value)
    if not _ACCOUNT.match(digits):
        raise IdentifierError(f"账号“{value}”应为8至32位数字")
    return digits


def validate_phone(value: str) -> str:
    """A mobile (11 digits, +86 allowed) or fixed-line number; returns the bare digits."""
    digits = _PHONE_NOISE.sub("", value)
    if digits.startswith("+86"):
        digits = digits[3:]
    if not _PHONE.match(digits):
        raise IdentifierError(f"联系电话“{value}”不是有效的手机号码（11位）或固定电话")
    return digits


def normalize_account(number: str) -> str:
    """An account number as indexed (core.crypto blind index): spaces and hyphens removed."""
    return _ACCOUNT_NOISE.sub("", number or "")
