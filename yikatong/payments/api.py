"""JSON API of the payment leg (mounted at /api/payments/): one operation per action of the payment pages
(payments/urls.py), each calling the service the page calls, so role, scope (rosters.scope through the
batch), refusals and audit are the same. Errors are JSON {"code", "message"}: an object the caller does
not see is 404; a refusal by role or scope 403 with the service's code; an action the current state does
not allow 409 (payments.errors.STATE_CONFLICTS and the state engine); other refused input 400.
Accounts and ID numbers are masked in every answer (only the bank file itself carries them)."""
from __future__ import annotations

import datetime

from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, Router, Schema, Status, UploadedFile

from yikatong.accounts.models import Organization
from yikatong.accounts.roles import Role
from yikatong.core import uploads
from yikatong.core.downloads import download_response
from yikatong.core.masking import mask_card
from yikatong.core.refusals import Forbidden, message_for
from yikatong.rosters import flows
from yikatong.rosters import selectors as roster_selectors

from . import banks, clearing, deadlines, notice, selectors, services
from .errors import PaymentError
from .exchange.codes import REASON_CODES
from .exchange.connector import DeliveryError
from .models import AgentBank, OrderState, PaymentOrder, PaymentOrderItem

router = Router(tags=["资金支付"])

ITEMS_SHOWN = 1000


# --- schemas ---------------------------------------------------------------------------------------

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


class ItemOut(Schema):
    id: int
    item_ref: str
    status: str
    written_off_reason: str
    batch_state: str


class IngestOut(Schema):
    order: int
    batch_no: str
    created: bool
    state: str
    code: str | None = None  # INGEST_REPLAYED for a file taken before (nothing changed)
    message: str = ""
    paid_count: int
    paid_fen: int
    failed_count: int
    failed_fen: int


class CollectedOut(Schema):
    filename: str
    created: bool | None  # None: refused (code, message)
    order: int | None
    code: str | None
    message: str


class ReconRowOut(Schema):
    bank: str
    policy: str
    orders: int
    sent_fen: int
    paid_fen: int
    returned_fen: int
    refunded_fen: int  # failed funds returned by the bank with its receipt (回单)
    pending_fen: int
    rejected_fen: int
    balanced: bool


class YearEndOut(Schema):
    quotas: int
    cleared: int
    recovered_fen: int
    unspent_fen: int
    in_flight_fen: int


class ReconOut(Schema):
    year: int
    month: int | None
    start: str
    end: str
    balanced: bool
    rows: list[ReconRowOut]
    mismatches: list[str]
    year_end: YearEndOut | None


class SmsOut(Schema):
    id: int
    order: int
    item_ref: str
    phone_masked: str
    text: str
    state: str
    attempts: int
    created_at: str
    sent_at: str | None


class FailureOut(Schema):
    id: int
    order: int
    batch_no: str
    item_ref: str
    seq: int
    name: str
    account_masked: str
    amount_fen: int
    reason_code: str
    reason_text: str
    fix: str
    do_not_repay: bool
    written_off_reason: str
    reissued_to: str | None  # the reissue batch's code


class FailuresOut(Schema):
    batch_id: int
    batch: str
    state: str
    lines: list[FailureOut]
    can_reissue: bool
    can_write_off: bool


class ReissueIn(Schema):
    # the failed line's item_ref -> {"account", "account_holder", "bank_name", "amount_fen"} (only what changes)
    corrections: dict[str, dict] = {}


class BatchStateOut(Schema):
    id: int
    code: str
    state: str
    state_label: str
    parent_id: int | None = None
    items: int
    amount_fen: int


class PayeeFixIn(Schema):
    # item_ref -> {"account", "account_holder", "name", "bank_name"} (only what changes)
    corrections: dict[str, dict]
    reason: str = ""


class NoticeRowOut(Schema):
    seq: int
    name: str
    id_masked: str
    account_last4: str
    amount: str  # yuan, as published
    paid_on: str
    status: str


class ClearingRowOut(Schema):
    quota_id: int
    region: str
    doc_number: str
    policy: str
    year: int
    received_fen: int
    allocated_fen: int
    paid_fen: int
    in_flight_fen: int
    unspent_fen: int
    cleared: bool
    recovered_fen: int | None
    cleared_by: str | None
    cleared_at: str | None


class ClearingOut(Schema):
    id: int
    quota_id: int
    year: int
    received_fen: int
    passed_down_fen: int
    paid_fen: int
    recovered_fen: int


class BankOrderOut(Schema):
    id: int
    batch_no: str
    policy_name: str
    item_count: int
    total_fen: int
    business_date: str | None
    pay_due: str | None
    answer_due: str | None
    status: str  # waiting / overdue / answered / rejected
    status_label: str
    filename: str
    paid_count: int
    failed_count: int


# --- helpers ---------------------------------------------------------------------------------------

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


def _file_response(f) -> HttpResponse:
    resp = HttpResponse(f.data(), content_type="text/plain; charset=gb18030")
    resp["Content-Disposition"] = f'attachment; filename="{f.filename}"'
    resp["Cache-Control"] = "no-store, private"
    return resp


# --- orders ----------------------------------------------------------------------------------------

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
    return _file_response(services.payment_file_download(actor=request.user, order_id=o.pk))


@router.post("/orders/{order_id}/confirm-rejection", response=OrderOut,
             url_name="payments_api_order_confirm_rejection",
             summary="记录已与银行核实整批拒收（财政业务科室，须填写核实方式）")
def order_confirm_rejection(request, order_id: int, payload: NoteIn):
    o = _order(request, order_id)
    services.rejection_confirm(actor=request.user, order_id=o.pk, note=payload.note)
    return _detail(request, _order(request, o.pk))


@router.post("/items/{item_id}/write-off", response=ItemOut, url_name="payments_api_write_off",
             summary="核销发放失败的明细（须填写原因）")
def item_write_off(request, item_id: int, payload: ReasonIn):
    visible = PaymentOrderItem.objects.filter(order__batch__in=roster_selectors.batches_for(request.user))
    line = get_object_or_404(visible, pk=item_id)
    line = services.order_item_write_off(actor=request.user, order_item_id=line.pk, reason=payload.reason)
    line.order.batch.refresh_from_db()
    return {"id": line.pk, "item_ref": line.item_ref, "status": line.status,
            "written_off_reason": line.written_off_reason, "batch_state": line.order.batch.state}


# --- the bank's answers --------------------------------------------------------------------------

def _ingested(result) -> dict:
    o = result.order
    replay = not result.created
    return {"order": o.pk, "batch_no": o.batch_no, "created": result.created, "state": o.state,
            "code": "INGEST_REPLAYED" if replay else None,
            "message": message_for("INGEST_REPLAYED", filename=o.answer_file.filename if o.answer_file_id else "")
            if replay else "", "paid_count": o.paid_count, "paid_fen": o.paid_fen, "failed_count": o.failed_count,
            "failed_fen": o.failed_fen}


@router.post("/bank-results", response={200: IngestOut, 201: IngestOut}, url_name="payments_api_bank_results",
             summary="上传银行回盘（R）或整批拒收（X）文件（multipart 字段 file）；同一文件再次上传返回 200 与 "
                     "INGEST_REPLAYED，不作改动")
def bank_results(request, file: UploadedFile = File(...)):
    data = uploads.read(request, file, "bankfile")
    result = services.bank_answer_ingest(actor=request.user, filename=file.name or "", data=data)
    return Status(201 if result.created else 200, _ingested(result))


@router.post("/collect", response=list[CollectedOut], url_name="payments_api_collect",
             summary="导入银行收件箱中的回盘与拒收文件（国库科、财政业务科室）")
def collect(request):
    if not request.user.has_role(Role.TREASURY, Role.FINANCE_REVIEWER):
        raise Forbidden()
    out = []
    for name, outcome in services.bank_inbox_collect(actor=request.user):
        if isinstance(outcome, Exception):
            out.append({"filename": name, "created": None, "order": None,
                        "code": getattr(outcome, "code", "REFUSED"), "message": str(outcome)})
        else:
            out.append({"filename": name, "created": outcome.created, "order": outcome.order.pk,
                        "code": None if outcome.created else "INGEST_REPLAYED",
                        "message": "已导入" if outcome.created else message_for("INGEST_REPLAYED", filename=name)})
    return out


# --- reads ---------------------------------------------------------------------------------------

@router.get("/reconciliation", response=ReconOut, url_name="payments_api_reconciliation",
            summary="对账：按银行和政策的发出、成功、失败退回、在途金额（分）；month 为空时为年度对账并含清算汇总")
def reconciliation(request, year: int | None = None, month: int | None = None):
    from .reconcile import statement

    _readers_only(request)
    today = timezone.localdate()
    year = year if year is not None and 2000 <= year <= 9999 else today.year
    if month is not None and not 1 <= month <= 12:
        month = None
    year_end = None
    if month is None:
        rows = clearing.rows_for(request.user, year)
        year_end = {"quotas": len(rows), "cleared": sum(1 for r in rows if r.clearing),
                    "recovered_fen": sum(r.clearing.recovered_fen for r in rows if r.clearing),
                    "unspent_fen": sum(r.unspent_fen for r in rows if not r.clearing),
                    "in_flight_fen": sum(r.in_flight_fen for r in rows)}
    st = statement(selectors.orders_for(request.user), year=year, month=month)
    return {"year": year, "month": month, "start": st.start.isoformat(), "end": st.end.isoformat(),
            "balanced": st.balanced, "mismatches": st.mismatches, "year_end": year_end,
            "rows": [{"bank": r.bank, "policy": r.policy, "orders": r.orders, "sent_fen": r.sent_fen,
                      "paid_fen": r.paid_fen, "returned_fen": r.returned_fen, "refunded_fen": r.refunded_fen,
                      "pending_fen": r.pending_fen,
                      "rejected_fen": r.rejected_fen, "balanced": r.balanced} for r in st.rows]}


@router.get("/sms", response=list[SmsOut], url_name="payments_api_sms", summary="短信告知（手机号脱敏）")
def sms(request):
    from yikatong.rosters import scope

    from .models import SmsNotice

    _readers_only(request)
    notices = scope.scoped(SmsNotice.objects.select_related("line"), request.user, "line__order__batch__",
                           roles=selectors.READERS)
    return [{"id": n.pk, "order": n.line.order_id, "item_ref": n.line.item_ref, "phone_masked": n.phone_masked,
             "text": n.text, "state": n.state, "attempts": n.attempts, "created_at": n.created_at.isoformat(),
             "sent_at": _iso(n.sent_at)} for n in notices[:500]]


# --- failures, reissue, payee fix, notice -----------------------------------------------------------

@router.get("/batches/{batch_id}/failures", response=FailuresOut, url_name="payments_api_failures",
            summary="批次的发放失败明细：原因、通常处理办法、是否已补发或核销")
def batch_failures(request, batch_id: int):
    from yikatong.rosters import scope

    batch = _failures_batch(request, batch_id)
    lines = selectors.failed_items(batch).select_related("order", "reissue__new_item__batch")
    out = []
    for ln in lines:
        reason = REASON_CODES.get(ln.reason_code)
        reissue = getattr(ln, "reissue", None)
        out.append({"id": ln.pk, "order": ln.order_id, "batch_no": ln.order.batch_no, "item_ref": ln.item_ref,
                    "seq": ln.batch_item.seq, "name": ln.batch_item.name,
                    "account_masked": ln.batch_item.account_masked, "amount_fen": ln.amount_fen,
                    "reason_code": ln.reason_code, "reason_text": ln.reason_text,
                    "fix": reason.fix if reason else "", "do_not_repay": ln.do_not_repay,
                    "written_off_reason": ln.written_off_reason,
                    "reissued_to": reissue.new_item.batch.code if reissue is not None else None})
    return {"batch_id": batch.pk, "batch": batch.code, "state": batch.state, "lines": out,
            "can_reissue": batch.state == "partly_failed"
            and scope.may_change_batch(request.user, batch, {Role.TOWNSHIP_OPERATOR}),
            "can_write_off": scope.may_change_batch(request.user, batch, {Role.FINANCE_REVIEWER, Role.DEPT_HEAD})}


@router.post("/batches/{batch_id}/reissue", response={201: BatchStateOut}, url_name="payments_api_reissue",
             summary="更正失败明细并生成补发批次（经办站所）；corrections 以失败明细编号为键")
def batch_reissue(request, batch_id: int, payload: ReissueIn):
    batch = _failures_batch(request, batch_id)
    reissue = services.reissue_create(actor=request.user, batch_id=batch.pk, corrections=payload.corrections)
    return Status(201, _batch_state(reissue))


@router.post("/batches/{batch_id}/payee-fix", response=BatchStateOut, url_name="payments_api_payee_fix",
             summary="更正收款信息（批次待支付或支付中且没有文件在银行；须填写原因）")
def payee_fix(request, batch_id: int, payload: PayeeFixIn):
    batch = _visible_batch(request, batch_id)
    services.payee_items_correct(actor=request.user, batch_id=batch.pk, corrections=payload.corrections,
                                 reason=payload.reason)
    batch.refresh_from_db()
    return _batch_state(batch)


@router.get("/batches/{batch_id}/notice", response=list[NoticeRowOut], url_name="payments_api_notice",
            summary="发放结果公示（身份证号、账号脱敏）；format=xlsx 下载表格")
def batch_notice(request, batch_id: int, format: str = ""):
    batch = _failures_batch(request, batch_id)
    data = notice.rows(batch)
    if format == "xlsx":
        from yikatong.core.downloads import export_response

        return export_response(notice.notice_xlsx(batch, data), filename=f"发放结果公示_{batch.code}.xlsx")
    return [r.__dict__ for r in data]


# --- year-end clearing -----------------------------------------------------------------------------

@router.get("/clearing", response=list[ClearingRowOut], url_name="payments_api_clearing",
            summary="年终清算：本辖区该年度各指标的收入、下拨、支付、在途、结余（分）与清算状态")
def clearing_list(request, year: int | None = None):
    _readers_only(request)
    today = timezone.localdate()
    year = year if year is not None and 2000 <= year <= 9999 else today.year
    out = []
    for r in clearing.rows_for(request.user, year):
        q, c = r.quota, r.clearing
        out.append({"quota_id": q.pk, "region": q.region_id, "doc_number": q.doc_number, "policy": q.policy.name,
                    "year": q.year, "received_fen": q.received_fen, "allocated_fen": q.allocated_fen,
                    "paid_fen": q.paid_fen, "in_flight_fen": r.in_flight_fen, "unspent_fen": r.unspent_fen,
                    "cleared": c is not None, "recovered_fen": c.recovered_fen if c else None,
                    "cleared_by": str(c.cleared_by) if c else None, "cleared_at": _iso(c.cleared_at) if c else None})
    return out


@router.post("/clearing/{quota_id}/clear", response={201: ClearingOut}, url_name="payments_api_clear",
             summary="办理指标的年终清算（财政业务科室），结余收回")
def clearing_clear(request, quota_id: int, payload: NoteIn):
    from yikatong.funds.selectors import quotas_for

    quota = get_object_or_404(quotas_for(request.user), pk=quota_id)
    c = services.quota_clear(actor=request.user, quota_id=quota.pk, note=payload.note)
    return Status(201, {"id": c.pk, "quota_id": quota.pk, "year": c.year, "received_fen": c.received_fen,
                        "passed_down_fen": c.passed_down_fen, "paid_fen": c.paid_fen,
                        "recovered_fen": c.recovered_fen})


# --- the agent bank and agreements -----------------------------------------------------------------

@router.get("/bank/orders", response=list[BankOrderOut], url_name="payments_api_bank_orders",
            summary="代发金融机构：本行收到的代发文件及其状态（待回盘、已逾期、已回盘、整批拒收）和期限")
def bank_orders(request):
    if not request.user.has_role(Role.BANK):
        raise Forbidden()
    today = timezone.localdate()
    out = []
    for o in selectors.bank_orders_for(request.user).order_by("-sent_at", "-pk")[:500]:
        status = deadlines.bank_status(o, today)
        out.append({"id": o.pk, "batch_no": o.batch_no, "policy_name": o.batch.policy.name,
                    "item_count": o.item_count, "total_fen": o.total_fen, "business_date": _iso(o.business_date),
                    "pay_due": _iso(deadlines.pay_due(o)), "answer_due": _iso(deadlines.answer_due(o)),
                    "status": status, "status_label": deadlines.BANK_STATUS[status],
                    "filename": o.payment_file.filename, "paid_count": o.paid_count, "failed_count": o.failed_count})
    return out


@router.get("/agreements/{agreement_id}/document", url_name="payments_api_agreement_document",
            summary="下载代发协议的已签署文本（财政、国库、监督人员，本辖区）")
def agreement_document(request, agreement_id: int):
    doc = get_object_or_404(selectors.agreement_documents_for(request.user), agreement_id=agreement_id)
    return download_response(doc.data(), filename=doc.filename, content_type=doc.content_type)


# --- agent banks and agreements (the banks page, payments/views_banks.py) ----------------------------

class AgreementOut(Schema):
    id: int
    bank: str
    payer_id: int
    payer: str
    department_id: int | None
    department: str | None
    payer_name: str
    payer_account_masked: str  # ****last4: the account and the MAC key are never answered
    mac_alg: str
    pay_within_working_days: int | None
    report_within_days: int | None
    valid_from: str
    valid_to: str | None
    has_document: bool


class BankOut(Schema):
    id: int
    code: str
    name: str
    organization_id: int
    organization: str
    is_active: bool
    agreements: list[AgreementOut]


class BanksOut(Schema):
    banks: list[BankOut]
    other_agreements: list[AgreementOut]  # this region's payers with a bank registered outside it


class BankCreateIn(Schema):
    code: str
    name: str
    organization: int


def _agreement_out(a) -> dict:
    return {"id": a.pk, "bank": a.bank.code, "payer_id": a.payer_id, "payer": a.payer.name,
            "department_id": a.department_id, "department": a.department.name if a.department_id else None,
            "payer_name": a.payer_name, "payer_account_masked": f"****{a.payer_account_last4}",
            "mac_alg": a.mac_alg, "pay_within_working_days": a.pay_within_working_days,
            "report_within_days": a.report_within_days, "valid_from": a.valid_from.isoformat(),
            "valid_to": _iso(a.valid_to), "has_document": bool(getattr(a, "has_document", False))}


def _bank_out(b, agreements) -> dict:
    return {"id": b.pk, "code": b.code, "name": b.name, "organization_id": b.organization_id,
            "organization": b.organization.name, "is_active": b.is_active,
            "agreements": [_agreement_out(a) for a in agreements]}


@router.get("/banks", response=BanksOut, url_name="payments_api_banks",
            summary="本辖区的代发银行及其代发协议（付款账号只显示后四位，不返回 MAC 密钥）")
def bank_list(request):
    _readers_only(request)
    by_bank: dict[int, list] = {}
    for a in selectors.agreements_for(request.user).order_by("bank__code", "-valid_from", "pk"):
        by_bank.setdefault(a.bank_id, []).append(a)
    out = [_bank_out(b, by_bank.pop(b.pk, [])) for b in selectors.banks_for(request.user).order_by("code")]
    return {"banks": out, "other_agreements": [_agreement_out(a) for group in by_bank.values() for a in group]}


@router.post("/banks", response={201: BankOut}, url_name="payments_api_bank_create",
             summary="登记代发银行（系统管理员；organization 为本辖区“代发金融机构”单位的 id）")
def bank_create(request, payload: BankCreateIn):
    org = get_object_or_404(Organization, pk=payload.organization)
    bank = banks.agent_bank_create(actor=request.user, code=payload.code.strip(), name=payload.name.strip(),
                                   organization=org)
    return Status(201, _bank_out(bank, []))


@router.post("/agreements", response={201: AgreementOut}, url_name="payments_api_agreement_create",
             summary="登记代发协议（系统管理员；multipart：bank（银行 id）、payer（财政局 id）、可选 department、"
                     "payer_account、payer_name、mac_key（十六进制，至少 16 字节）、valid_from、可选 valid_to、"
                     "mac_alg、pay_within_working_days、report_within_days，可选文件 document 已签署的协议文本）；"
                     "应答不含密钥和完整账号")
def agreement_create(request, bank: int = Form(...), payer: int = Form(...), department: int | None = Form(None),
                     payer_account: str = Form(...), payer_name: str = Form(...), mac_key: str = Form(...),
                     valid_from: datetime.date = Form(...), valid_to: datetime.date | None = Form(None),
                     mac_alg: str = Form(""), pay_within_working_days: int | None = Form(None),
                     report_within_days: int | None = Form(None), document: UploadedFile | None = File(None)):
    the_bank = get_object_or_404(AgentBank, pk=bank)
    the_payer = get_object_or_404(Organization, pk=payer)
    the_department = get_object_or_404(Organization, pk=department) if department is not None else None
    a = banks.agreement_create(
        actor=request.user, bank=the_bank, payer=the_payer, department=the_department,
        payer_account="".join(payer_account.split()), payer_name=payer_name.strip(),
        mac_key=banks.mac_key_from_text(mac_key), valid_from=valid_from, valid_to=valid_to, mac_alg=mac_alg or None,
        document=document, pay_within_working_days=pay_within_working_days, report_within_days=report_within_days)
    a.has_document = document is not None
    return Status(201, _agreement_out(a))


# --- failed funds returned and the yearly bank survey (payments.returns, payments.surveys) ----------------

class FundReturnOut(Schema):
    order_id: int
    batch_no: str
    amount_fen: int
    line_count: int
    returned_on: str
    on_behalf: bool
    receipt_name: str
    receipt_sha256: str


@router.post("/orders/{order_id}/fund-return", response={201: FundReturnOut}, url_name="payments_api_fund_return",
             summary="登记失败资金原渠道退回（代发银行或财政代登记；multipart：amount_fen 金额（分，须等于未补发的失败明细合计）、"
                     "returned_on 退回日期、文件 receipt 银行退回回单）")
def fund_return_record(request, order_id: int, amount_fen: int = Form(...), returned_on: datetime.date = Form(...),
                       note: str = Form(""), receipt: UploadedFile | None = File(None)):
    from . import returns

    get_object_or_404(selectors.orders_readable(request.user), pk=order_id)
    r = returns.fund_return_record(
        actor=request.user, order_id=order_id, amount_fen=amount_fen, returned_on=returned_on,
        receipt_name=receipt.name if receipt else "", note=note,
        receipt_data=uploads.read(request, receipt, "attachment") if receipt else None)
    return Status(201, {"order_id": r.order_id, "batch_no": r.order.batch_no, "amount_fen": r.amount_fen,
                        "line_count": r.line_count, "returned_on": r.returned_on.isoformat(),
                        "on_behalf": r.on_behalf, "receipt_name": r.receipt_name, "receipt_sha256": r.receipt_sha256})


@router.get("/orders/{order_id}/fund-return/receipt", url_name="payments_api_fund_return_receipt",
            summary="下载失败资金退回回单（本辖区财政、国库、监督人员，或该代发银行）")
def fund_return_receipt(request, order_id: int):
    ret = get_object_or_404(selectors.fund_returns_for(request.user), order_id=order_id)
    return download_response(ret.receipt(), filename=ret.receipt_name, content_type=ret.receipt_type)


class SurveyOut(Schema):
    id: int
    bank: str
    year: int
    respondents: int
    satisfied: int
    score: int
    findings: str
    has_report: bool


def _survey_out(s) -> dict:
    return {"id": s.pk, "bank": s.bank.code, "year": s.year, "respondents": s.respondents, "satisfied": s.satisfied,
            "score": s.score, "findings": s.findings, "has_report": bool(s.report_sha256)}


class SurveysOut(Schema):
    offered: bool  # the profile asks for the yearly survey (LocalProfile.bank_service_survey)
    surveys: list[SurveyOut]


@router.get("/bank-surveys", response=SurveysOut, url_name="payments_api_surveys",
            summary="代发银行满意度调查结果（按银行、年度）")
def survey_list(request):
    from . import surveys

    _readers_only(request)
    return {"offered": surveys.offered(),
            "surveys": [_survey_out(s) for s in surveys.surveys_for(request.user).order_by("bank__code", "-year")]}


@router.post("/bank-surveys", response={201: SurveyOut}, url_name="payments_api_survey_create",
             summary="登记代发银行年度满意度调查（财政业务科室；multipart：bank、year、respondents、satisfied、score、"
                     "findings，可选文件 report；每家银行每年一次）")
def survey_create(request, bank: int = Form(...), year: int = Form(...), respondents: int = Form(...),
                  satisfied: int = Form(...), score: int = Form(...), findings: str = Form(""),
                  report: UploadedFile | None = File(None)):
    from . import surveys

    get_object_or_404(selectors.banks_for(request.user), pk=bank)
    s = surveys.survey_record(actor=request.user, bank_id=bank, year=year, respondents=respondents,
                              satisfied=satisfied, score=score, findings=findings,
                              report_name=report.name if report else "",
                              report_data=uploads.read(request, report, "attachment") if report else None)
    return Status(201, _survey_out(s))


@router.get("/bank-surveys/{survey_id}/report", url_name="payments_api_survey_report",
            summary="下载满意度调查报告")
def survey_report(request, survey_id: int):
    from . import surveys

    s = get_object_or_404(surveys.surveys_for(request.user).exclude(report_sha256=""), pk=survey_id)
    return download_response(s.report(), filename=s.report_name, content_type=s.report_type)
