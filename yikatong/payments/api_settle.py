"""JSON API of settling a batch's failed payments (on payments.api's router): the failures, the payee
fix, the reissue, the write-off and the failed funds the bank returns with its receipt (回单)."""
from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from ninja import File, Form, Schema, Status, UploadedFile

from yikatong.accounts.roles import Role
from yikatong.core import uploads
from yikatong.core.downloads import download_response
from yikatong.rosters import selectors as roster_selectors

from . import selectors, services
from .api import _batch_state, _failures_batch, _visible_batch, router
from .exchange.codes import REASON_CODES
from .models import PaymentOrderItem


class ReasonIn(Schema):
    reason: str = ""


class ItemOut(Schema):
    id: int
    item_ref: str
    status: str
    written_off_reason: str
    batch_state: str


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


class FundReturnOut(Schema):
    order_id: int
    batch_no: str
    amount_fen: int
    line_count: int
    returned_on: str
    on_behalf: bool
    receipt_name: str
    receipt_sha256: str


# --- failures, reissue, payee fix -----------------------------------------------------------------

@router.get("/batches/{batch_id}/failures", response=FailuresOut, url_name="payments_api_failures",
            summary="批次的发放失败明细：原因、通常处理办法、是否已补发或核销", operation_id="yikatong_payments_api_batch_failures")
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
             summary="更正失败明细并生成补发批次（经办站所）；corrections 以失败明细编号为键", operation_id="yikatong_payments_api_batch_reissue")
def batch_reissue(request, batch_id: int, payload: ReissueIn):
    batch = _failures_batch(request, batch_id)
    reissue = services.reissue_create(actor=request.user, batch_id=batch.pk, corrections=payload.corrections)
    return Status(201, _batch_state(reissue))


@router.post("/batches/{batch_id}/payee-fix", response=BatchStateOut, url_name="payments_api_payee_fix",
             summary="更正收款信息（批次待支付或支付中且没有文件在银行；须填写原因）", operation_id="yikatong_payments_api_payee_fix")
def payee_fix(request, batch_id: int, payload: PayeeFixIn):
    batch = _visible_batch(request, batch_id)
    services.payee_items_correct(actor=request.user, batch_id=batch.pk, corrections=payload.corrections,
                                 reason=payload.reason)
    batch.refresh_from_db()
    return _batch_state(batch)


@router.post("/items/{item_id}/write-off", response=ItemOut, url_name="payments_api_write_off",
             summary="核销发放失败的明细（须填写原因）", operation_id="yikatong_payments_api_item_write_off")
def item_write_off(request, item_id: int, payload: ReasonIn):
    visible = PaymentOrderItem.objects.filter(order__batch__in=roster_selectors.batches_for(request.user))
    line = get_object_or_404(visible, pk=item_id)
    line = services.order_item_write_off(actor=request.user, order_item_id=line.pk, reason=payload.reason)
    line.order.batch.refresh_from_db()
    return {"id": line.pk, "item_ref": line.item_ref, "status": line.status,
            "written_off_reason": line.written_off_reason, "batch_state": line.order.batch.state}


@router.post("/orders/{order_id}/fund-return", response={201: FundReturnOut}, url_name="payments_api_fund_return",
             summary="登记失败资金原渠道退回（代发银行或财政代登记；multipart：amount_fen 金额（分，须等于未补发的失败明细合计）、"
                     "returned_on 退回日期、文件 receipt 银行退回回单）", operation_id="yikatong_payments_api_fund_return_record")
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
            summary="下载失败资金退回回单（本辖区财政、国库、监督人员，或该代发银行）", operation_id="yikatong_payments_api_fund_return_receipt")
def fund_return_receipt(request, order_id: int):
    ret = get_object_or_404(selectors.fund_returns_for(request.user), order_id=order_id)
    return download_response(ret.receipt(), filename=ret.receipt_name, content_type=ret.receipt_type)
