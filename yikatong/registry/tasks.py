"""Background jobs of the register (thin: ids in, call a service)."""
from yikatong.jobs.registry import job_handler

from . import services


@job_handler
def register_import_job(job, progress):
    imp = services.run_register_import(import_id=job.params["import_id"], progress=progress)
    if imp.state == "done":
        message = f"导入完成：新增 {imp.created} 人（单位），更新 {imp.updated}，未变 {imp.unchanged}"
    else:
        message = f"未导入：发现 {imp.error_count} 处错误，底册未做任何修改"
    return message, {"import_id": imp.pk, "state": imp.state, "created": imp.created, "updated": imp.updated,
                     "unchanged": imp.unchanged, "errors": imp.error_count}
