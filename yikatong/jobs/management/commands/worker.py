"""`yikatong worker`: the database-backed task worker plus a heartbeat for /healthz."""
import os
import socket
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string

from yikatong.jobs.models import WorkerHeartbeat


def _beat_once(worker_id: str, started) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": socket.gethostname()[:100], "pid": os.getpid(), "started_at": started, "seen_at": timezone.now()},
    )


def _beat(worker_id: str, started, stop: threading.Event, interval: float) -> None:
    """Operational telemetry (not a business write, so not audited)."""
    while not stop.wait(interval):
        try:
            close_old_connections()
            _beat_once(worker_id, started)
        except Exception:  # noqa: BLE001 - a missed beat only shows as "stale" on /healthz
            pass


class Command(BaseCommand):
    help = "Run the background worker (django-tasks database backend) with a heartbeat."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="process queued tasks, then exit")
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args, batch=False, interval=1.0, **options):
        from yikatong.jobs.services import recover_interrupted

        recovered = recover_interrupted()
        if recovered:
            self.stdout.write(f"已将 {recovered} 个被中断的任务标记为失败")
        worker_id = get_random_string(24)
        stop, started = threading.Event(), timezone.now()
        _beat_once(worker_id, started)  # first beat before any task runs
        beat = threading.Thread(target=_beat, args=(worker_id, started, stop, 10.0), daemon=True)
        beat.start()
        try:
            call_command(
                "db_worker", queue_name="*", interval=interval, batch=batch, reload=False,
                startup_delay=False, worker_id=worker_id,
            )
        finally:
            stop.set()
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
