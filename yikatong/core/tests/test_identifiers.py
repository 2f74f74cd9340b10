import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yikatong.core.identifiers import (
    IdentifierError,
    IdInfo,
    is_valid_id_number,
    is_valid_uscc,
    parse_id_number,
    validate_card_number,
    validate_id_number,
    validate_uscc,
)

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_with_check(first17: str) -> str:
    """ISO 7064 MOD 11-2, written out independently of stdnum."""
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS))
    return first17 + "10X98765432"[total % 11]


def luhn_complete(body: str) -> str:
    for d in "0123456789":
        candidate = body + d
        total = 0
        for i, c in enumerate(reversed(candidate)):
            n = int(c) * (2 if i % 2 else 1)
            total += n - 9 if n > 9 else n
        if total % 10 == 0:
            return candidate
    raise AssertionError


VALID_ID = id_with_check("14102419900101123")
X_ID = next(x for x in (id_with_check(f"14102419900101{n:03d}") for n in range(1000)) if x.endswith("X"))


def test_fixture_ids():
    assert len(VALID_ID) == 18
    assert X_ID.endswith("X")


def test_parse_valid_id():
    info = parse_id_number(VALID_ID)
    assert info == IdInfo(number=VALID_ID, birth_date=datetime.date(1990, 1, 1), sex="男", region_code="141024")
    female = id_with_check("11010519850704002")
    assert parse_id_number(female).sex == "女"
    assert parse_id_number(female).birth_date == datetime.date(1985, 7, 4)


def test_lower_case_x_spaces_and_full_width():
    lower = X_ID.lower()
    assert parse_id_number(lower).number == X_ID
    assert parse_id_number(f"  {lower}\u3000").number == X_ID
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in lower)  # ＡＢ… forms
    assert parse_id_number(full_width).number == X_ID
    assert parse_id_number(f"{X_ID[:6]} {X_ID[6:14]} {X_ID[14:]}").number == X_ID
    assert validate_id_number(lower) == X_ID
    assert is_valid_id_number(lower)


@settings(max_examples=60, deadline=None)
@given(
    st.from_regex(r"\A[1-6][0-9]{5}\Z"),
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2020, 12, 31)),
    st.integers(min_value=0, max_value=999),
)
def test_generated_ids_are_valid(region, birth, seq):
    number = id_with_check(f"{region}{birth:%Y%m%d}{seq:03d}")
    info = parse_id_number(number)
    assert info.birth_date == birth
    assert info.region_code == region
    assert info.sex == ("男" if seq % 2 else "女")
    # Any single-character change of the check digit is caught.
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    assert not is_valid_id_number(wrong)


def test_error_wrong_length():
    with pytest.raises(IdentifierError) as exc:
        parse_id_number("14102419900101001")
    assert "身份证号码“14102419900101001”位数不对，应为18位" in str(exc.value)
    assert isinstance(exc.value, ValueError)


def test_error_bad_characters():
    with pytest.raises(IdentifierError, match="“14102419900101A23X”含有非法字符"):
        parse_id_number("14102419900101A23X")
    with pytest.raises(IdentifierError, match="含有非法字符"):
        parse_id_number("14102419900101123Y")


def test_error_birth_date():
    with pytest.raises(IdentifierError, match="出生日期“19900230”无效"):
        parse_id_number(id_with_check("14102419900230123"))
    with pytest.raises(IdentifierError, match="出生日期“20300101”无效"):
        parse_id_number(id_with_check("14102420300101123"))
    with pytest.raises(IdentifierError, match="出生日期“18991231”无效"):
        parse_id_number(id_with_check("14102418991231123"))


def test_error_checksum():
    wrong = VALID_ID[:17] + ("0" if VALID_ID[17] != "0" else "1")
    with pytest.raises(IdentifierError) as exc:
        parse_id_number(wrong)
    assert f"身份证号码“{wrong}”校验位不正确" in str(exc.value)


@pytest.mark.parametrize("value", ["1.41024E+17", "1.41024e17", "141024199001011000.0", 1.41024199001011e17])
def test_error_excel_number(value):
    with pytest.raises(IdentifierError) as exc:
        parse_id_number(value)
    message = str(exc.value)
    assert "存成了数字" in message and "文本" in message
    if isinstance(value, str):
        assert f"“{value}”" in message


def test_error_empty():
    for value in ("", "  ", None):
        with pytest.raises(IdentifierError, match="身份证号码不能为空"):
            parse_id_number(value)


def test_known_region_prefixes():
    assert parse_id_number(VALID_ID, known_region_prefixes={"14"}).region_code == "141024"
    assert parse_id_number(VALID_ID, known_region_prefixes=["141024", "110105"])
    with pytest.raises(IdentifierError, match="地区代码“141024”不在本地区范围内"):
        parse_id_number(VALID_ID, known_region_prefixes={"11"})
    assert not is_valid_id_number(VALID_ID, known_region_prefixes=set())


# ---- 统一社会信用代码 -----------------------------------------------------------------------

VALID_USCC = "91110000600037341L"  # published example code (checksum verified below)


def test_uscc_valid_and_normalised():
    assert validate_uscc(VALID_USCC) == VALID_USCC
    assert validate_uscc(f" {VALID_USCC.lower()} ") == VALID_USCC
    assert is_valid_uscc(VALID_USCC)


def test_uscc_letters_in_first_two_positions():
    from stdnum.cn import uscc

    body = "N2141024MA0K1234"  # 农村集体经济组织 style prefix; the 17th char is appended below
    body17 = body + "5"
    code = body17 + uscc.calc_check_digit(body17 + "0")
    assert validate_uscc(code) == code


def test_uscc_errors():
    with pytest.raises(IdentifierError, match="统一社会信用代码“91110000600037341”位数不对，应为18位"):
        validate_uscc("91110000600037341")
    with pytest.raises(IdentifierError, match="含有非法字符“O”"):
        validate_uscc("91110000600037341O")
    with pytest.raises(IdentifierError, match="第3至8位应为行政区划代码"):
        validate_uscc("91A10000600037341L")
    wrong = VALID_USCC[:17] + ("M" if VALID_USCC[17] != "M" else "N")
    with pytest.raises(IdentifierError, match=f"统一社会信用代码“{wrong}”校验位不正确"):
        validate_uscc(wrong)
    with pytest.raises(IdentifierError, match="不能为空"):
        validate_uscc(" ")
    assert not is_valid_uscc(wrong)


# ---- 银行卡号 -----------------------------------------------------------------------------

CARD = luhn_complete("622848001234567123")  # 19 digits


def test_card_valid():
    assert validate_card_number(CARD) == CARD
    spaced = " ".join(CARD[i : i + 4] for i in range(0, len(CARD), 4))
    assert validate_card_number(spaced) == CARD
    assert validate_card_number("\u3000" + "".join(chr(ord(c) + 0xFEE0) for c in CARD)) == CARD
    assert validate_card_number(luhn_complete("622202123456789")) == luhn_complete("622202123456789")  # 16


def test_card_errors():
    with pytest.raises(IdentifierError, match="银行卡号“12345”位数不对，应为16至19位"):
        validate_card_number("12345")
    long = luhn_complete("1" * 19)
    with pytest.raises(IdentifierError, match="应为16至19位（现为20位）"):
        validate_card_number(long)
    with pytest.raises(IdentifierError, match="含有非数字字符"):
        validate_card_number("6228A80012345671234")
    wrong = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)
    with pytest.raises(IdentifierError, match=f"银行卡号“{wrong}”校验位不正确"):
        validate_card_number(wrong)
    with pytest.raises(IdentifierError, match="存成了数字"):
        validate_card_number("6.22848E+18")


# ---- the fast path of bulk work agrees with the full checks ------------------------------

from unittest import mock  # noqa: E402

from stdnum import luhn  # noqa: E402

from yikatong.core import identifiers  # noqa: E402
from yikatong.core.identifiers import (  # noqa: E402
    looks_like_uscc,
    normalize_account,
    validate_account_number,
    validate_phone,
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789Xx ", min_size=15, max_size=19))
def test_fast_id_path_agrees_with_the_full_checks(text):
    today = datetime.date(2026, 11, 1)
    with mock.patch.object(identifiers, "_fast_id", return_value=None):
        try:
            expected = parse_id_number(text, today=today)
        except IdentifierError as exc:
            expected = exc
    if isinstance(expected, IdentifierError):
        assert identifiers._fast_id(text, today) is None
        with pytest.raises(IdentifierError, match=str(expected)[:8]):
            parse_id_number(text, today=today)
    else:
        assert parse_id_number(text, today=today) == expected


def test_fast_id_path_is_taken_and_honours_region_prefixes():
    number = id_with_check("14102419900101123")
    with mock.patch.object(identifiers, "ric") as stdnum_ric:  # the full checks are not reached
        info = parse_id_number(number.lower())
        with pytest.raises(IdentifierError, match="地区代码"):
            parse_id_number(number, known_region_prefixes={"13"})
    assert not stdnum_ric.mock_calls
    assert (info.number, info.birth_date, info.sex, info.region_code) == (number.upper(), datetime.date(1990, 1, 1), "男", "141024")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", min_size=1, max_size=20))
def test_fast_luhn_agrees_with_stdnum(digits):
    assert identifiers._luhn_ok(digits) == luhn.is_valid(digits)


def test_account_numbers():
    card = luhn_complete("621799001234567")
    assert validate_account_number(card, card=True) == card
    with pytest.raises(IdentifierError):
        validate_account_number(card[:-1] + str((int(card[-1]) + 1) % 10), card=True)
    assert validate_account_number("6217 9900-1234", card=False) == "621799001234"
    for bad in ("1234567", "12345678a", "1" * 33):
        with pytest.raises(IdentifierError):
            validate_account_number(bad, card=False)
    assert normalize_account(" 6217-99 ") == "621799" and normalize_account(None) == ""


def test_phones():
    assert validate_phone("+86 138-1234-5678") == "13812345678"
    assert validate_phone("(0351)1234567") == "03511234567"
    for bad in ("12812345678", "138123456", "phone"):
        with pytest.raises(IdentifierError):
            validate_phone(bad)


def test_looks_like_uscc():
    assert looks_like_uscc("N2141024MA0XXXXXX1")  # letters before the check character
    assert not looks_like_uscc(id_with_check("14102419900101123"))
    assert not looks_like_uscc("1234")
