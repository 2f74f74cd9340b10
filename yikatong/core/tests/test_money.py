from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yikatong.core.money import Money, MoneyError

FAST = settings(max_examples=80, deadline=None)
fens = st.integers(min_value=-(10**15), max_value=10**15)
monies = fens.map(Money.from_fen)


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("1,234.50", 123450),
        ("1234", 123400),
        ("1234.5", 123450),
        ("¥1,234.50", 123450),
        ("￥1,234.50", 123450),
        ("  1234.50  ", 123450),
        ("\u3000１，２３４．５０\u3000", 123450),  # full-width digits, comma, point, ideographic space
        ("-¥1.00", -100),
        ("¥-1.00", -100),
        ("+3", 300),
        ("0.01", 1),
        ("1.230", 123),  # trailing zeros are exact
        ("12元", 1200),
        ("¥ 1,234.50", 123450),
        ("1,000,000", 100000000),
    ],
)
def test_parse_text(text, fen):
    assert Money.parse(text) == Money.from_fen(fen)


def test_parse_decimal_and_int():
    assert Money.parse(Decimal("12.34")).fen == 1234
    assert Money.parse(Decimal("1.2300")).fen == 123
    assert Money.parse(7).fen == 700
    assert Money.parse(Money.from_fen(5)) == Money.from_fen(5)


@pytest.mark.parametrize("value", [1.5, 0.0, True])
def test_parse_refuses_float_and_bool(value):
    with pytest.raises(TypeError):
        Money.parse(value)


def test_constructor_refuses_non_int():
    with pytest.raises(TypeError):
        Money(1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(Decimal(1))  # type: ignore[arg-type]


def test_three_decimals_message():
    with pytest.raises(MoneyError) as exc:
        Money.parse("1.234")
    assert str(exc.value) == "金额“1.234”最多两位小数"
    assert isinstance(exc.value, ValueError)
    with pytest.raises(MoneyError, match="最多两位小数"):
        Money.parse(Decimal("0.001"))


@pytest.mark.parametrize("text", ["abc", "1.2.3", "12,34", "1,2345", "¥", "--1", "-¥-1", "1e3", ".5", "NaN"])
def test_not_a_number(text):
    with pytest.raises(MoneyError, match="不是有效的数字"):
        Money.parse(text)


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity")])
def test_decimal_specials(value):
    with pytest.raises(MoneyError, match="不是有效的数字"):
        Money.parse(value)


@pytest.mark.parametrize("text", ["", "   ", "\u3000"])
def test_empty(text):
    with pytest.raises(MoneyError, match="金额不能为空"):
        Money.parse(text)


def test_formatting():
    m = Money.from_fen(123450)
    assert str(m) == m.format() == "¥1,234.50"
    assert m.yuan_str() == "1234.50"
    assert Money.from_fen(-100).format() == "-¥1.00"
    assert Money.from_fen(-5).yuan_str() == "-0.05"
    assert Money.from_fen(0).format() == "¥0.00"
    assert Money.from_fen(123456789).format() == "¥1,234,567.89"
    assert m.to_decimal() == Decimal("1234.50")


def test_arithmetic():
    a, b = Money.from_fen(150), Money.from_fen(50)
    assert a + b == Money.from_fen(200)
    assert a - b == Money.from_fen(100)
    assert a * 3 == 3 * a == Money.from_fen(450)
    assert -a == Money.from_fen(-150)
    assert abs(-a) == a
    assert sum([a, b, b]) == Money.from_fen(250)
    assert sum([], Money.zero()) == Money.zero()
    assert b < a and a >= b and a != b
    assert sorted([a, b]) == [b, a]
    assert len({Money.from_fen(1), Money.from_fen(1)}) == 1


def test_arithmetic_refuses_mixing():
    m = Money.from_fen(100)
    with pytest.raises(TypeError):
        m + 1  # noqa: B018
    with pytest.raises(TypeError):
        m * 1.5  # noqa: B018
    with pytest.raises(TypeError):
        m * Decimal("1.5")  # noqa: B018 - use times()
    with pytest.raises(TypeError):
        m.times(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        m < 5  # noqa: B018
    assert m != 100


def test_immutable():
    m = Money.from_fen(1)
    with pytest.raises(AttributeError):
        m.fen = 2  # type: ignore[misc]


def test_times_rounding_half_up():
    assert Money.from_fen(1).times(Decimal("0.5")) == Money.from_fen(1)
    assert Money.from_fen(1).times(Decimal("0.49")) == Money.from_fen(0)
    assert Money.from_fen(-1).times(Decimal("0.5")) == Money.from_fen(-1)
    assert Money.parse("123.45").times(Decimal("2.5")) == Money.parse("308.63")  # 308.625
    assert Money.parse("10").times(3) == Money.parse("30")


# ---- properties --------------------------------------------------------------------------


@FAST
@given(monies)
def test_parse_format_round_trip(m):
    assert Money.parse(m.format()) == m
    assert Money.parse(m.yuan_str()) == m
    assert Money.parse(str(m)) == m
    assert Money.parse(m.to_decimal()) == m


@FAST
@given(monies, monies, monies)
def test_addition_laws(a, b, c):
    assert (a + b) + c == a + (b + c)
    assert a + b == b + a
    assert a + Money.zero() == a
    assert (a + b) - b == a


@FAST
@given(monies, st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False, allow_infinity=False))
def test_times_within_half_fen(m, q):
    exact = Decimal(m.fen) * q
    result = m.times(q)
    assert abs(Decimal(result.fen) - exact) <= Decimal("0.5")


@FAST
@given(fens, st.integers(min_value=1, max_value=9))
def test_three_decimals_refused(fen, third):
    text = f"{Money.from_fen(fen).yuan_str()}{third}"
    with pytest.raises(MoneyError, match="最多两位小数"):
        Money.parse(text)
