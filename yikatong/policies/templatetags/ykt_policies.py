"""Template filters: amounts in fen as yuan, a policy's standard in words."""
from django import template

from yikatong.core.money import Money

from ..spec import PolicySpec, standard_text

register = template.Library()


@register.filter
def fen(value) -> str:
    """12345 -> "¥123.45"."""
    if value is None or value == "":
        return ""
    return str(Money(int(value)))


@register.filter
def standard(policy) -> str:
    return standard_text(PolicySpec.from_policy(policy))
