"""Background work of payments: the 短信告知 of an answered order, queued as a job by the ingest."""
from django.db import transaction

from yikatong.jobs.registry import job_handler

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
