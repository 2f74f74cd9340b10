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


@job_handler
def self_query_code_job(job, progress):
    """The self-query's SMS code (query_codes.issue queued it): to the registered phone through the SMS gateway
    of the 短信告知 (payments.sms.backend()); nothing when no person matched. The phone is never in the result."""
    from yikatong.payments.sms import backend

    from .query_codes import send

    sent = send(nonce=job.params["nonce"], person_id=job.params.get("person"), sender=backend())
    return ("已发送本人查询验证码" if sent else "无需发送"), {"sent": sent}
