"""The scheduler inside `yikatong worker`: APScheduler's BackgroundScheduler with one cron job per
declared entry (jobs.schedule, settings.YKT_SCHEDULES). Each fire claims its slot through
services.schedule_slot_fire, so with several workers (each with its own scheduler) a slot still runs
once.

Missed slots: APScheduler keeps its jobs in memory (nothing to clean up after a crash), with
`coalesce` (fires missed while the process was stalled collapse into one) and a misfire grace of
YKT_SCHEDULE_GRACE_SECONDS. A worker that starts within that grace after a slot nobody ran runs it
(`catch_up`); a slot already claimed — by another worker or by this one before a restart — is
never run again.
"""
from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler
from django.conf import settings
from django.db import close_old_connections, connections
from django.utils import timezone

from .schedule import Schedule, declared, tz

log = logging.getLogger(__name__)


def grace_seconds() -> int:
    return max(1, int(getattr(settings, "YKT_SCHEDULE_GRACE_SECONDS", 3600)))


def fire(name: str, *, now=None, own_connection: bool = False):
    """The scheduler's callback: claim the slot that is due now (the trigger's latest fire time, the
    same for every worker) and queue its job. Returns the run, or None (another worker had it).
    `own_connection`: called on a scheduler thread, whose connection is opened fresh and closed after."""
    from .services import schedule_slot_fire

    entry = declared().get(name)
    if entry is None:
        return None
    slot = entry.last_slot(now)
    if slot is None:
        return None
    if own_connection:
        close_old_connections()
    try:
        run = schedule_slot_fire(name, slot)
        if run is not None:
            log.info("schedule %s: slot %s claimed (%s)", name, slot.isoformat(), run.state)
        return run
    except Exception:  # noqa: BLE001 - a missed slot shows on the page; the scheduler keeps running
        log.warning("schedule %s: slot %s could not be claimed", name, slot.isoformat(), exc_info=True)
        return None
    finally:
        if own_connection:
            connections.close_all()  # this scheduler thread's connections only


def catch_up(*, now=None) -> list:
    """Run each entry's latest slot if it is within the grace and nobody claimed it (a worker that
    was down at the slot time). Claimed slots are left alone."""
    now = now or timezone.now()
    runs = []
    for entry in declared().values():
        slot = entry.last_slot(now)
        if slot is not None and (now - slot).total_seconds() <= grace_seconds():
            run = fire(entry.name, now=now)
            if run is not None:
                runs.append(run)
    return runs


def build(entries: dict[str, Schedule] | None = None) -> BackgroundScheduler:
    """A scheduler (not started) with one job per entry."""
    scheduler = BackgroundScheduler(timezone=tz())
    for entry in (entries if entries is not None else declared()).values():
        scheduler.add_job(fire, trigger=entry.trigger, args=[entry.name], kwargs={"own_connection": True},
                          id=entry.name, name=entry.title, replace_existing=True,
                          coalesce=True, max_instances=1, misfire_grace_time=grace_seconds())
    return scheduler


def start() -> BackgroundScheduler:
    """Start the schedule in this process (the worker): slots missed within the grace first."""
    try:
        catch_up()
    except Exception:  # noqa: BLE001 - the scheduler still starts
        log.warning("schedule: catching up missed slots failed", exc_info=True)
    scheduler = build()
    scheduler.start()
    log.info("schedule started: %s", ", ".join(sorted(declared())) or "(nothing declared)")
    return scheduler
