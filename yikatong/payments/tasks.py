"""Background work of payments: what the ingest queues once an answer commits — the 短信告知 of an answered
order and its card results for the register (payments.card_results)."""
from django.db import transaction

from yikatong.jobs.registry import job_handler

from .card_results import order_card_results
from .models import PaymentOrder
from .sms import queue_for_order


@job_handler
def queue_notices_job(job, progress):
    """Background job queued by the ingest once it commits: the notices are not part of the answer."""
    with transaction.atomic():
        order = PaymentOrder.objects.select_for_update().select_related("batch__policy").get(pk=job.params["order_id"])
        queued = queue_for_order(order)
    return f"已生成短信告知 {queued} 条", {"queued": queued}


def enqueue_notices(*, actor, order_id: int):
    """Queue the 短信告知 of an answered order as a job; it runs after the caller's transaction commits."""
    from yikatong.jobs.services import enqueue

    return enqueue(actor=actor, kind="yikatong.payments.tasks.queue_notices_job", title="生成到账短信告知",
                   key=f"payments:sms:{order_id}", params={"order_id": order_id})


@job_handler
def card_results_job(job, progress):
    changed = order_card_results(actor=None, order_id=job.params["order_id"])
    return (f"社保卡状态：{changed['failed']} 个账户按失败原因更新，{changed['activated']} 个账户因发放成功恢复正常",
            changed)


def enqueue_card_results(*, actor, order_id: int):
    """Queue the card results of an answered order; it runs after the ingest's transaction commits."""
    from yikatong.jobs.services import enqueue

    return enqueue(actor=actor, kind="yikatong.payments.tasks.card_results_job", title="根据银行回盘更新社保卡状态",
                   key=f"payments:cards:{order_id}", params={"order_id": order_id})


# --- scheduled (settings.YKT_SCHEDULES; the worker's scheduler queues them) -----------------------

def sms_waiting() -> bool:
    """Any notice queued or to be retried (the schedule's check: no job when nothing is waiting)."""
    from .models import SmsNotice, SmsState

    return SmsNotice.objects.filter(state__in=[SmsState.QUEUED, SmsState.FAILED]).exists()


@job_handler
def sms_deliver_job(job, progress):
    """Send the waiting 短信告知 (payments.sms.sms_deliver; retried up to its MAX_ATTEMPTS)."""
    from .sms import sms_deliver

    sent, failed = sms_deliver(limit=int(job.params.get("limit", 500)))
    return f"发送到账短信 {sent} 条，发送失败 {failed} 条（失败的将在下次重试）", {"sent": sent, "failed": failed}


def bank_answers_waiting() -> bool:
    """Any answer file in the bank inbox (the schedule's check)."""
    from .exchange.connector import OutboxConnector

    return bool(OutboxConnector().answers())


@job_handler
def bank_inbox_collect_job(job, progress):
    """Collect the bank's answers from the inbox (payments.ingest.bank_inbox_collect): each file is
    ingested, then leaves the inbox; a refused file stays and is named in the message."""
    from collections import Counter

    from yikatong.core.refusals import Refusal

    from .ingest import bank_inbox_collect

    report = bank_inbox_collect(actor=None)
    refused = [(name, getattr(outcome, "code", "REFUSED")) for name, outcome in report if isinstance(outcome, Refusal)]
    taken = len(report) - len(refused)
    # the message shows on the schedule page of every county's system admin: counts and codes only
    # (a file name carries its county's batch number); the finance pages name the files
    message = f"收取回盘文件 {len(report)} 个：已入账 {taken} 个"
    if refused:
        codes = Counter(code for _, code in refused)
        message += f"，拒收 {len(refused)} 个（" + "、".join(f"{c} {n} 个" for c, n in sorted(codes.items())) + "），文件留在收件目录"
    return message, {"files": len(report), "ingested": taken, "refused": [name for name, _ in refused]}


def upward_due() -> bool:
    """Any county with last month's lines and no upward export of it yet (the schedule's check)."""
    from .upward import last_month
    from .upward_selectors import counties_due

    return bool(counties_due(last_month()))


@job_handler
def upward_export_job(job, progress):
    """Last month's upward exchange files (payments.upward), one first version per county that has lines
    and none yet; a county that has one is left alone (a new version is made by hand)."""
    from .upward import upward_export_due

    made = upward_export_due(period=job.params.get("period") or None)
    rows = sum(e.row_count for e in made)
    # the schedule page is read by every county's admin: counts only, no county or figures of one
    return f"生成上报数据文件 {len(made)} 个，共 {rows} 笔明细", {"exports": [e.pk for e in made], "rows": rows}
