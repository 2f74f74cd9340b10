"""The lease a running job holds: who holds it, and the heartbeat that renews it.

The owner is "host:pid:start" where start is the process's start time (from /proc where there is
one), so a process id reused after a kill -9 is never mistaken for the dead runner. The heartbeat
thread writes the job's progress and renews its lease on its own connection (autocommit), so a
handler inside a long transaction still shows progress and keeps its lease.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

log = logging.getLogger(__name__)

_HOST = socket.gethostname()[:60]
RUNNING_HERE: set[int] = set()  # ids of the jobs this process is running now (a Heartbeat is open)


def _start_time(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux); "" where unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return ""
    # the command name (field 2) is in parentheses and may hold spaces: split after the last ")"
    fields = stat[stat.rfind(b")") + 2:].split()
    return fields[19].decode() if len(fields) > 19 else ""


def owner_id() -> str:
    pid = os.getpid()
    return f"{_HOST}:{pid}:{_start_time(pid)}"


def owner_alive(owner: str) -> bool | None:
    """True / False if `owner` ran on this host and is / is not alive; None if it ran elsewhere
    (then only its lease tells)."""
    host, _, rest = owner.partition(":")
    pid_text, _, start = rest.partition(":")
    if host != _HOST or not pid_text.isdigit():
        return None
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        pass
    if start and _start_time(pid) not in ("", start):
        return False  # the id was reused by a newer process
    return True


def lease_seconds() -> int:
    return max(3, int(getattr(settings, "YKT_JOB_LEASE_SECONDS", 60)))


def lease_deadline(now=None):
    return (now or timezone.now()) + timedelta(seconds=lease_seconds())


def _shared_memory_db() -> bool:
    """SQLite in memory (the test database): a second connection would lock the test's tables."""
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


class Heartbeat:
    """Renews the lease of one claimed job and flushes its progress until stopped.

    `progress(done, total, message)` is the handler's callback: remembered here and written by the
    heartbeat thread at most once a second (or directly where no second connection is possible).
    If the lease was lost (the job was taken back after a stall) `lost` is set; the runner then
    does not overwrite the job's outcome.
    """

    FLUSH_EVERY = 1.0

    def __init__(self, job_id: int, owner: str, attempt: int):
        self.job_id, self.owner, self.attempt = job_id, owner, attempt
        self.fields: dict = {}
        self.lost = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._direct = _shared_memory_db()
        self._thread = None if self._direct else threading.Thread(target=self._loop, daemon=True,
                                                                  name=f"job-{job_id}-lease")

    def _mine(self):
        from .models import Job, JobState

        return Job.objects.filter(pk=self.job_id, state=JobState.RUNNING, lease_owner=self.owner,
                                  attempts=self.attempt)

    def progress(self, done: int, total: int | None = None, message: str = "") -> None:
        fields = {"done": done}
        if total is not None:
            fields["total"] = total
        if message:
            fields["message"] = message
        if self._direct:
            self._mine().update(**fields)
            return
        with self._lock:
            self.fields.update(fields)

    def __enter__(self):
        RUNNING_HERE.add(self.job_id)
        if self._thread is not None:
            self._thread.start()
        return self

    def __exit__(self, *exc):
        RUNNING_HERE.discard(self.job_id)
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        return False

    def _loop(self) -> None:
        renew_every = lease_seconds() / 3
        since_renewal = 0.0
        try:
            while not self._stop.wait(self.FLUSH_EVERY):
                since_renewal += self.FLUSH_EVERY
                with self._lock:
                    fields, self.fields = self.fields, {}
                now = timezone.now()
                if since_renewal >= renew_every:
                    fields.update(lease_until=lease_deadline(now), heartbeat_at=now)
                    since_renewal = 0.0
                if not fields:
                    continue
                try:
                    if not self._mine().update(**fields):
                        self.lost = True
                        log.warning("job %s: lease lost (taken back after a stall)", self.job_id)
                        return
                except Exception:  # noqa: BLE001 - a missed beat is retried; the lease has slack
                    log.warning("job %s: heartbeat failed", self.job_id, exc_info=True)
                    with self._lock:
                        self.fields = {**fields, **self.fields}
        finally:
            connections.close_all()  # this thread's connection only (connections are per thread)

    def pending(self) -> dict:
        """Progress not yet written (the runner writes it with the outcome)."""
        with self._lock:
            fields, self.fields = self.fields, {}
        return {k: v for k, v in fields.items() if k in ("done", "total")}
