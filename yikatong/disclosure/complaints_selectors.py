"""Reads of complaints for the staff list and its API: the complaints the actor may read (complaints_scope)
with their handling time in working days (filed → answered, or → today while unanswered) and how many
working days past the reply deadline they were answered or still are (the supervisor's view of handling
times, issue 15 point 5)."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from yikatong.core.calendar import working_day_numbers

from . import complaints_scope
from .models.complaints import ComplaintState

LIMIT = 500


@dataclass(frozen=True)
class Summary:
    count: int
    answered: int
    average_days: float | None  # average working days filed → answered, answered ones only
    overdue: int  # answered late, or open past the deadline


def staff_list(actor, *, state: str = "", overdue: bool = False, today: datetime.date | None = None) -> list:
    """Up to LIMIT complaints the actor reads, newest first, each with `handling_days` and `overdue_days`
    (0 when on time); `overdue` keeps only those answered late or open past the deadline."""
    qs = complaints_scope.visible_to(actor).select_related("region", "department")
    if state in ComplaintState.values:
        qs = qs.filter(state=state)
    rows = with_handling(list(qs[:LIMIT]), today or timezone.localdate())
    return [c for c in rows if c.overdue_days] if overdue else rows


def with_handling(rows: list, today: datetime.date) -> list:
    if not rows:
        return rows
    local = [(c, timezone.localtime(c.filed_at).date(),
              timezone.localtime(c.answered_at).date() if c.answered_at else today) for c in rows]
    start = min(min(f, u, c.due_on) for c, f, u in local)
    end = max(max(f, u, c.due_on) for c, f, u in local)
    n = working_day_numbers(start, end)
    for c, filed, until in local:
        c.handling_days = n[until] - n[filed] if until >= filed else 0
        c.overdue_days = n[until] - n[c.due_on] if until > c.due_on else 0
    return rows


def summary(rows: list) -> Summary:
    answered = [c for c in rows if c.answered_at]
    average = round(sum(c.handling_days for c in answered) / len(answered), 1) if answered else None
    return Summary(count=len(rows), answered=len(answered), average_days=average,
                   overdue=sum(1 for c in rows if c.overdue_days))
