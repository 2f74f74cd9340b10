"""Background roster import with progress."""
from yikatong.jobs.registry import job_handler

from .importer.run import roster_import_process


@job_handler
def import_job(job, progress):
    run = roster_import_process(run_id=job.params["run_id"], progress=progress)
    return run.message, {"run_id": run.pk, "imported": run.imported, "errors": run.error_count}
