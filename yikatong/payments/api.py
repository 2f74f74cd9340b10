"""JSON API of the payment leg (mounted at /api/payments/): one operation per action of the payment pages
(payments/urls.py), each calling the service the page calls, so role, scope (rosters.scope through the
batch), refusals and audit are the same. Errors are JSON {"code", "message"}: an object the caller does
not see is 404; a refusal by role or scope 403 with the service's code; an action the current state does
not allow 409 (payments.errors.STATE_CONFLICTS and the state engine); other refused input 400.
Accounts and ID numbers are masked in every answer (only the bank file itself carries them)."""
from __future__ import annotations

from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from yikatong.core.downloads import export_response
from yikatong.core.masking import mask_card
from yikatong.core.refusals import Forbidden
from yikatong.rosters import flows
from yikatong.rosters import selectors as roster_selectors

from . import selectors, services
from .errors import PaymentError
from .exchange.connector import DeliveryError
from .models import OrderState, PaymentOrder

router = Router(tags=["资金支付"])

ITEMS_SHOWN = 1000


# --- schemas of the orders (the other modules hold their own) -------------------------------------

class OrderSummaryOut(Schema):
    id: int
    batch_no: str
    batch_id: int
    batch: str
    policy: str
    policy_name: str
    period: str
    bank: str
    state: str
    state_label: str
    item_count: int
    total_fen: int
    paid_count: int
    paid_fen: int
    failed_count: int
    failed_fen: int
    replaces: int | None
    created_at: str
    sent_at: str | None
    answered_at: str | None


class StatusCountOut(Schema):
    status: str
    count: int
    amount_fen: int


class OrderItemOut(Schema):
    id: int
    seq: int
    item_ref: str
    name: str
    account_masked: str
    amount_fen: int
    status: str
    reason_code: str
    reason_text: str
    written_off: bool


class OrderOut(OrderSummaryOut):
    agreement_id: int
    payer_account_masked: str
    business_date: str | None
    payment_file: str | None
    answer_file: str | None
    rejection_code: str
    rejection_text: str
    rejection_confirmed: bool
    replaced_by: int | None
    items_by_status: list[StatusCountOut]
    items: list[OrderItemOut]
    transitions: list[str]


class OrderCreateIn(Schema):
    batch_id: int
    agreement_id: int | None = None


class NoteIn(Schema):
    note: str = ""


class ReasonIn(Schema):
    reason: str = ""


# --- helpers --------------------------------------------------------------------------------------

def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _summary(o: PaymentOrder) -> dict:
    b = o.batch
    return {"id": o.pk, "batch_no": o.batch_no, "batch_id": b.pk, "batch": b.code, "policy": b.policy.code,
            "policy_name": b.policy.name, "period": b.period, "bank": o.agreement.bank.name, "state": o.state,
            "state_label": OrderState(o.state).label, "item_count": o.item_count, "total_fen": o.total_fen,
            "paid_count": o.paid_count, "paid_fen": o.paid_fen, "failed_count": o.failed_count,
            "failed_fen": o.failed_fen, "replaces": o.replaces_id, "created_at": o.created_at.isoformat(),
            "sent_at": _iso(o.sent_at), "answered_at": _iso(o.answered_at)}


def _detail(request, o: PaymentOrder) -> dict:
    by_status = [{"status": r["status"], "count": r["n"], "amount_fen": r["s"] or 0}
                 for r in o.items.order_by().values("status").annotate(n=Count("id"), s=Sum("amount_fen"))
                 .order_by("status")]
    items = [{"id": ln.pk, "seq": ln.seq, "item_ref": ln.item_ref, "name": ln.batch_item.name,
              "account_masked": ln.batch_item.account_masked, "amount_fen": ln.amount_fen, "status": ln.status,
              "reason_code": ln.reason_code, "reason_text": ln.reason_text, "written_off": bool(ln.written_off_reason)}
             for ln in o.items.select_related("batch_item").order_by("seq")[:ITEMS_SHOWN]]
    replaced = PaymentOrder.objects.filter(replaces=o).values_list("pk", flat=True).first()
    return {**_summary(o), "agreement_id": o.agreement_id, "payer_account_masked": mask_card(o.agreement.payer_account),
            "business_date": _iso(o.business_date),
            "payment_file": o.payment_file.filename if o.payment_file_id else None,
            "answer_file": o.answer_file.filename if o.answer_file_id else None,
            "rejection_code": o.rejection_code, "rejection_text": o.rejection_text,
            "rejection_confirmed": o.rejection_confirmed_at is not None, "replaced_by": replaced,
            "items_by_status": by_status, "items": items, "transitions": selectors.order_actions(request.user, o)}


def _readers_only(request) -> None:
    """The pages' @requires_roles(*selectors.READERS): 403 FORBIDDEN for anyone else."""
    if not request.user.has_role(*selectors.READERS):
        raise Forbidden()


def _order(request, order_id: int) -> PaymentOrder:
    """The order if the caller sees it (selectors.orders_for), else 404 — another county's is not named."""
    return get_object_or_404(selectors.orders_for(request.user).select_related("payment_file", "answer_file"),
                             pk=order_id)


def _delivered(call):
    """Run an order service; a file the connector could not hand over, or data a bank file cannot carry,
    answers with a code (the pages report the same failures) instead of a server error."""
    try:
        return call()
    except PaymentError:
        raise
    except DeliveryError:
        refusal = PaymentError("ORDER_DELIVERY_FAILED")
        refusal.http_status = 502  # the bank's drop box did not take the file: nothing was recorded
        raise refusal from None
    except ValueError as exc:  # exchange.PaymentDataError: names the item and field, never the data
        raise PaymentError("PAYMENT_DATA_INVALID", detail=str(exc)) from None


def _visible_batch(request, batch_id: int):
    """The batch if the caller sees it at all (rosters.selectors.batches_for), else 404."""
    return get_object_or_404(roster_selectors.batches_for(request.user).select_related("policy", "region",
                                                                                       "department"), pk=batch_id)


def _failures_batch(request, batch_id: int):
    """The batch for the failures and notice reads: 404 unseen, 403 (the scope's code) in a role that may not."""
    batch = _visible_batch(request, batch_id)
    answer = selectors.failures_refusal(request.user, batch)
    if answer is not None:
        raise answer
    return batch


def _batch_state(b) -> dict:
    return {"id": b.pk, "code": b.code, "state": b.state, "state_label": flows.state_label(b.state),
            "parent_id": b.parent_id, "items": b.item_count, "amount_fen": b.total_fen}


# --- orders ---------------------------------------------------------------------------------------

@router.get("/orders", response=list[OrderSummaryOut], url_name="payments_api_orders",
            summary="本人可见的支付申请（可按状态、批次、银行批次号、政策筛选）")
def orders(request, state: str = "", batch: int | None = None, batch_no: str = "", policy: str = ""):
    _readers_only(request)
    qs = selectors.orders_for(request.user)
    if state:
        qs = qs.filter(state=state)
    if batch is not None:
        qs = qs.filter(batch_id=batch)
    if batch_no:
        qs = qs.filter(batch_no=batch_no.strip())
    if policy:
        qs = qs.filter(batch__policy__code=policy.strip())
    return [_summary(o) for o in qs[:500]]


@router.post("/orders", response={201: OrderOut}, url_name="payments_api_order_create",
             summary="为财政审核通过的批次生成支付申请（财政业务科室）")
def order_create(request, payload: OrderCreateIn):
    _visible_batch(request, payload.batch_id)
    order = services.order_create(actor=request.user, batch_id=payload.batch_id, agreement_id=payload.agreement_id)
    return Status(201, _detail(request, _order(request, order.pk)))


@router.get("/orders/{order_id}", response=OrderOut, url_name="payments_api_order",
            summary="支付申请详情：状态、笔数金额（分）、明细（账号脱敏）、本人现在可执行的操作")
def order(request, order_id: int):
    return _detail(request, _order(request, order_id))


@router.post("/orders/{order_id}/release", response=OrderOut, url_name="payments_api_order_release",
             summary="国库科办理支付")
def order_release(request, order_id: int):
    o = _order(request, order_id)
    services.order_release(actor=request.user, order_id=o.pk)
    return _detail(request, _order(request, o.pk))


@router.post("/orders/{order_id}/send", response=OrderOut, url_name="payments_api_order_send",
             summary="生成代发文件并发送银行（国库科）")
def order_send(request, order_id: int):
    o = _order(request, order_id)
    _delivered(lambda: services.order_send(actor=request.user, order_id=o.pk))
    return _detail(request, _order(request, o.pk))


@router.post("/orders/{order_id}/resend", response={201: OrderOut}, url_name="payments_api_order_resend",
             summary="银行整批拒收并经核实后，按新批次号重新生成支付申请")
def order_resend(request, order_id: int):
    o = _order(request, order_id)
    new = _delivered(lambda: services.order_resend(actor=request.user, order_id=o.pk))
    return Status(201, _detail(request, _order(request, new.pk)))


@router.get("/orders/{order_id}/file", url_name="payments_api_order_file",
            summary="下载代发文件（国库科、该批次的代发金融机构；记入审计）")
def order_file(request, order_id: int):
    visible = (selectors.orders_for(request.user) | selectors.bank_orders_for(request.user)).distinct()
    o = get_object_or_404(visible, pk=order_id)
    f = services.payment_file_download(actor=request.user, order_id=o.pk)
    return export_response(f.data(), filename=f.filename, content_type="text/plain; charset=gb18030")


@router.post("/orders/{order_id}/confirm-rejection", response=OrderOut,
             url_name="payments_api_order_confirm_rejection",
             summary="记录已与银行核实整批拒收（财政业务科室，须填写核实方式）")
def order_confirm_rejection(request, order_id: int, payload: NoteIn):
    o = _order(request, order_id)
    services.rejection_confirm(actor=request.user, order_id=o.pk, note=payload.note)
    return _detail(request, _order(request, o.pk))


# the other operations, on this router: the bank's files and answers, banks and agreements, settling
# failures, and what follows a payment (notices, reconciliation, SMS, year-end clearing)
from . import api_bank, api_banks, api_notice, api_settle, api_upward  # noqa: E402,F401
