"""Money in integer fen (分). No float anywhere: floats are refused at the door.

    >>> Money.parse("¥1,234.50")
    Money(fen=123450)
    >>> str(Money.from_fen(-100))
    '-¥1.00'
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

__all__ = ["Money", "MoneyError"]


class MoneyError(ValueError):
    """An amount that cannot be read as a whole number of fen; the message is for the user."""


# Optional sign (before or after the yuan sign), integer part either plain digits or
# correctly grouped by commas, optional fraction, optional trailing 元.
_AMOUNT = re.compile(
    r"^(?P<sign1>[+-]?)(?:¥\s*)?(?P<sign2>[+-]?)"
    r"(?P<int>\d{1,3}(?:,\d{3})+|\d+)"
    r"(?:\.(?P<frac>\d+))?元?$"
)
_HUNDRED = Decimal(100)


def _show(value) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


@dataclass(frozen=True, slots=True, order=True)
class Money:
    """An amount of RMB as an integer number of fen. Immutable and hashable."""

    fen: int

    def __post_init__(self) -> None:
        if type(self.fen) is not int:  # bool, float, Decimal are all refused
            raise TypeError(f"金额必须以整数“分”表示，收到 {type(self.fen).__name__}")

    # ---- construction -------------------------------------------------------------

    @classmethod
    def from_fen(cls, fen: int) -> Money:
        return cls(fen)

    @classmethod
    def zero(cls) -> Money:
        return cls(0)

    @classmethod
    def parse(cls, value: str | Decimal | int | Money) -> Money:
        """Read an amount in yuan.

        Strings: "1234", "1234.5", "1,234.50", "¥1,234.50", "￥1234", "-¥1.00", "1234.50元";
        surrounding spaces and full-width characters are accepted (NFKC). Decimal and int are
        amounts in yuan. At most two decimals that matter: "1.234" is refused, while trailing
        zeros ("1.230", Decimal("1.2300")) are exact and accepted. float is refused (TypeError).
        """
        if isinstance(value, Money):
            return value
        if isinstance(value, bool) or isinstance(value, float):
            raise TypeError(f"金额不能使用浮点数或布尔值（收到 {_show(value)}），请传入字符串、Decimal 或整数")
        if isinstance(value, int):
            return cls(value * 100)
        if isinstance(value, Decimal):
            return cls._from_decimal(value, original=value)
        if isinstance(value, str):
            return cls._from_text(value)
        raise TypeError(f"无法把 {type(value).__name__} 类型当作金额")

    @classmethod
    def _from_text(cls, text: str) -> Money:
        normal = unicodedata.normalize("NFKC", text).strip()
        if not normal:
            raise MoneyError("金额不能为空")
        match = _AMOUNT.match(normal)
        if not match or (match["sign1"] and match["sign2"]):
            raise MoneyError(f"金额“{_show(text.strip())}”不是有效的数字")
        digits = match["int"].replace(",", "") + "." + (match["frac"] or "0")
        sign = "-" if "-" in (match["sign1"], match["sign2"]) else ""
        return cls._from_decimal(Decimal(sign + digits), original=text.strip())

    @classmethod
    def _from_decimal(cls, amount: Decimal, *, original) -> Money:
        if not amount.is_finite():
            raise MoneyError(f"金额“{_show(original)}”不是有效的数字")
        with localcontext() as ctx:
            ctx.prec = max(28, len(amount.as_tuple().digits) + 4)
            fen = amount * _HUNDRED
            if fen != fen.to_integral_value():
                raise MoneyError(f"金额“{_show(original)}”最多两位小数")
            return cls(int(fen))

    # ---- formatting ---------------------------------------------------------------

    def _parts(self) -> tuple[str, int, int]:
        sign = "-" if self.fen < 0 else ""
        yuan, fen = divmod(abs(self.fen), 100)
        return sign, yuan, fen

    def format(self) -> str:
        """"¥1,234.50"; negative amounts "-¥1.00"."""
        sign, yuan, fen = self._parts()
        return f"{sign}¥{yuan:,}.{fen:02d}"

    def yuan_str(self) -> str:
        """"1234.50": no symbol, no separators (bank files, CSV, JSON)."""
        sign, yuan, fen = self._parts()
        return f"{sign}{yuan}.{fen:02d}"

    def to_decimal(self) -> Decimal:
        """The amount in yuan as an exact Decimal with two places."""
        return Decimal(self.yuan_str())

    def __str__(self) -> str:
        return self.format()

    # ---- arithmetic ---------------------------------------------------------------

    def __add__(self, other: Money) -> Money:
        if isinstance(other, Money):
            return Money(self.fen + other.fen)
        return NotImplemented

    def __radd__(self, other) -> Money:
        # Lets sum() start from its default 0.
        if type(other) is int and other == 0:
            return self
        if isinstance(other, Money):
            return Money(other.fen + self.fen)
        return NotImplemented

    def __sub__(self, other: Money) -> Money:
        if isinstance(other, Money):
            return Money(self.fen - other.fen)
        return NotImplemented

    def __neg__(self) -> Money:
        return Money(-self.fen)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return Money(abs(self.fen))

    def __mul__(self, other: int) -> Money:
        if type(other) is int:
            return Money(self.fen * other)
        return NotImplemented

    __rmul__ = __mul__

    def times(self, quantity: Decimal | int) -> Money:
        """Multiply by a quantity (e.g. 亩, rate) and round to the fen, ROUND_HALF_UP.

        Halves round away from zero: 0.5 fen -> 1 fen, -0.5 fen -> -1 fen.
        """
        if type(quantity) is int:
            return Money(self.fen * quantity)
        if not isinstance(quantity, Decimal):
            raise TypeError(f"数量必须是 Decimal 或整数，收到 {type(quantity).__name__}")
        if not quantity.is_finite():
            raise MoneyError(f"数量“{_show(quantity)}”不是有效的数字")
        with localcontext() as ctx:
            ctx.prec = len(str(abs(self.fen))) + len(quantity.as_tuple().digits) + abs(quantity.as_tuple().exponent) + 4
            product = Decimal(self.fen) * quantity
            return Money(int(product.quantize(Decimal(1), rounding=ROUND_HALF_UP)))
