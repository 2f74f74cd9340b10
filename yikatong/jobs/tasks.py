"""Thin task: id in, call the service. Safe to run twice (see services.run)."""
from django_tasks import task

from . import services


@task()
def run_job_task(job_id: int) -> str:
    return services.run(job_id).state
