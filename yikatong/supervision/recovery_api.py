"""JSON API of accountability (追回/问责), on the supervision router (/api/supervision/): the same selectors and
services as the pages. Readers are supervisors and finance (403 SUPERVISION_READ_ROLE); a recovery or clue
outside the caller's scope is 404; finance opens, records repayments and writes off (403 RECOVERY_ROLE)."""
import datetime

from django.shortcuts import get_object_or_404
from ninja import File, Form, Schema, Status, UploadedFile

from yikatong.core import uploads
from yikatong.core.downloads import download_response
from yikatong.core.refusals import Forbidden

from . import recovery, recovery_selectors, selectors
from .api import router
from .recovery_models import Repayment


def _reader(request) -> None:
    if not recovery_selectors.may_read(request.user):
        raise Forbidden("SUPERVISION_READ_ROLE")


class RepaymentOut(Schema):
    id: int
    amount_fen: int
    repaid_on: datetime.date
    voucher_no: str
    evidence_name: str
    evidence_sha256: str


class SanctionOut(Schema):
    id: int
    position: str
    measure: str
    decided_on: datetime.date
    doc_number: str
    note: str


class RecoveryOut(Schema):
    id: int
    recovery_no: str
    state: str
    overdue: bool
    finding: int
    batch: int
    region: str
    debtor: str  # masked
    paid_fen: int
    amount_fen: int
    repaid_fen: int
    due_on: datetime.date
    closed_on: datetime.date | None
    clue: str | None  # case number
    fund_ref: str


class RecoveryDetailOut(RecoveryOut):
    reason: str
    write_off_reason: str
    repayments: list[RepaymentOut]
    sanctions: list[SanctionOut]


def _out(r) -> dict:
    return {"id": r.pk, "recovery_no": r.recovery_no, "state": r.state, "overdue": recovery_selectors.is_overdue(r),
            "finding": r.finding_id, "batch": r.batch_id, "region": r.region_id, "debtor": r.debtor_masked,
            "paid_fen": r.paid_fen, "amount_fen": r.amount_fen, "repaid_fen": r.repaid_fen, "due_on": r.due_on,
            "closed_on": r.closed_on, "clue": r.clue.case_no if r.clue_id else None, "fund_ref": r.fund_ref}


def _sanction(s) -> dict:
    return {"id": s.pk, "position": s.position, "measure": s.measure, "decided_on": s.decided_on,
            "doc_number": s.doc_number, "note": s.note}


def _detail(r) -> dict:
    r.refresh_from_db()
    return {**_out(r), "reason": r.reason, "write_off_reason": r.write_off_reason,
            "repayments": [{"id": p.pk, "amount_fen": p.amount_fen, "repaid_on": p.repaid_on, "voucher_no": p.voucher_no,
                            "evidence_name": p.evidence_name, "evidence_sha256": p.evidence_sha256}
                           for p in r.repayments.all()],
            "sanctions": [_sanction(s) for s in r.sanctions.all()]}


def _recovery_or_404(request, recovery_id: int):
    _reader(request)
    return get_object_or_404(recovery_selectors.recoveries_for(request.user), pk=recovery_id)


@router.get("/recoveries", response=list[RecoveryOut], url_name="supervision_recoveries_api",
            summary="违规资金追回（本辖区；state 状态 open/partly_repaid/repaid/written_off，overdue=true 只看逾期，q 编号）")
def recoveries(request, state: str = "", overdue: bool = False, q: str = ""):
    _reader(request)
    return [_out(r) for r in recovery_selectors.recoveries_for(request.user, state=state, overdue=overdue, q=q)[:500]]


class OpenIn(Schema):
    finding_id: int
    reason: str
    amount_fen: int | None = None  # default: what was paid


@router.post("/recoveries", response={201: RecoveryDetailOut}, url_name="supervision_recovery_open_api",
             summary="立案追回：已确认疑点、明细已发放（县级财政业务科室；金额不超过已发放金额）")
def recovery_open(request, payload: OpenIn):
    _reader(request)
    r = recovery.recovery_open(actor=request.user, finding_id=payload.finding_id, reason=payload.reason,
                               amount_fen=payload.amount_fen)
    return Status(201, _detail(r))


@router.get("/recoveries/{recovery_id}", response=RecoveryDetailOut, url_name="supervision_recovery_api",
            summary="追回详情：缴回记录、处理处分")
def recovery_detail(request, recovery_id: int):
    return _detail(_recovery_or_404(request, recovery_id))


@router.post("/recoveries/{recovery_id}/repayments", response={201: RecoveryDetailOut},
             url_name="supervision_recovery_repay_api",
             summary="登记缴回（multipart：amount_fen 金额（分，不超过尚欠）、repaid_on 日期、voucher_no 凭证号、文件 evidence 缴款凭证）；"
                     "计入资金指标台账")
def recovery_repay(request, recovery_id: int, amount_fen: int = Form(...), repaid_on: datetime.date = Form(...),
                   voucher_no: str = Form(""), evidence: UploadedFile | None = File(None)):
    r = _recovery_or_404(request, recovery_id)
    recovery.repayment_record(actor=request.user, recovery_id=r.pk, amount_fen=amount_fen, repaid_on=repaid_on,
                              voucher_no=voucher_no, evidence_name=evidence.name if evidence else "",
                              evidence_data=uploads.read(request, evidence, "attachment") if evidence else None)
    return Status(201, _detail(r))


class ReasonIn(Schema):
    reason: str = ""


@router.post("/recoveries/{recovery_id}/write-off", response=RecoveryDetailOut,
             url_name="supervision_recovery_write_off_api", summary="核销（理由必填；须立案人以外的财政业务科室人员）")
def recovery_write_off(request, recovery_id: int, payload: ReasonIn):
    r = _recovery_or_404(request, recovery_id)
    return _detail(recovery.recovery_write_off(actor=request.user, recovery_id=r.pk, reason=payload.reason))


class TransferIn(Schema):
    reason: str = ""
    case_no: str = ""  # attach to this existing clue instead of opening one


@router.post("/recoveries/{recovery_id}/transfer", response=RecoveryDetailOut,
             url_name="supervision_recovery_transfer_api",
             summary="移送纪委监委：关联已有线索（case_no）或以疑点新开线索（reason 必填）；案卷包含追回及缴回凭证")
def recovery_transfer(request, recovery_id: int, payload: TransferIn):
    r = _recovery_or_404(request, recovery_id)
    return _detail(recovery.recovery_transfer(actor=request.user, recovery_id=r.pk, reason=payload.reason,
                                              case_no=payload.case_no))


class SanctionIn(Schema):
    position: str  # role or position, never a name or ID number
    measure: str  # criticism 批评教育 / admonition 诫勉 / discipline 党纪政务处分 / judicial 移送司法机关
    decided_on: datetime.date
    doc_number: str
    note: str = ""


@router.post("/recoveries/{recovery_id}/sanctions", response={201: SanctionOut},
             url_name="supervision_recovery_sanction_api", summary="登记追回事项的处理处分")
def recovery_sanction(request, recovery_id: int, payload: SanctionIn):
    r = _recovery_or_404(request, recovery_id)
    return Status(201, _sanction(recovery.sanction_record(actor=request.user, recovery_id=r.pk, **payload.dict())))


@router.post("/clues/{clue_id}/sanctions", response={201: SanctionOut}, url_name="supervision_clue_sanction_api",
             summary="登记线索的处理处分")
def clue_sanction(request, clue_id: int, payload: SanctionIn):
    if not selectors.may_read(request.user):
        raise Forbidden("SUPERVISION_READ_ROLE")
    clue = get_object_or_404(selectors.clues_for(request.user), pk=clue_id)
    return Status(201, _sanction(recovery.sanction_record(actor=request.user, clue_id=clue.pk, **payload.dict())))


@router.get("/repayments/{repayment_id}/evidence", url_name="supervision_repayment_evidence_api",
            summary="下载缴款凭证（本辖区财政、监督人员）")
def repayment_evidence(request, repayment_id: int):
    _reader(request)
    pay = get_object_or_404(Repayment.objects.filter(recovery__in=recovery_selectors.recoveries_for(request.user)),
                            pk=repayment_id)
    return download_response(pay.evidence(), filename=pay.evidence_name, content_type=pay.evidence_type)
