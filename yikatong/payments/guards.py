"""Guards of the payment leg of the batch transition table (rosters.flows), registered on start-up.
Each answers None or a Problem with a stable code (the catalogue, payments.errors)."""
from yikatong.core.refusals import Problem
from yikatong.rosters.guards import register

from . import errors  # noqa: F401  (the catalogue: registers the codes below)


@register("payment_order_released")
def payment_order_released(*, batch, **_):
    from .models import OrderState, PaymentOrder

    if PaymentOrder.objects.filter(batch=batch, state=OrderState.RELEASED).exists():
        return None
    return Problem("ORDER_NOT_RELEASED")


@register("payment_bans")
def payment_bans(*, batch, **_):
    """Seed 004 bans shown at finance's review, before an order is ever created (enforced again there)."""
    from . import bans

    found = bans.breaches(batch)
    return Problem("PAYMENT_BANNED", detail=bans.message(batch, found)) if found else None


@register("is_reissue")
def is_reissue(*, batch, **_):
    return None if batch.kind == "reissue" else Problem("NOT_REISSUE")


@register("failures_settled")
def failures_settled(*, batch, **_):
    from .selectors import unsettled_failures

    n = len(unsettled_failures(batch))
    return None if not n else Problem("FAILURES_UNSETTLED", count=n)
