"""Background jobs of the register (thin: ids in, call a service)."""
from yikatong.jobs.registry import job_handler

from . import services


@job_handler
def register_import_job(job, progress):
    imp = services.register_import_run(import_id=job.params["import_id"], progress=progress)
    if imp.state == "done":
        message = f"导入完成：新增 {imp.created} 人（单位），更新 {imp.updated}，未变 {imp.unchanged}"
    else:
        message = f"未导入：发现 {imp.error_count} 处错误，底册未做任何修改"
    return message, {"import_id": imp.pk, "state": imp.state, "created": imp.created, "updated": imp.updated,
                     "unchanged": imp.unchanged, "errors": imp.error_count}


@job_handler
def reference_load_job(job, progress):
    """A reference snapshot queued by the API (services.reference.reference_load_start). The staged
    file is dropped from the job's parameters once the job has run, loaded or not."""
    from yikatong.core.refusals import Refusal
    from yikatong.jobs.models import Job

    from .services.reference import ReferenceFileError, reference_load_run

    try:
        snap = reference_load_run(job)
    except ReferenceFileError as exc:
        if exc.code == "SHEET_COLUMN_MISSING":  # one message naming the column and its accepted names
            raise Refusal("SHEET_COLUMN_MISSING", message=exc.errors_list[0]) from exc
        raise Refusal("REFERENCE_JOB_FILE_REFUSED", count=len(exc.errors_list), first="；".join(exc.errors_list[:3])) from exc
    finally:
        Job.objects.filter(pk=job.pk).update(params={k: v for k, v in job.params.items() if k != "file"})
    warnings = getattr(snap, "warnings", [])
    return (f"已导入{snap}：{snap.row_count} 行" + "".join(f"；{w}" for w in warnings),
            {"snapshot_id": snap.pk, "dataset": snap.dataset, "rows": snap.row_count, "warnings": warnings})


def account_changes_due() -> bool:
    """Any approved account change whose effective date has come (the schedule's check)."""
    from django.utils import timezone

    from .choices import AccountChangeState
    from .models import AccountChangeRequest

    return AccountChangeRequest.objects.filter(state=AccountChangeState.APPROVED,
                                               effective_date__lte=timezone.localdate()).exists()


@job_handler
def account_changes_apply_job(job, progress):
    """Approved account changes whose effective date has come: old account closed, new one current."""
    applied = services.account_changes_apply_due(actor=None)
    return f"账户变更生效 {applied} 条", {"applied": applied}
