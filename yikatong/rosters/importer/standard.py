"""The policy standard a roster row is checked against."""
from decimal import Decimal

from django.core.exceptions import ValidationError

from yikatong.policies.standard import standard_amount_fen


def standard_function(policy):
    """(quantity) -> standard amount in fen, or None where it depends on a per-person tier."""
    def standard(quantity: Decimal) -> int | None:
        if policy.is_tiered:
            return None
        try:
            return standard_amount_fen(policy, quantity=quantity)
        except (ValidationError, TypeError):
            return None

    return standard
