"""Template filters shared by every app: money in yuan, masking, state labels (web.labels)."""
from django import template

from yikatong.core import masking
from yikatong.core.money import Money
from yikatong.web.labels import state_label

register = template.Library()


@register.filter
def yuan(fen) -> str:
    """12345 -> "123.45" with thousands separators (no currency sign)."""
    if fen in (None, ""):
        return ""
    return Money.from_fen(int(fen)).format().replace("¥", "")


@register.filter
def money(fen) -> str:
    return "" if fen in (None, "") else Money.from_fen(int(fen)).format()


register.filter("state_label", state_label)
register.filter("mask_id", masking.mask_id_number)
register.filter("mask_card", masking.mask_card)
register.filter("mask_phone", masking.mask_phone)
register.filter("mask_name", masking.mask_name)
