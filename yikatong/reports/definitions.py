"""The reports a profile asks for (core.profiles.ReportSpec, data) and what follows from one: its deadline on
the working-day calendar, who fills it and who approves it."""
from __future__ import annotations

import calendar as _cal
import datetime as dt

from yikatong.accounts.models import OrgKind
from yikatong.accounts.roles import Role
from yikatong.core.calendar import add_working_days
from yikatong.core.profiles import ReportSpec, current_profile

DEPARTMENT, COUNTY = "department", "county"
FILER_ROLES = {DEPARTMENT: (Role.DEPT_REVIEWER, Role.DEPT_HEAD), COUNTY: (Role.FINANCE_REVIEWER,)}
FILER_KINDS = {DEPARTMENT: OrgKind.LINE_DEPARTMENT, COUNTY: OrgKind.FINANCE_BUREAU}
APPROVER_ROLES = (Role.FINANCE_REVIEWER,)  # county finance approves both kinds (the city is outside the install)
COUNTY_LEVEL = 3


def specs() -> tuple[ReportSpec, ...]:
    return current_profile().monitoring_reports


def spec_for(code: str) -> ReportSpec | None:
    return next((s for s in specs() if s.code == code), None)


def due_date(spec: ReportSpec, year: int, month: int) -> dt.date:
    """The day the report of (year, month) is due: `due_day` of the month `due_month_offset` later (its last
    day if shorter); a rest day moves it to the next working day of the calendar."""
    y, m = divmod(year * 12 + month - 1 + spec.due_month_offset, 12)
    m += 1
    day = dt.date(y, m, min(spec.due_day, _cal.monthrange(y, m)[1]))
    return add_working_days(day, 0)


def files(user, spec: ReportSpec) -> bool:
    """Whether `user` fills reports of `spec` for their organization."""
    org = getattr(user, "organization", None)
    return (getattr(user, "is_authenticated", False) and org is not None and org.kind == FILER_KINDS[spec.level]
            and org.region.level == COUNTY_LEVEL and user.has_role(*FILER_ROLES[spec.level]))


def specs_filed_by(user) -> list[ReportSpec]:
    return [s for s in specs() if files(user, s)]


def months_before(today: dt.date, n: int) -> list[tuple[int, int]]:
    """The n months up to and including today's, newest first."""
    out, y, m = [], today.year, today.month
    for _ in range(n):
        out.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out
