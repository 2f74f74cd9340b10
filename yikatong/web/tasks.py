"""Background verification of the audit chain, with progress."""
from yikatong.audit.verify import verify_chain
from yikatong.jobs.registry import job_handler


@job_handler
def verify_job(job, progress):
    result = verify_chain(progress=lambda done, total: progress(done, total))
    return result.message, {"ok": result.ok, "checked": result.checked, "broken_seq": result.broken_seq}
