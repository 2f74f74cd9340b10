"""Thin task: id in, call the service. Safe to run twice (see services.run).

`scheduled_job` is the job of one scheduled slot (services.schedule_slot_fire queues it): it runs the
entry's declared handler and keeps the slot's ScheduleRun in step (running, done or failed)."""
import logging

from django.utils import timezone
from django_tasks import task

from yikatong.core.failures import log_failure
from yikatong.core.refusals import Refusal

from . import services
from .registry import job_handler, resolve

log = logging.getLogger(__name__)


@task()
def run_job_task(job_id: int) -> str:
    return services.run(job_id).state


@job_handler
def scheduled_job(job, progress):
    from . import errors  # noqa: F401  (the codes' messages)
    from .models import RunState, ScheduleRun
    from .schedule import get

    run_id = job.params["schedule_run"]
    run = ScheduleRun.objects.get(pk=run_id)
    services.schedule_run_mark(run_id, state=RunState.RUNNING, started_at=timezone.now(), finished_at=None)
    try:
        entry = get(run.name)
        if entry is None:
            raise Refusal("SCHEDULE_UNKNOWN", name=run.name)
        message, result = resolve(entry.handler)(job, progress)
    except Exception as exc:
        # the run and the job show the same message: a refusal says itself, anything else is logged
        # once under a reference id (jobs.run then sees the JOB_FAILED refusal and logs nothing more)
        failure = exc if isinstance(exc, Refusal) else Refusal(
            "JOB_FAILED", ref=log_failure(log, f"scheduled {run.name} (job {job.pk})", exc))
        services.schedule_run_mark(run_id, state=RunState.FAILED, finished_at=timezone.now(),
                                   message=f"{failure.message}（{failure.code}）")
        raise failure from exc
    services.schedule_run_mark(run_id, state=RunState.DONE, finished_at=timezone.now(), message=message)
    return message, result
