"""Guards of the payment leg of the batch transition table (rosters.flows), registered on start-up."""
from yikatong.rosters.guards import register


@register("payment_order_released")
def payment_order_released(*, batch, **_):
    from .models import OrderState, PaymentOrder

    if PaymentOrder.objects.filter(batch=batch, state=OrderState.RELEASED).exists():
        return None
    return "请在“资金支付”中由国库科对本批次的支付申请办理支付"


@register("payment_bans")
def payment_bans(*, batch, **_):
    """Seed 004 bans shown at finance's review, before an order is ever created (enforced again there)."""
    from . import bans

    found = bans.breaches(batch)
    return bans.message(batch, found) if found else None


@register("is_reissue")
def is_reissue(*, batch, **_):
    return None if batch.kind == "reissue" else "只有补发批次可以不经公示直接提交财政复核"


@register("failures_settled")
def failures_settled(*, batch, **_):
    from .selectors import unsettled_failures

    n = len(unsettled_failures(batch))
    return None if not n else f"还有 {n} 笔发放失败的明细既未补发成功也未核销"
