"""Every write of monitoring reports: build (fill the draft from the data), remarks, and the transitions of
reports.flow. Keyword-only arguments, an explicit actor, one transaction and one audit event each."""
from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils import timezone

from yikatong.audit.services import record
from yikatong.core.profiles import current_profile
from yikatong.core.refusals import Forbidden, invalid
from yikatong.core.statemachine import apply

from . import definitions, figures
from .errors import ReportRefusal
from .flow import REPORTS
from .models import MonitoringReport, ReportState

MAX_REMARKS = 2000


def parse_period(period: str, today: dt.date | None = None) -> tuple[int, int]:
    """(year, month) of "YYYY-MM", not later than today's month; else REPORT_PERIOD_INVALID."""
    today = today or timezone.localdate()
    try:
        year, month = (int(x) for x in str(period).split("-"))
        ok = len(str(period)) == 7 and 2000 <= year and 1 <= month <= 12 and (year, month) <= (today.year, today.month)
    except ValueError:
        ok = False
    if not ok:
        raise invalid("REPORT_PERIOD_INVALID", period=str(period)[:20])
    return year, month


def _fill(report: MonitoringReport) -> dict:
    return figures.collect(region=report.region, year=report.year, month=report.month,
                           department_id=report.organization_id if report.level == definitions.DEPARTMENT else None,
                           notice_min_working_days=current_profile().notice_min_working_days)


def _locked(report: MonitoringReport) -> ReportRefusal:
    return REPORTS.refuse("REPORT_LOCKED", report=f"{report.title}（{report.period}）",
                          state=ReportState(report.state).label)


@transaction.atomic
def report_build(*, actor, definition: str, period: str, today: dt.date | None = None) -> MonitoringReport:
    """Create the actor's organization's report of `period`, or refill its draft, from the data now."""
    spec = definitions.spec_for(definition)
    if spec is None:
        raise invalid("MONITORING_NOT_IN_PROFILE", profile=current_profile().name, definition=str(definition)[:40])
    if not definitions.files(actor, spec):
        raise Forbidden("MONITORING_ROLE_NOT_ALLOWED", title=spec.title)
    year, month = parse_period(period, today)
    org = actor.organization
    report = (MonitoringReport.objects.select_for_update()
              .filter(definition=spec.code, organization=org, year=year, month=month).first())
    now = timezone.now()
    if report is None:
        try:
            with transaction.atomic():
                report = MonitoringReport.objects.create(
                    definition=spec.code, title=spec.title, level=spec.level, next_level=spec.next_level,
                    organization=org, region=org.region, year=year, month=month,
                    due_on=definitions.due_date(spec, year, month), built_at=now, created_by=actor)
        except IntegrityError:  # built by someone else meanwhile
            report = MonitoringReport.objects.select_for_update().get(definition=spec.code, organization=org,
                                                                     year=year, month=month)
    if report.state != ReportState.DRAFT:
        raise _locked(report)
    content = _fill(report)
    MonitoringReport.objects.filter(pk=report.pk, state=ReportState.DRAFT).update(content=content, built_at=now)
    record(actor=actor, action="reports.report.build", obj=report,
           after={"definition": spec.code, "period": report.period, "rows": len(content["rows"])})
    report.refresh_from_db()
    return report


def _own_draft(actor, pk: int) -> MonitoringReport:
    report = MonitoringReport.objects.select_for_update().get(pk=pk)
    if actor.organization_id != report.organization_id or not actor.has_role(*definitions.FILER_ROLES[report.level]):
        raise Forbidden("MONITORING_ROLE_NOT_ALLOWED", title=report.title)
    if report.state != ReportState.DRAFT:
        raise _locked(report)
    return report


@transaction.atomic
def report_remarks(*, actor, pk: int, remarks: str) -> MonitoringReport:
    remarks = (remarks or "").strip()
    if len(remarks) > MAX_REMARKS:
        raise invalid("REPORT_REMARKS_TOO_LONG")
    report = _own_draft(actor, pk)
    MonitoringReport.objects.filter(pk=pk, state=ReportState.DRAFT).update(remarks=remarks)
    record(actor=actor, action="reports.report.remarks", obj=report, after={"length": len(remarks)})
    report.refresh_from_db()
    return report


@transaction.atomic
def report_submit(*, actor, pk: int) -> MonitoringReport:
    """Refill the draft from the data and submit it: what the level above reviews is today's figures."""
    report = _own_draft(actor, pk)
    MonitoringReport.objects.filter(pk=pk).update(content=_fill(report), built_at=timezone.now())
    return apply(REPORTS, actor=actor, pk=pk, action="submit",
                 fields={"submitted_by": actor, "submitted_at": timezone.now(), "returned_reason": ""})


def frozen_of(report: MonitoringReport) -> tuple[dict, str]:
    """The version approved: everything an export shows, and the SHA-256 of its canonical JSON."""
    frozen = {"definition": report.definition, "title": report.title, "organization": report.organization.name,
              "region_code": report.region_id, "region": report.region.name, "period": report.period,
              "due_on": report.due_on.isoformat(), "next_level": report.next_level,
              "built_at": report.built_at.isoformat(), "remarks": report.remarks,
              "submitted_by": report.submitted_by.get_full_name() or report.submitted_by.username if report.submitted_by else "",
              "submitted_at": report.submitted_at.isoformat() if report.submitted_at else "",
              "content": report.content}
    return frozen, sha256_of(frozen)


def sha256_of(frozen: dict) -> str:
    return hashlib.sha256(json.dumps(frozen, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                          .encode()).hexdigest()


@transaction.atomic
def report_approve(*, actor, pk: int) -> MonitoringReport:
    report = MonitoringReport.objects.select_related("organization", "region", "submitted_by").get(pk=pk)
    REPORTS.require(report, "approve")
    frozen, digest = frozen_of(report)
    frozen["approved_by"] = actor.get_full_name() or actor.username
    digest = sha256_of(frozen)
    return apply(REPORTS, actor=actor, pk=pk, action="approve", audit_after={"sha256": digest},
                 fields={"approved_by": actor, "approved_at": timezone.now(), "frozen": frozen,
                         "frozen_sha256": digest})


@transaction.atomic
def report_return(*, actor, pk: int, reason: str) -> MonitoringReport:
    return apply(REPORTS, actor=actor, pk=pk, action="return", reason=reason,
                 fields={"returned_reason": (reason or "").strip()[:500]})


@transaction.atomic
def report_send_up(*, actor, pk: int) -> MonitoringReport:
    """A county report's approved version goes to the level above (outside the install) as its export."""
    return apply(REPORTS, actor=actor, pk=pk, action="send_up", fields={"sent_up_at": timezone.now()})
