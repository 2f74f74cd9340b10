"""Enqueue and run background jobs with progress. Enqueued on commit; safe to run twice.

Crash safety: a job is claimed by a conditional update (queued -> running) that also takes a lease
(owner, until when); a heartbeat renews the lease while the handler runs. If the runner dies
(kill -9, power cut) the lease lapses and `recover_interrupted` — run at worker start-up and
periodically by the worker — queues the job again (handlers are idempotent: imports are all or
nothing in one transaction, checks work by fingerprint, SMS notices all or none) or, after
YKT_JOB_MAX_ATTEMPTS runs, fails it with a message saying so. No job stays "running" forever.
"""
import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from yikatong.audit.services import record
from yikatong.core.dbtimeouts import session_statement_timeout
from yikatong.core.failures import log_failure, user_message
from yikatong.core.faults import fault_point

from .lease import RUNNING_HERE, Heartbeat, lease_deadline, lease_seconds, owner_alive, owner_id
from .models import Job, JobState
from .registry import resolve

log = logging.getLogger(__name__)
ACTIVE = (JobState.QUEUED, JobState.RUNNING)


def max_attempts() -> int:
    return max(1, int(getattr(settings, "YKT_JOB_MAX_ATTEMPTS", 3)))


@transaction.atomic
def enqueue(*, actor, kind: str, title: str, key: str, params: dict | None = None) -> Job:
    """Create (or return the already active) job for `key` and queue it once the transaction commits."""
    resolve(kind)  # refuse unknown kinds before anything is written
    existing = Job.objects.select_for_update().filter(key=key, state__in=ACTIVE).first()
    if existing is not None:
        return existing
    job = Job.objects.create(
        key=key, kind=kind, title=title, owner=actor if getattr(actor, "is_authenticated", False) else None,
        params=params or {},
    )
    record(actor=actor, action="jobs.enqueue", obj=job, after={"kind": kind, "key": key})
    transaction.on_commit(lambda: _send(job.pk))
    return job


def _send(job_id: int) -> None:
    from .tasks import run_job_task

    result = run_job_task.enqueue(job_id)
    Job.objects.filter(pk=job_id, task_result_id="").update(task_result_id=str(result.id))


def _claim(job_id: int, owner: str) -> int | None:
    """Conditional update queued -> running with a lease: only one runner gets a job, and a job
    running (or finished) is never started again by a duplicate delivery. Returns the attempt
    number, or None if the job was not queued."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=now, finished_at=None, attempts=F("attempts") + 1,
        lease_owner=owner, lease_until=lease_deadline(now), heartbeat_at=now,
    )
    if not claimed:
        return None
    return Job.objects.filter(pk=job_id).values_list("attempts", flat=True).get()


def report(job_id: int, done: int, total: int | None = None, message: str = "") -> None:
    fields = {"done": done}
    if total is not None:
        fields["total"] = total
    if message:
        fields["message"] = message
    Job.objects.filter(pk=job_id).update(**fields)


def _finish(job: Job, heartbeat: Heartbeat, *, state: str, message: str, result=None, action: str, after: dict):
    """Write the outcome if this runner still holds the lease (else another run took the job over)."""
    with transaction.atomic():
        written = Job.objects.filter(
            pk=job.pk, state=JobState.RUNNING, lease_owner=heartbeat.owner, attempts=heartbeat.attempt,
        ).update(state=state, finished_at=timezone.now(), message=message, result=result, lease_until=None,
                 **heartbeat.pending())
        if written:
            record(actor=None, action=action, obj=job, after=after)
        else:
            log.warning("job %s: outcome not written, the lease was taken back", job.pk)


def _finish_failed(job: Job, heartbeat: Heartbeat, *, message: str, after: dict) -> None:
    """Record the failure in a fresh transaction. If the handler left the connection unusable (a
    broken PostgreSQL transaction, a dropped connection) it is closed and the write tried once more
    on a new one; if that fails too the lease lapses and recover_interrupted fails the job later."""
    for attempt in (1, 2):
        try:
            _finish(job, heartbeat, state=JobState.FAILED, message=message, action="jobs.failed", after=after)
            return
        except Exception as exc:  # noqa: BLE001 - the database is the problem; try a fresh connection
            if attempt == 2 or connection.in_atomic_block:
                log_failure(log, f"job {job.pk}: recording its failure", exc)
                return
            connection.close()


def run(job_id: int) -> Job:
    """Run a job's handler. A job already running or done is left alone (tasks may be delivered twice)."""
    job = Job.objects.get(pk=job_id)
    if job.state != JobState.QUEUED:
        return job
    handler = resolve(job.kind)
    owner = owner_id()
    attempt = _claim(job_id, owner)
    if attempt is None:
        return Job.objects.get(pk=job_id)
    job.refresh_from_db()
    fault_point("jobs.run.mid_job")
    with Heartbeat(job_id, owner, attempt) as beat, session_statement_timeout():
        try:
            message, result = handler(job, beat.progress)
        except Exception as exc:  # the job is marked failed and the reason shown; the task itself succeeds
            # a refusal says itself; anything else (a database error quotes values) is logged under a
            # reference id and shown as a generic message with that id
            shown, after = user_message(exc, what=f"job {job_id} ({job.kind})", log=log)
            _finish_failed(job, beat, message=shown, after=after)
        else:
            _finish(job, beat, state=JobState.DONE, message=message, result=result, action="jobs.done",
                    after={"message": message})
    return Job.objects.get(pk=job_id)


def _lapsed(job: Job, now) -> bool:
    """A running job whose runner is gone: it died on this host, or its lease ran out. This very
    process knows which jobs it runs: one of its own that it no longer runs (its outcome could not
    be written) is lapsed once its lease is."""
    expired = job.lease_until is None or job.lease_until < now
    if job.lease_owner and job.lease_owner == owner_id():
        return expired and job.pk not in RUNNING_HERE
    alive = owner_alive(job.lease_owner) if job.lease_owner else None
    if alive is False:
        return True
    if alive is True:
        return False  # a live local runner that could not renew (e.g. SQLite busy): never doubled
    return expired


def _retire_task_result(task_result_id: str) -> None:
    """The queue's own record of the dead run is closed too (else it shows "running" forever)."""
    if not task_result_id:
        return
    try:
        from django_tasks_db.compat import TaskResultStatus
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - another queue backend
        return
    try:
        DBTaskResult.objects.filter(id=task_result_id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED, finished_at=timezone.now())
    except Exception:  # noqa: BLE001 - a malformed id or a table not migrated: nothing to retire
        log.debug("task result %s not retired", task_result_id, exc_info=True)


def recover_interrupted(*, now=None) -> int:
    """Queue again, or fail, every running job whose runner is gone (see `_lapsed`). Called when a
    worker starts and then periodically by it; safe to run in several processes at once (rows are
    locked, skipped if another recoverer holds them, and changed by conditional update). Also sends
    the task of a queued job whose sending was lost. Returns how many jobs were recovered."""
    now = now or timezone.now()
    limit = max_attempts()
    recovered, requeued = 0, []
    with transaction.atomic():
        candidates = Job.objects.filter(state=JobState.RUNNING).filter(
            Q(lease_until__isnull=True) | Q(lease_until__lt=now) | Q(lease_owner__startswith=owner_id().split(":")[0] + ":"))
        for job in candidates.select_for_update(skip_locked=True).order_by("pk"):
            if not _lapsed(job, now):
                continue
            guard = Job.objects.filter(pk=job.pk, state=JobState.RUNNING, attempts=job.attempts,
                                       lease_owner=job.lease_owner)
            if job.attempts < limit:
                changed = guard.update(
                    state=JobState.QUEUED, lease_owner="", lease_until=None, task_result_id="", heartbeat_at=now,
                    message=f"任务被中断（后台进程意外退出），已自动重新排队（第 {job.attempts + 1} 次运行，最多 {limit} 次）")
                if changed:
                    record(actor=None, action="jobs.requeued", obj=job,
                           after={"attempts": job.attempts, "lease_owner": job.lease_owner})
                    transaction.on_commit(lambda pk=job.pk: _send(pk))
                    requeued.append(job.pk)
            else:
                changed = guard.update(
                    state=JobState.FAILED, finished_at=now, lease_owner="", lease_until=None,
                    message=f"任务被中断（后台进程意外退出），已运行 {job.attempts} 次仍未完成，不再自动重试；"
                            "请检查数据后重新提交")
                if changed:
                    record(actor=None, action="jobs.failed_interrupted", obj=job,
                           after={"attempts": job.attempts, "lease_owner": job.lease_owner})
            if changed:
                _retire_task_result(job.task_result_id)
                recovered += 1
        # A job is queued in its caller's transaction and its task sent once that commits: a process
        # killed in between leaves a queued job no worker will ever see. Send it (again: a second
        # delivery finds the job no longer queued and does nothing).
        cut = now - timedelta(seconds=lease_seconds())  # queued (or requeued, heartbeat_at) that long ago
        orphans = Job.objects.filter(state=JobState.QUEUED, task_result_id="").filter(
            Q(heartbeat_at__isnull=True, created_at__lt=cut) | Q(heartbeat_at__lt=cut)).exclude(pk__in=requeued)
        for pk in orphans.select_for_update(skip_locked=True).values_list("pk", flat=True):
            transaction.on_commit(lambda pk=pk: _send(pk))
            recovered += 1
    return recovered


# --- scheduled jobs (jobs.schedule declares them; jobs.scheduler fires the slots) -------------------

def schedule_slot_fire(name: str, slot, *, now=None):
    """Claim and start one slot of a scheduled job. Any number of workers may call this for the same
    slot at once: the first INSERT of (name, slot_time) wins (a unique constraint; on PostgreSQL the
    others wait for its commit and then fail the insert) and only the winner queues the job, in the
    same transaction as its claim. Returns the ScheduleRun, or None if another worker has the slot.

    Nothing to do (the entry's `when` check says so) or the previous run still going: the run is
    recorded as skipped, without a job. A check or enqueue that fails is recorded as failed."""
    from django.db import IntegrityError
    from django.utils.module_loading import import_string

    from yikatong.core.refusals import Refusal

    from . import errors  # noqa: F401  (the codes' messages)
    from .models import RunState, ScheduleRun
    from .schedule import get

    with transaction.atomic():
        try:
            with transaction.atomic():
                run = ScheduleRun.objects.create(name=name, slot_time=slot, claimed_by=owner_id())
        except IntegrityError:
            return None
        try:
            with transaction.atomic():
                entry = get(name)
                if entry is None:
                    raise Refusal("SCHEDULE_UNKNOWN", name=name)
                earlier = (ScheduleRun.objects.filter(name=name, slot_time__lt=slot, job__state__in=ACTIVE)
                           .order_by("-slot_time").first())
                if earlier is not None:
                    run.state, run.message = RunState.SKIPPED, (
                        f"上一次运行（计划时间 {timezone.localtime(earlier.slot_time):%Y-%m-%d %H:%M}）尚未结束，本次不运行")
                elif entry.when and not _checked(import_string(entry.when)):
                    run.state, run.message = RunState.SKIPPED, "没有待处理的事项，本次不运行"
                else:
                    local = timezone.localtime(slot)
                    run.job = enqueue(actor=None, kind="yikatong.jobs.tasks.scheduled_job",
                                      title=f"定时任务：{entry.title}（{local:%m-%d %H:%M}）",
                                      key=f"schedule:{name}:{local:%Y%m%dT%H%M}",
                                      params={**entry.params, "schedule_run": run.pk})
        except Exception as exc:  # recorded on the run (and logged with a reference id)
            run.state, run.message = RunState.FAILED, user_message(exc, what=f"schedule {name} slot {slot}", log=log)[0]
            run.finished_at = timezone.now()
        if run.state != RunState.QUEUED:
            run.finished_at = run.finished_at or timezone.now()
        run.save()
    return run


def _checked(check) -> bool:
    """Call a schedule's `when` check; only the project's own functions are called."""
    if not getattr(check, "__module__", "").startswith("yikatong."):
        raise ValueError(f"not a yikatong function: {check!r}")
    return bool(check())


def schedule_run_mark(run_id: int, **fields) -> None:
    """Write a scheduled run's progress (running / done / failed). Operational record, not audited:
    the job it runs records jobs.enqueue and jobs.done / jobs.failed."""
    from .models import ScheduleRun

    try:
        ScheduleRun.objects.filter(pk=run_id).update(**fields)
    except Exception:  # noqa: BLE001 - the job's own outcome is still written by jobs.run
        log.warning("schedule run %s: state not written", run_id, exc_info=True)
