"""The quarterly check of monthly payments as a scheduled plan (seed 003: 对于按月发放的补贴资金，原则上实行每季度
核查核对一次): after each quarter, one drawn plan per county whose last-quarter monthly batches follow a profile
with `quarterly_inspection_rate`, sampling that share of the items (at least MIN_SIZE, at most MAX_SIZE),
phone checks first (电话抽查), risk weighted. Idempotent: a plan carries the key "<county>:<quarter>" (unique),
so a county's quarter gets one plan however often the slot runs."""
from __future__ import annotations

import datetime
import math

from django.utils import timezone

from yikatong.core.profiles import PROFILES

from . import sampling
from .inspections import MAX_SIZE, _draw, plan_create
from .models_inspections import InspectionPlan, Method, Sampling

MIN_SIZE = 10


def last_quarter(today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    q = (today.month - 1) // 3  # the quarter before this one, 0 meaning last year's Q4
    return f"{today.year - 1}Q4" if q == 0 else f"{today.year}Q{q}"


def _months(quarter: str) -> list[str]:
    year, q = quarter.split("Q")
    return [f"{year}-{m:02d}" for m in range(3 * int(q) - 2, 3 * int(q) + 1)]


def _profiles() -> list[str]:
    return sorted(code for code, p in PROFILES.items() if p.quarterly_inspection_rate)


def counties_due(quarter: str) -> dict[str, int]:
    """{county code: population} of counties with monthly items of `quarter` under a profile that asks for the
    quarterly check and no plan for it yet."""
    from yikatong.rosters.models import BatchItem

    profiles = _profiles()
    if not profiles:
        return {}
    rows = (BatchItem.objects.filter(batch__period__in=_months(quarter), batch__state__in=sampling.PAID_STATES,
                                     batch__profile_code__in=profiles, status="active")
            .values_list("batch__region_id", "batch__profile_code"))
    counts: dict[str, int] = {}
    rates: dict[str, float] = {}
    for region, profile in rows.iterator():
        county = region[:6]
        counts[county] = counts.get(county, 0) + 1
        rates[county] = PROFILES[profile].quarterly_inspection_rate
    done = set(InspectionPlan.objects.filter(schedule_key__in=[f"{c}:{quarter}" for c in counts])
               .values_list("schedule_key", flat=True))
    return {c: min(MAX_SIZE, max(MIN_SIZE, math.ceil(n * rates[c])))
            for c, n in sorted(counts.items()) if f"{c}:{quarter}" not in done}


def quarterly_plans_create(*, quarter: str | None = None) -> list[InspectionPlan]:
    """Create and draw last quarter's plan of every county due (system actor); returns the new plans."""
    from yikatong.regions.models import Region

    quarter = quarter or last_quarter()
    made = []
    for county, size in counties_due(quarter).items():
        region = Region.objects.get(code=Region.full_code(county))
        plan = plan_create(actor=None, region_code=region.code, period=quarter, methods=[Method.PHONE, Method.VISIT],
                           sampling_kind=Sampling.RISK_WEIGHTED, sample_size=size, monthly_only=True,
                           schedule_key=f"{county}:{quarter}", title=f"{region.name}{quarter}按月发放资金季度抽查")
        made.append(_draw(actor=None, plan_id=plan.pk, seed=None))
    return made
