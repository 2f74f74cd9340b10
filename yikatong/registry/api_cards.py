"""JSON API of the social-security-card pages (mounted with the register at /api/registry/): the
pre-payment list of unusable cards, activation follow-ups, account change requests and a person's
account history. Numbers masked; scope as on the pages (objects outside it are 404)."""
import datetime as dt

from ninja import File, Form, Schema, UploadedFile

from yikatong.core.refusals import Forbidden, invalid

from . import card_selectors, change_selectors, selectors
from .api import _require, _visible_person, router
from .errors import RegistryNotFound
from .permissions import CARD_FOLLOWUP_ROLES, VIEW_ROLES


@router.get("/cards", response=list[card_selectors.CardRow], url_name="registry_cards",
            summary="发放前社保卡状态异常人员（未激活、冻结、挂失、销户），按乡镇；县级用户须给 township（乡镇12位代码）")
def cards(request, township: str = ""):
    _require(request, VIEW_ROLES)
    rows = card_selectors.card_list(request.user, township_code=township)
    if rows is None:
        raise invalid("CARD_LIST_TOWNSHIP_REQUIRED")
    return rows  # the selector's dataclass is the response schema


class FollowUpIn(Schema):
    contacted_on: dt.date
    result: str  # activated / pending / other
    note: str = ""


class FollowUpOut(Schema):
    id: int
    person: int
    contacted_on: dt.date
    result: str
    note: str
    card_status: str


@router.post("/persons/{person_id}/card-followups", response=FollowUpOut, url_name="registry_card_followup",
             summary="登记社保卡激活跟进（result：activated 已激活 / pending 仍未激活 / other 其他）；已激活时账户恢复正常")
def card_followup(request, person_id: int, payload: FollowUpIn):
    from .card_status import card_status
    from .services import card_followup_record

    if not request.user.has_role(*CARD_FOLLOWUP_ROLES):
        raise Forbidden("REGISTRY_ROLE_NOT_ALLOWED", what="登记社保卡激活跟进")
    _visible_person(request, person_id)
    f = card_followup_record(actor=request.user, person_id=person_id, contacted_on=payload.contacted_on,
                             result=payload.result, note=payload.note)
    return {"id": f.pk, "person": person_id, "contacted_on": f.contacted_on, "result": f.result, "note": f.note,
            "card_status": card_status(f.person).status}


class ChangeOut(Schema):
    id: int
    person: int
    name: str
    kind: str
    bank: str
    account: str  # masked
    holder_name: str
    reason: str
    effective_date: dt.date
    state: str
    state_label: str
    requested_by: str
    decided_by: str
    decision_reason: str
    has_attachment: bool
    new_account: int | None


def _change(r) -> dict:
    return {"id": r.pk, "person": r.person_id, "name": r.person.name, "kind": r.kind, "bank": r.bank,
            "account": r.number_masked, "holder_name": r.holder_name, "reason": r.reason,
            "effective_date": r.effective_date, "state": r.state, "state_label": r.get_state_display(),
            "requested_by": str(r.requested_by), "decided_by": str(r.decided_by or ""),
            "decision_reason": r.decision_reason, "has_attachment": bool(r.attachment_sha256),
            "new_account": r.new_account_id}


@router.post("/persons/{person_id}/account-changes", response=ChangeOut, url_name="registry_account_change_new",
             summary="申请变更收款账户（multipart：account_no、bank、reason、effective_date、kind、holder_name，"
                     "可附 attachment PDF/JPG/PNG）；乡镇经办站所申请，乡镇财政所审核")
def account_change_new(request, person_id: int, account_no: str = Form(...), bank: str = Form(...),
                       reason: str = Form(...), effective_date: dt.date = Form(...), kind: str = Form("ssc"),
                       holder_name: str = Form(""), attachment: UploadedFile | None = File(None)):
    from yikatong.core import uploads

    from .services import account_change_request

    _visible_person(request, person_id)
    req = account_change_request(
        actor=request.user, person_id=person_id, account_no=account_no, bank=bank, reason=reason,
        effective_date=effective_date, kind=kind, holder_name=holder_name,
        attachment=uploads.read(request, attachment, "change") if attachment else None,
        attachment_name=(attachment.name or "") if attachment else "")
    return _change(change_selectors.changes_for(request.user).get(pk=req.pk))


@router.get("/account-changes", response=list[ChangeOut], url_name="registry_account_changes",
            summary="账户变更申请（本辖区，最近200条；to_decide=true 只列待我审核的）")
def account_changes(request, to_decide: bool = False):
    _require(request, VIEW_ROLES)
    qs = change_selectors.changes_to_decide(request.user) if to_decide else change_selectors.changes_for(request.user)
    return [_change(r) for r in qs[:200]]


def _visible_change(request, request_id: int):
    _require(request, VIEW_ROLES)
    r = change_selectors.changes_for(request.user).filter(pk=request_id).first()
    if r is None:
        raise RegistryNotFound("ACCOUNT_CHANGE_NOT_IN_SCOPE")
    return r


@router.get("/account-changes/{request_id}", response=ChangeOut, url_name="registry_account_change",
            summary="一条账户变更申请（新账号已隐藏）")
def account_change(request, request_id: int):
    return _change(_visible_change(request, request_id))


class DecisionIn(Schema):
    approve: bool
    reason: str = ""


@router.post("/account-changes/{request_id}/decision", response=ChangeOut, url_name="registry_account_change_decide",
             summary="审核账户变更申请（approve；不予批准须写 reason）：申请人本人不能审核；批准且生效日期已到即启用新账户")
def account_change_decide(request, request_id: int, payload: DecisionIn):
    from .services import account_change_decide as decide

    _visible_change(request, request_id)
    decide(actor=request.user, request_id=request_id, approve=payload.approve, reason=payload.reason)
    return _change(change_selectors.changes_for(request.user).get(pk=request_id))


@router.get("/account-changes/{request_id}/attachment", url_name="registry_account_change_attachment",
            summary="账户变更申请的附件（原文件）")
def account_change_attachment(request, request_id: int):
    from yikatong.core.downloads import download_response

    from .models import AccountChangeRequest

    _visible_change(request, request_id)
    full = AccountChangeRequest.objects.get(pk=request_id)
    if not full.attachment_sha256:
        raise RegistryNotFound("ACCOUNT_CHANGE_NO_ATTACHMENT")
    return download_response(full.attachment(), filename=full.attachment_name, content_type=full.attachment_type)


class AccountEventOut(Schema):
    kind: str
    status_after: str
    effective_date: dt.date
    source: str


class AccountOut(Schema):
    id: int
    kind: str
    bank: str
    account: str  # masked
    status: str
    is_current: bool
    opened_on: dt.date | None
    closed_on: dt.date | None
    events: list[AccountEventOut]


class HistoryOut(Schema):
    person: int
    card_status: str
    card_status_label: str
    card_status_source: str
    card_status_since: dt.date | None
    accounts: list[AccountOut]
    changes: list[ChangeOut]


@router.get("/persons/{person_id}/accounts", response=HistoryOut, url_name="registry_account_history",
            summary="一个人的社保卡状态、账户历史（账号已隐藏）与账户变更申请")
def account_history(request, person_id: int):
    _require(request, VIEW_ROLES)
    d = selectors.person_detail(request.user, person_id)
    c = card_selectors.person_cards(request.user, person_id)
    if d is None or c is None:
        raise RegistryNotFound("PERSON_NOT_IN_SCOPE")
    return {
        "person": person_id, "card_status": c.status.status, "card_status_label": c.status.label,
        "card_status_source": c.status.source, "card_status_since": c.status.since,
        "accounts": [{"id": a.account.pk, "kind": a.account.kind, "bank": a.account.bank, "account": a.masked,
                      "status": a.account.status, "is_current": a.account.is_current,
                      "opened_on": a.account.opened_on, "closed_on": a.account.closed_on,
                      "events": [{"kind": e.kind, "status_after": e.status_after, "effective_date": e.effective_date,
                                  "source": e.source} for e in a.events]} for a in d.accounts],
        "changes": [_change(r) for r in c.changes],
    }
