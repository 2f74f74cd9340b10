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


def results_unpublished() -> bool:
    """Whether a result list reached its profile deadline unpublished (settings.YKT_SCHEDULES "when")."""
    from .publish_auto import results_due

    return bool(results_due())


@job_handler
def results_publish_job(job, progress):
    from .publish_auto import results_publish_due

    n = results_publish_due()
    return (f"已自动公开 {n['published']} 份到期未公开的发放结果名单" + (f"，{n['skipped']} 份无可公开内容" if n["skipped"] else ""),
            n)


@job_handler
def self_query_code_job(job, progress):
    """The self-query's SMS code (query_codes.issue queued it): to the registered phone through the SMS gateway
    of the 短信告知 (payments.sms.backend()); nothing when no person matched. The phone is never in the result."""
    from yikatong.payments.sms import backend

    from .query_codes import send

    sent = send(nonce=job.params["nonce"], person_id=job.params.get("person"), sender=backend())
    return ("已发送本人查询验证码" if sent else "无需发送"), {"sent": sent}
