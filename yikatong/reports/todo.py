"""To-do: the monitoring reports the user's organization still has to submit, from REMIND_DAYS before the
profile's day; after the day flagged overdue (a report not yet built counts as not submitted)."""
from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from yikatong.web.todo import TodoItem, register

from . import definitions
from .models import MonitoringReport, ReportState

REMIND_DAYS = 5
LOOK_BACK_MONTHS = 2  # this month and the last (a county report is due in the next month)


def due_reports(user, today: dt.date | None = None) -> list[tuple]:
    """(spec, year, month, due, overdue) of every report the user's organization has not yet submitted."""
    today = today or timezone.localdate()
    out = []
    for spec in definitions.specs_filed_by(user):
        for year, month in definitions.months_before(today, LOOK_BACK_MONTHS):
            due = definitions.due_date(spec, year, month)
            if (due - today).days > REMIND_DAYS:
                continue
            submitted = MonitoringReport.objects.filter(definition=spec.code, organization_id=user.organization_id,
                                                        year=year, month=month).exclude(state=ReportState.DRAFT)
            if not submitted.exists():
                out.append((spec, year, month, due, today > due))
    return out


@register
def monitoring_report_todos(user):
    return [TodoItem(f"{'逾期未报送' if overdue else '报送'}{spec.title}（{year}年{month}月，{due:%m月%d日}前）",
                     reverse("reports_list") + f"?period={year}-{month:02d}", due=due, overdue=overdue,
                     category="资金监测")
            for spec, year, month, due, overdue in due_reports(user)]
