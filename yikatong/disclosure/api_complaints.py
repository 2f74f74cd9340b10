"""JSON API of the staff side of complaints (mounted at /api/disclosure/): the list in the caller's scope with
handling times, one complaint with its replies, 受理, 答复, 登记疑点, 移送线索 and the attachment. The same
selectors and services as the staff pages: a
complaint outside the caller's scope is 404; a role that may not answer is 403; a state that does not
allow the step is 409. The public filing and tracking pages have no API (exempt, like the public
policy pages' HTML)."""
import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from yikatong.core.downloads import download_response

from . import complaints as svc
from . import complaints_links, complaints_scope, complaints_selectors

router = Router(tags=["投诉举报"])


class ReplyOut(Schema):
    text: str
    by: str
    at: datetime.datetime


class ComplaintOut(Schema):
    id: int
    tracking_no: str
    kind: str
    state: str
    region: str
    township: str | None
    department: int | None
    policy: int | None
    escalation: int
    filed_at: datetime.datetime
    due_on: datetime.date
    answered_at: datetime.datetime | None
    contact_name: str
    phone_masked: str
    handling_working_days: int | None = None  # filed → answered (→ today while unanswered); in the list
    overdue_working_days: int | None = None  # past the reply deadline at the answer (or today); in the list


class ComplaintDetailOut(ComplaintOut):
    text: str
    attachment_name: str
    replies: list[ReplyOut]
    finding: int | None  # the finding opened on a batch item (登记疑点)
    clue: str | None  # the case number of the clue transferred to supervision (移送线索)
    objection: int | None  # the rosters objection of a 公示异议
    objection_resolved: bool | None


def _out(c) -> dict:
    return {"id": c.pk, "tracking_no": c.tracking_no, "kind": c.kind, "state": c.state, "region": c.region_id,
            "township": c.township_id, "department": c.department_id, "policy": c.policy_id,
            "escalation": c.escalation, "filed_at": c.filed_at, "due_on": c.due_on, "answered_at": c.answered_at,
            "contact_name": c.contact_name, "phone_masked": c.phone_masked,
            "handling_working_days": getattr(c, "handling_days", None),
            "overdue_working_days": getattr(c, "overdue_days", None)}


def _detail(c) -> dict:
    return {**_out(c), "text": c.text, "attachment_name": c.attachment_name,
            "replies": [{"text": r.text, "by": r.by.username, "at": r.at} for r in c.replies.select_related("by")],
            "finding": c.finding_id, "clue": c.clue.case_no if c.clue_id else None, "objection": c.objection_id,
            "objection_resolved": c.objection.resolved_at is not None if c.objection_id else None}


@router.get("/complaints", response=list[ComplaintOut], url_name="disclosure_complaints_api",
            summary="投诉举报咨询（本辖区、本部门；监督人员看本区划全部），含办理用时和逾期工作日；overdue=true 只列逾期的")
def complaints(request, state: str = "", overdue: bool = False):
    return [_out(c) for c in complaints_selectors.staff_list(request.user, state=state, overdue=overdue)]


@router.get("/complaints/{complaint_id}", response=ComplaintDetailOut, url_name="disclosure_complaint_api",
            summary="投诉举报详情及答复")
def complaint(request, complaint_id: int):
    return _detail(get_object_or_404(complaints_scope.visible_to(request.user), pk=complaint_id))


@router.post("/complaints/{complaint_id}/assign", response=ComplaintDetailOut,
             url_name="disclosure_complaint_assign_api", summary="受理（已接收 → 办理中）")
def assign(request, complaint_id: int):
    c = get_object_or_404(complaints_scope.visible_to(request.user), pk=complaint_id)
    return _detail(svc.complaint_assign(actor=request.user, complaint_id=c.pk))


class ReplyIn(Schema):
    text: str
    close: bool = False  # also close (办结)


@router.post("/complaints/{complaint_id}/reply", response=ComplaintDetailOut,
             url_name="disclosure_complaint_reply_api", summary="答复（可同时办结）")
def reply(request, complaint_id: int, payload: ReplyIn):
    c = get_object_or_404(complaints_scope.visible_to(request.user), pk=complaint_id)
    return _detail(svc.complaint_reply(actor=request.user, complaint_id=c.pk, text=payload.text, close=payload.close))


class FindingIn(Schema):
    reason: str
    item: int | None = None  # the batch item's id, or:
    batch: str = ""  # the batch code and
    seq: int | None = None  # the item's sequence number (第N条)


@router.post("/complaints/{complaint_id}/finding", response=ComplaintDetailOut,
             url_name="disclosure_complaint_open_finding_api",
             summary="登记疑点：对某条发放明细登记阻断级疑点（须承办该投诉且能看到该批次；每件一次）")
def open_finding(request, complaint_id: int, payload: FindingIn):
    c = get_object_or_404(complaints_scope.visible_to(request.user), pk=complaint_id)
    item_id = payload.item or complaints_links.item_lookup(actor=request.user, batch_code=payload.batch, seq=payload.seq)
    return _detail(complaints_links.complaint_open_finding(actor=request.user, complaint_id=c.pk, item_id=item_id,
                                                           reason=payload.reason))


class ClueIn(Schema):
    reason: str


@router.post("/complaints/{complaint_id}/clue", response=ComplaintDetailOut,
             url_name="disclosure_complaint_transfer_clue_api",
             summary="移送线索：移送审计/纪检/监管部门核查（须承办该投诉；每件一次）")
def transfer_clue(request, complaint_id: int, payload: ClueIn):
    c = get_object_or_404(complaints_scope.visible_to(request.user), pk=complaint_id)
    return _detail(complaints_links.complaint_transfer_clue(actor=request.user, complaint_id=c.pk,
                                                            reason=payload.reason))


@router.get("/complaints/{complaint_id}/attachment", url_name="disclosure_complaint_attachment_api",
            summary="下载投诉举报的附件（能查看该投诉的工作人员；记入审计）")
def attachment(request, complaint_id: int):
    try:
        c, data = complaints_links.complaint_attachment_download(actor=request.user, complaint_id=complaint_id)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    return download_response(data, filename=c.attachment_name, content_type=c.attachment_type)
