"""Scheduled jobs of the disclosure app."""
from yikatong.jobs.registry import job_handler


def complaints_overdue() -> bool:
    """Whether the escalation scan has anything to do (settings.YKT_SCHEDULES "when")."""
    from .complaints import overdue

    return overdue().exists()


@job_handler
def complaints_escalate_job(job, progress):
    from .complaints import complaints_escalate

    n = complaints_escalate()
    return f"已将 {n} 件逾期未答复的投诉举报升级至县级主管部门/财政", {"escalated": n}
