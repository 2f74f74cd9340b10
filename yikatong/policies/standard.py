"""Amounts and periods that rosters and cross-checks compute from a policy (age and residence limits are cross-check rules, checks/rules.py)."""
from __future__ import annotations

import re
from decimal import Decimal

from yikatong.core.money import Money
from yikatong.core.refusals import invalid

from . import errors  # noqa: F401  (registers the refusal messages)
from .choices import Frequency
from .models import Policy, PolicyTier

_PERIOD = {
    Frequency.MONTHLY: re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"),
    Frequency.QUARTERLY: re.compile(r"^(\d{4})Q([1-4])$"),
    Frequency.YEARLY: re.compile(r"^(\d{4})$"),
}
_ANY_PERIOD = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])|Q[1-4])?$")


def period_year(period: str) -> int:
    """The year of a period "2026-11", "2026Q4" or "2026"."""
    match = _ANY_PERIOD.match(str(period).strip())
    if not match:
        raise invalid("PERIOD_FORMAT_INVALID", period=period)
    return int(match.group(1))


def check_period(policy: Policy, period: str) -> None:
    """A monthly policy is paid per month (2026-11), quarterly per quarter (2026Q4), yearly per
    year (2026); a one-off policy accepts any of these."""
    period_year(period)
    pattern = _PERIOD.get(policy.frequency)
    if pattern is not None and not pattern.match(period.strip()):
        example = {"monthly": "2026-11", "quarterly": "2026Q4", "yearly": "2026"}[policy.frequency]
        raise invalid("PERIOD_FREQUENCY_MISMATCH", policy=policy.name, frequency=policy.get_frequency_display(),
                      example=example, period=period)


def _tier(policy: Policy, key: str) -> PolicyTier:
    for tier in policy.tiers.all():
        if tier.key == key or tier.label == key:
            return tier
    names = "、".join(t.label for t in policy.tiers.all())
    raise invalid("TIER_UNKNOWN", policy=policy.name, tier=key, names=names)


def standard_amount_fen(policy: Policy, *, quantity: Decimal | int = 1, tier: str | None = None) -> int:
    """Standard amount in fen for one roster item: quantity × the rate (of `tier` if tiered),
    rounded half-up to the fen. `tier` is the tier's key or label."""
    if isinstance(quantity, (float, bool)) or not isinstance(quantity, (int, Decimal)):
        raise TypeError("数量必须是 Decimal 或整数")
    if quantity < 0:
        raise invalid("QUANTITY_NEGATIVE", quantity=quantity)
    if policy.is_tiered:
        if not tier:
            raise invalid("TIER_REQUIRED", policy=policy.name, basis=policy.tier_basis or "档次")
        rate = _tier(policy, tier).rate_fen
    else:
        rate = policy.rate_fen
    return Money(rate).times(quantity).fen
