"""Reads of monitoring reports, in the reader's scope: finance and supervisors see the reports of their region
subtree, a line department only its own organization's."""
from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.accounts.scope import in_scope
from yikatong.core.refusals import Forbidden

from . import errors  # noqa: F401  (registers the refusal messages)
from .models import MonitoringReport, ReportState

READERS = (Role.FINANCE_REVIEWER, Role.DEPT_REVIEWER, Role.DEPT_HEAD, Role.SUPERVISOR)
WIDE_READERS = (Role.FINANCE_REVIEWER, Role.SUPERVISOR)


def may_read(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.has_role(*READERS)


def visible(user):
    if not may_read(user):
        raise Forbidden("REPORT_READ_ROLE")
    qs = in_scope(MonitoringReport.objects.select_related("organization", "region"), user, "region")
    if not user.has_role(*WIDE_READERS):
        qs = qs.filter(organization_id=user.organization_id)
    return qs


def reports_for(user, *, period: str = "", state: str = "", overdue: bool = False, today: dt.date | None = None):
    qs = visible(user)
    if period:
        year, _, month = period.partition("-")
        if year.isdigit() and month.isdigit():
            qs = qs.filter(year=int(year), month=int(month))
    if state in ReportState.values:
        qs = qs.filter(state=state)
    if overdue:
        qs = qs.filter(state=ReportState.DRAFT, due_on__lt=today or timezone.localdate())
    return qs


def report_get(user, pk: int) -> MonitoringReport:
    report = visible(user).select_related("submitted_by", "approved_by").filter(pk=pk).first()
    if report is None:
        raise Http404("未找到该报表")
    return report


def is_overdue(report: MonitoringReport, today: dt.date | None = None) -> bool:
    return report.state == ReportState.DRAFT and report.due_on < (today or timezone.localdate())
