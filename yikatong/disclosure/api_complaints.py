"""JSON API of the staff side of complaints (mounted at /api/disclosure/): the list in the caller's scope,
one complaint with its replies, 受理 and 答复. The same selectors and services as the staff pages: a
complaint outside the caller's scope is 404; a role that may not answer is 403; a state that does not
allow the step is 409. The public filing and tracking pages have no API (exempt, like the public
policy pages' HTML)."""
import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from . import complaints as svc
from . import complaints_scope
from .models.complaints import ComplaintState

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


class ComplaintDetailOut(ComplaintOut):
    text: str
    attachment_name: str
    replies: list[ReplyOut]


def _out(c) -> dict:
    return {"id": c.pk, "tracking_no": c.tracking_no, "kind": c.kind, "state": c.state, "region": c.region_id,
            "township": c.township_id, "department": c.department_id, "policy": c.policy_id,
            "escalation": c.escalation, "filed_at": c.filed_at, "due_on": c.due_on, "answered_at": c.answered_at,
            "contact_name": c.contact_name, "phone_masked": c.phone_masked}


def _detail(c) -> dict:
    return {**_out(c), "text": c.text, "attachment_name": c.attachment_name,
            "replies": [{"text": r.text, "by": r.by.username, "at": r.at} for r in c.replies.select_related("by")]}


@router.get("/complaints", response=list[ComplaintOut], url_name="disclosure_complaints_api",
            summary="投诉举报咨询（本辖区、本部门；监督人员看本区划全部）")
def complaints(request, state: str = ""):
    qs = complaints_scope.visible_to(request.user)
    if state in ComplaintState.values:
        qs = qs.filter(state=state)
    return [_out(c) for c in qs[:500]]


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
