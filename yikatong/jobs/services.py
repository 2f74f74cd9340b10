"""Enqueue and run background jobs with progress. Enqueued on commit; safe to run twice."""
import logging

from django.db import transaction
from django.utils import timezone

from yikatong.audit.services import record

from .models import Job, JobState
from .registry import resolve

log = logging.getLogger(__name__)
ACTIVE = (JobState.QUEUED, JobState.RUNNING)


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


def _claim(job_id: int) -> bool:
    """Conditional update: only one runner moves a job to running; a finished job is never rerun."""
    return bool(
        Job.objects.filter(pk=job_id, state__in=ACTIVE).exclude(state=JobState.DONE).update(
            state=JobState.RUNNING, started_at=timezone.now(), attempts=1
        )
    )


def report(job_id: int, done: int, total: int | None = None, message: str = "") -> None:
    fields = {"done": done}
    if total is not None:
        fields["total"] = total
    if message:
        fields["message"] = message
    Job.objects.filter(pk=job_id).update(**fields)


def run(job_id: int) -> Job:
    """Run a job's handler. A job already done is left alone (tasks may be delivered twice)."""
    job = Job.objects.get(pk=job_id)
    if job.state == JobState.DONE:
        return job
    if not _claim(job_id):
        return Job.objects.get(pk=job_id)
    handler = resolve(job.kind)
    job.refresh_from_db()
    try:
        message, result = handler(job, lambda done, total=None, msg="": report(job_id, done, total, msg))
    except Exception as exc:  # the job is marked failed and the reason shown; the task itself succeeds
        log.exception("job %s failed", job_id)
        with transaction.atomic():
            Job.objects.filter(pk=job_id).update(
                state=JobState.FAILED, finished_at=timezone.now(), message=f"任务失败：{exc}"
            )
            record(actor=None, action="jobs.failed", obj=job, after={"error": str(exc)[:500]})
    else:
        with transaction.atomic():
            Job.objects.filter(pk=job_id).update(
                state=JobState.DONE, finished_at=timezone.now(), message=message, result=result
            )
            record(actor=None, action="jobs.done", obj=job, after={"message": message})
    return Job.objects.get(pk=job_id)


@transaction.atomic
def recover_interrupted(*, stale_seconds: int = 30) -> int:
    """At worker start: jobs left "running" while no other worker is alive were interrupted
    (process killed). Mark them failed so they can be submitted again."""
    from datetime import timedelta

    from .models import WorkerHeartbeat

    cutoff = timezone.now() - timedelta(seconds=stale_seconds)
    if WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).exists():
        return 0
    ids = list(Job.objects.select_for_update().filter(state=JobState.RUNNING).values_list("pk", flat=True))
    if ids:
        Job.objects.filter(pk__in=ids).update(
            state=JobState.FAILED, finished_at=timezone.now(), message="任务被中断（后台进程重启），请重新提交"
        )
        record(actor=None, action="jobs.recover_interrupted", object_type="jobs.job", object_id=",".join(map(str, ids))[:64],
               after={"jobs": ids})
    return len(ids)
