"""Template filters: amounts in fen as yuan, a policy's standard in words, a form error's refusal code."""
from django import template

from yikatong.core.money import Money
from yikatong.core.refusals import is_code

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


@register.filter
def refusal_code(error) -> str:
    """The stable code of a form error (a ValidationError from `form.errors.as_data`), or "" for
    Django's own lower-case field codes ("required", "invalid")."""
    code = getattr(error, "code", None)
    return code if isinstance(code, str) and is_code(code) else ""
