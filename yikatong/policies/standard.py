"""Amounts and eligibility that rosters and cross-checks compute from a policy."""
from __future__ import annotations

import datetime
import re
from decimal import Decimal

from yikatong.core.identifiers import IdentifierError, parse_id_number
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


def age_on(birth: datetime.date, day: datetime.date) -> int:
    """Full years of age (周岁) on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def tier_for_age(policy: Policy, *, id_number: str, on_date: datetime.date) -> PolicyTier | None:
    """The age-band tier (e.g. 高龄津贴 80-89 / 90-99 / 100+) matching the person's age."""
    age = age_on(parse_id_number(id_number, today=on_date).birth_date, on_date)
    for tier in policy.tiers.all():
        if tier.age_min is None and tier.age_max is None:
            continue
        if (tier.age_min is None or age >= tier.age_min) and (tier.age_max is None or age <= tier.age_max):
            return tier
    return None


def eligibility_problems(policy: Policy, *, id_number: str, region_code: str | None, on_date: datetime.date) -> list[str]:
    """Why a person may not receive this policy: age from the ID number, residence in the region."""
    problems: list[str] = []
    try:
        info = parse_id_number(id_number, today=on_date)
    except IdentifierError as exc:
        return [str(exc)]
    age = age_on(info.birth_date, on_date)
    if policy.age_min is not None and age < policy.age_min:
        problems.append(f"年龄{age}周岁，未达到“{policy.name}”要求的{policy.age_min}周岁")
    if policy.age_max is not None and age > policy.age_max:
        problems.append(f"年龄{age}周岁，超过“{policy.name}”规定的{policy.age_max}周岁")
    prefix = policy.catalogue.region.prefix
    if policy.residence_required and region_code is not None and not str(region_code).startswith(prefix):
        problems.append(f"不在“{policy.catalogue.region.name}”辖区内，不能享受“{policy.name}”")
    return problems
