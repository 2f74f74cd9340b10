"""JSON API of what follows a payment (on payments.api's router): the published result notice, the SMS
sent to payees, the reconciliation with the banks and the year-end clearing of quotas."""
from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Schema, Status

from yikatong.core.downloads import export_response

from . import clearing, notice, selectors, services
from .api import NoteIn, _failures_batch, _iso, _readers_only, router


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


@router.get("/batches/{batch_id}/notice", response=list[NoticeRowOut], url_name="payments_api_notice",
            summary="发放结果公示（身份证号、账号脱敏）；format=xlsx 下载表格", operation_id="yikatong_payments_api_batch_notice")
def batch_notice(request, batch_id: int, format: str = ""):
    batch = _failures_batch(request, batch_id)
    data = notice.rows(batch)
    if format == "xlsx":
        return export_response(notice.notice_xlsx(batch, data), filename=f"发放结果公示_{batch.code}.xlsx")
    return [r.__dict__ for r in data]


# --- reconciliation and SMS -----------------------------------------------------------------------

@router.get("/reconciliation", operation_id="yikatong_payments_api_reconciliation",
            response=ReconOut, url_name="payments_api_reconciliation",
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


@router.get("/sms", operation_id="yikatong_payments_api_sms",
            response=list[SmsOut], url_name="payments_api_sms", summary="短信告知（手机号脱敏）")
def sms(request):
    from yikatong.rosters import scope

    from .models import SmsNotice

    _readers_only(request)
    notices = scope.scoped(SmsNotice.objects.select_related("line"), request.user, "line__order__batch__",
                           roles=selectors.READERS)
    return [{"id": n.pk, "order": n.line.order_id, "item_ref": n.line.item_ref, "phone_masked": n.phone_masked,
             "text": n.text, "state": n.state, "attempts": n.attempts, "created_at": n.created_at.isoformat(),
             "sent_at": _iso(n.sent_at)} for n in notices[:500]]


# --- year-end clearing -----------------------------------------------------------------------------

@router.get("/clearing", response=list[ClearingRowOut], url_name="payments_api_clearing",
            summary="年终清算：本辖区该年度各指标的收入、下拨、支付、在途、结余（分）与清算状态", operation_id="yikatong_payments_api_clearing_list")
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
             summary="办理指标的年终清算（财政业务科室），结余收回", operation_id="yikatong_payments_api_clearing_clear")
def clearing_clear(request, quota_id: int, payload: NoteIn):
    from yikatong.funds.selectors import quotas_for

    quota = get_object_or_404(quotas_for(request.user), pk=quota_id)
    c = services.quota_clear(actor=request.user, quota_id=quota.pk, note=payload.note)
    return Status(201, {"id": c.pk, "quota_id": quota.pk, "year": c.year, "received_fen": c.received_fen,
                        "passed_down_fen": c.passed_down_fen, "paid_fen": c.paid_fen,
                        "recovered_fen": c.recovered_fen})
