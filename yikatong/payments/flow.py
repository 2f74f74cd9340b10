"""State machines of the payment leg, on the shared engine (core.statemachine).

* Payment orders (支付申请): their own declared table, `ORDERS`; `order_transition` is the only writer
  of PaymentOrder.state (orders.order_release/order_send by the treasury, ingest on the bank's answer).
* Batches: the system transitions on a bank's answer (result_paid, result_partly_failed, close)
  are rows of the batch table (rosters.flows) run by rosters.transitions.batch_transition with system=True —
  the same conditional UPDATE, timeline and audit event as every other step.
"""
from yikatong.accounts.roles import Role
from yikatong.audit.services import record
from yikatong.core.profiles import get_profile
from yikatong.core.refusals import Problem
from yikatong.core.statemachine import SYSTEM, Machine, Transition
from yikatong.core.statemachine import apply as apply_transition
from yikatong.rosters import guards, transitions
from yikatong.rosters.models import Batch

from .errors import PaymentError
from .models import OrderState, PaymentOrder

O = OrderState
TREASURY = frozenset({str(Role.TREASURY)})

ORDER_TRANSITIONS = (
    Transition(O.CREATED, "release", O.RELEASED, TREASURY, "国库科支付", event="payments.order.release"),
    Transition(O.RELEASED, "send", O.SENT, TREASURY, "发送代发文件", event="payments.order.send"),
    Transition(O.SENT, "answer", O.ANSWERED, SYSTEM, "接收银行回盘", event="payments.order.answer"),
    Transition(O.SENT, "reject", O.REJECTED, SYSTEM, "银行整批拒收", event="payments.order.reject"),
    # an X carries no MAC: until finance confirmed it with the bank, the bank's authenticated R overrides it
    Transition(O.REJECTED, "answer", O.ANSWERED, SYSTEM, "接收银行回盘（未经核实的整批拒收作废）",
               event="payments.order.answer"),
)


def _describe(order: PaymentOrder) -> str:
    return f"支付申请 {order.batch_no} "


def _authorize(*, actor, obj: PaymentOrder, tr: Transition) -> Problem | None:
    """The batch engine's answer, asked of the order's parent batch (scope through the parent)."""
    return transitions.authorize(actor=actor, obj=obj.batch, tr=tr)


ORDERS = Machine(
    name="payment_order", model=PaymentOrder, table=lambda order: list(ORDER_TRANSITIONS), refusal=PaymentError,
    audit=record, audit_prefix="payments.order", describe=_describe, state_label=lambda s: O(s).label,
    authorize=_authorize, lock_related=("batch",),
)


def order_transition(*, actor, order_id: int, action: str, system: bool = False, fields: dict | None = None,
                audit_after: dict | None = None) -> PaymentOrder:
    """Run `action` on the payment order; `fields` are the columns written with the state."""
    return apply_transition(ORDERS, actor=actor, pk=order_id, action=action, system=system, fields=fields,
                            audit_after=audit_after)


def system_apply(*, actor, batch_id: int, action: str, reason: str = "") -> Batch:
    """A batch transition taken by the system on a bank answer (the actor, possibly None, is recorded)."""
    return transitions.batch_transition(actor=actor, batch_id=batch_id, action=action, reason=reason, system=True)


def try_close(*, actor, batch: Batch) -> bool:
    """Close a partly failed batch once every failure is paid by reissue or written off; then its parent."""
    closed = False
    while batch is not None:
        if batch.state == "partly_failed":
            profile = get_profile(batch.profile_code)
            if guards.check("failures_settled", batch=batch, profile=profile, actor=actor) is not None:
                return closed
            system_apply(actor=actor, batch_id=batch.pk, action="close", reason="失败明细均已补发成功或核销")
            closed = True
        elif batch.state not in ("paid", "closed"):
            return closed
        batch = batch.parent
    return closed
