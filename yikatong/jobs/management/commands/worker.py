"""`yikatong worker`: the database-backed task worker plus a heartbeat for /healthz.

At start-up and then periodically (from the heartbeat thread) it takes back jobs whose runner died
(lease lapsed): they are queued again or failed, never left "running" (jobs.services.recover_interrupted).

Unless `--no-schedule` (or YKT_SCHEDULER_IN_WORKER off), it also runs the schedule declared in
settings.YKT_SCHEDULES (jobs.scheduler): each worker has its own scheduler, and each slot is claimed
by exactly one of them.
"""
import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connections
from django.utils import timezone
from django.utils.crypto import get_random_string

from yikatong.jobs.lease import lease_seconds
from yikatong.jobs.models import WorkerHeartbeat

log = logging.getLogger(__name__)


def _beat_once(worker_id: str, started) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": socket.gethostname()[:100], "pid": os.getpid(), "started_at": started, "seen_at": timezone.now()},
    )


def _recover() -> int:
    from yikatong.jobs.services import recover_interrupted

    return recover_interrupted()


def _beat(worker_id: str, started, stop: threading.Event, interval: float, recover_every: float) -> None:
    """Operational telemetry (not a business write, so not audited) and the periodic recovery."""
    last_recovery = time.monotonic()
    try:
        while not stop.wait(interval):
            try:
                close_old_connections()
                _beat_once(worker_id, started)
            except Exception:  # noqa: BLE001 - a missed beat only shows as "stale" on /healthz
                pass
            if time.monotonic() - last_recovery >= recover_every:
                last_recovery = time.monotonic()
                try:
                    recovered = _recover()
                    if recovered:
                        log.warning("worker %s: took back %d interrupted job(s)", worker_id, recovered)
                except Exception:  # noqa: BLE001 - retried at the next period
                    log.warning("worker %s: recovery of interrupted jobs failed", worker_id, exc_info=True)
    finally:
        connections.close_all()


class Command(BaseCommand):
    help = "Run the background worker (django-tasks database backend) with a heartbeat."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="process queued tasks, then exit")
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--beat-interval", type=float, default=None,
                            help="seconds between heartbeats (default: a third of the job lease, at most 10)")
        parser.add_argument("--no-schedule", dest="schedule", action="store_false", default=None,
                            help="do not run the scheduled jobs (YKT_SCHEDULES) in this worker")
        parser.add_argument("--schedule", dest="schedule", action="store_true",
                            help="run the scheduled jobs even if YKT_SCHEDULER_IN_WORKER is off")

    def handle(self, *args, batch=False, interval=1.0, beat_interval=None, schedule=None, **options):
        recovered = _recover()
        if recovered:
            self.stdout.write(f"已收回 {recovered} 个被中断的任务（重新排队或标记为失败）")
        worker_id = get_random_string(24)
        stop, started = threading.Event(), timezone.now()
        _beat_once(worker_id, started)  # first beat before any task runs
        beat_every = beat_interval or min(10.0, lease_seconds() / 3)
        beat = threading.Thread(target=_beat, args=(worker_id, started, stop, beat_every, lease_seconds() / 2),
                                daemon=True)
        beat.start()
        if schedule is None:
            schedule = bool(getattr(settings, "YKT_SCHEDULER_IN_WORKER", True))
        scheduler = None
        if schedule and not batch:
            from yikatong.jobs import scheduler as schedules

            scheduler = schedules.start()
            self.stdout.write(f"定时任务已启动：{len(scheduler.get_jobs())} 项")
        try:
            call_command(
                "db_worker", queue_name="*", interval=interval, batch=batch, reload=False,
                startup_delay=False, worker_id=worker_id,
            )
        finally:
            if scheduler is not None:
                scheduler.shutdown(wait=False)
            stop.set()
            beat.join(timeout=5)
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
