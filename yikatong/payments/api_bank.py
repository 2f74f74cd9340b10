"""JSON API of the agent bank's side of the payment leg (on payments.api's router): its answer files
(uploaded or collected from the inbox) and the orders sent to it."""
from __future__ import annotations

from django.utils import timezone
from ninja import File, Schema, Status, UploadedFile

from yikatong.accounts.roles import Role
from yikatong.core import uploads
from yikatong.core.refusals import Forbidden, message_for

from . import deadlines, selectors, services
from .api import _iso, router


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


# --- the bank's answers ---------------------------------------------------------------------------

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
                     "INGEST_REPLAYED，不作改动", operation_id="yikatong_payments_api_bank_results")
def bank_results(request, file: UploadedFile = File(...)):
    data = uploads.read(request, file, "bankfile")
    result = services.bank_answer_ingest(actor=request.user, filename=file.name or "", data=data)
    return Status(201 if result.created else 200, _ingested(result))


@router.post("/collect", response=list[CollectedOut], url_name="payments_api_collect",
             summary="导入银行收件箱中的回盘与拒收文件（国库科、财政业务科室）", operation_id="yikatong_payments_api_collect")
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


# --- the orders sent to the bank ------------------------------------------------------------------

@router.get("/bank/orders", response=list[BankOrderOut], url_name="payments_api_bank_orders",
            summary="代发金融机构：本行收到的代发文件及其状态（待回盘、已逾期、已回盘、整批拒收）和期限", operation_id="yikatong_payments_api_bank_orders")
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
