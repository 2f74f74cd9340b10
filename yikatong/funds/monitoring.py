"""The monthly monitoring report (月监测表) as a deadline: the profile names the day of the month by which it is
filed (LocalProfile.monitoring_report_day; seed 001: 25, seed 003: 28; None: no such report). Finance and
department reviewers see a to-do from REMIND_DAYS before the day until their organization has filed the
month's report; after the day it is flagged overdue."""
import calendar as _cal
import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.audit.services import record
from yikatong.core.profiles import current_profile
from yikatong.core.refusals import Forbidden, invalid

from . import errors  # noqa: F401  (registers the refusal messages)
from .models import MonitoringReport

REMIND_DAYS = 5
FILERS = (Role.FINANCE_REVIEWER, Role.DEPT_REVIEWER, Role.DEPT_HEAD)


def due_date(today: datetime.date) -> datetime.date | None:
    """The profile's filing day of `today`'s month (the month's last day if shorter); None if no report."""
    day = current_profile().monitoring_report_day
    if not day:
        return None
    return today.replace(day=min(day, _cal.monthrange(today.year, today.month)[1]))


def is_filed(organization, today: datetime.date) -> bool:
    return MonitoringReport.objects.filter(organization=organization, year=today.year, month=today.month).exists()


def reminder(user, today: datetime.date | None = None):
    """(due, overdue) when `user` should be reminded to file this month's report, else None."""
    today = today or timezone.localdate()
    due = due_date(today)
    if due is None or not getattr(user, "is_authenticated", False) or not user.has_role(*FILERS):
        return None
    if user.organization_id is None or (due - today).days > REMIND_DAYS or is_filed(user.organization, today):
        return None
    return due, today > due


@transaction.atomic
def report_file(*, actor, today: datetime.date | None = None) -> MonitoringReport:
    """Record that the actor's organization filed this month's monitoring report."""
    today = today or timezone.localdate()
    if due_date(today) is None:
        raise invalid("MONITORING_NOT_IN_PROFILE", profile=current_profile().name)
    if not actor.has_role(*FILERS) or actor.organization_id is None:
        raise Forbidden("MONITORING_ROLE_NOT_ALLOWED")
    try:
        with transaction.atomic():
            report = MonitoringReport.objects.create(organization=actor.organization, year=today.year,
                                                     month=today.month, filed_by=actor)
    except IntegrityError:
        raise invalid("MONITORING_FILED_BEFORE", year=today.year, month=today.month) from None
    record(actor=actor, action="funds.monitoring.file", obj=report,
           after={"organization": actor.organization_id, "year": today.year, "month": today.month})
    return report
