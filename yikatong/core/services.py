"""Writes owned by core: the Holiday calendar corrections."""
from __future__ import annotations

import datetime

from django.db import transaction

from .audit_hook import record
from .holiday_access import require_calendar_admin
from .models import Holiday


def holiday_set(*, actor, date: datetime.date, is_workday: bool, name: str = "") -> Holiday:
    """Create or replace the calendar entry for `date`; recorded in the audit trail.

    is_workday=True marks a make-up working day (调休上班), False a rest day (放假).
    The calendar reads Holiday rows on every call, so the change applies immediately.
    """
    if isinstance(date, datetime.datetime) or not isinstance(date, datetime.date):
        raise TypeError(f"需要日期（date），收到 {type(date).__name__}")
    name = (name or "").strip()
    if len(name) > Holiday._meta.get_field("name").max_length:
        raise ValueError(f"节假日名称“{name}”过长，最多50个字")
    require_calendar_admin(actor)
    with transaction.atomic():
        existing = Holiday.objects.select_for_update().filter(date=date).first()
        before = {"is_workday": existing.is_workday, "name": existing.name} if existing else None
        holiday, _ = Holiday.objects.update_or_create(date=date, defaults={"is_workday": bool(is_workday), "name": name})
        record(
            actor=actor,
            action="core.holiday.set",
            obj=holiday,
            before=before,
            after={"date": date.isoformat(), "is_workday": holiday.is_workday, "name": holiday.name},
        )
    return holiday


def holiday_delete(*, actor, date: datetime.date) -> bool:
    """Remove the entry for `date` (the default calendar applies again). False if there was none."""
    require_calendar_admin(actor)
    with transaction.atomic():
        holiday = Holiday.objects.select_for_update().filter(date=date).first()
        if holiday is None:
            return False
        record(
            actor=actor,
            action="core.holiday.delete",
            obj=holiday,
            before={"date": date.isoformat(), "is_workday": holiday.is_workday, "name": holiday.name},
        )
        holiday.delete()
    return True
