"""Publishing by the system, audited as 系统 (published_by None):

- a notice (公示) goes online when it is registered (rosters.hooks.notice_recorded, inside the registration's
  transaction): the paper on the board and the list online start together;
- a post-payment result list (发放结果公开) still unpublished on the last day of the profile's deadline
  (`results_publish_working_days` working days after the bank's answer, by core.calendar) is published by the
  daily job `results_publish` (disclosure.tasks). Each batch in its own transaction under a row lock, and only
  when the batch has no result list yet: running twice (or again after a kill -9) publishes once; a list the
  政务公开管理员 published or withdrew by hand is never touched.
A confidential (涉密) policy's list is never published; nothing publishable (no rows, no answer yet) is skipped."""
from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from yikatong.core import calendar
from yikatong.core.profiles import PROFILES
from yikatong.core.refusals import Refusal
from yikatong.rosters.guards import NOTICE_LEVELS
from yikatong.rosters.models import Batch, BatchState

from .models import ListKind, PublishedList
from .publish import publish_locked

log = logging.getLogger(__name__)

PAID_STATES = (BatchState.PAID, BatchState.PARTLY_FAILED, BatchState.CLOSED)
ANSWERED = (BatchState.PAID, BatchState.PARTLY_FAILED)


def notice_recorded(*, batch, level: str) -> PublishedList | None:
    """rosters.hooks: a village or township notice was registered; put the notice list online now (a new
    version when a later notice of the round changed its header). Refusals (confidential policy, no rows,
    unchanged) leave the registration as it is."""
    if level not in NOTICE_LEVELS:
        return None
    batch = Batch.objects.select_related("policy", "region").get(pk=batch.pk)
    try:
        with transaction.atomic():  # a savepoint: a refusal here never undoes the registration
            return publish_locked(batch, ListKind.NOTICE, actor=None, why="登记公示时自动公开")
    except Refusal as exc:
        log.info("notice list of batch %s not published: %s", batch.pk, exc.code)
        return None


def _deadlines() -> dict[str, int]:
    return {code: p.results_publish_working_days for code, p in PROFILES.items() if p.results_publish_working_days}


def results_deadline(paid_on: datetime.date, profile_code: str) -> datetime.date | None:
    """The last day the batch's result list may go online: `results_publish_working_days` working days after
    the day of the bank's answer (None: the profile states no deadline)."""
    days = _deadlines().get(profile_code)
    return None if days is None else calendar.add_working_days(paid_on, days)


def _unpublished():
    days = _deadlines()
    return (Batch.objects.filter(state__in=PAID_STATES, profile_code__in=list(days), policy__confidential=False)
            .exclude(published_lists__kind=ListKind.RESULT)
            .annotate(paid_at=Min("events__at", filter=Q(events__to_state__in=ANSWERED))))


def results_due(today: datetime.date | None = None) -> list[int]:
    """Ids of paid batches without any result list whose deadline is today or past."""
    today = today or timezone.localdate()
    due = []
    for pk, code, paid_at in _unpublished().values_list("pk", "profile_code", "paid_at"):
        if paid_at is not None and today >= results_deadline(timezone.localtime(paid_at).date(), code):
            due.append(pk)
    return due


def results_publish_due(*, today: datetime.date | None = None) -> dict[str, int]:
    """Publish the result list of every batch whose deadline arrived; {"published": n, "skipped": m}."""
    published = skipped = 0
    for pk in results_due(today):
        with transaction.atomic():
            batch = Batch.objects.select_for_update().select_related("policy", "region").get(pk=pk)
            if PublishedList.objects.filter(batch=batch, kind=ListKind.RESULT).exists():
                continue  # published meanwhile (by hand or by another run)
            try:
                with transaction.atomic():
                    publish_locked(batch, ListKind.RESULT, actor=None, why="发放结果公开期限届满，系统自动公开")
                published += 1
            except Refusal as exc:
                log.warning("result list of batch %s due but not published: %s", pk, exc.code)
                skipped += 1
    return {"published": published, "skipped": skipped}
