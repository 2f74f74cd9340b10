"""Writes of complaints (投诉/举报/咨询): filing by the public, tracking, replies by the handling office,
the daily overdue escalation. Keyword-only, one transaction and one audit event each; states through
complaints_flow (core.statemachine). The phone is never audited or logged in full."""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yikatong.audit.services import record
from yikatong.core import sealed
from yikatong.core.calendar import add_working_days
from yikatong.core.crypto import vault
from yikatong.core.masking import mask_phone
from yikatong.core.profiles import current_profile
from yikatong.core import ratelimit
from yikatong.core.ratelimit import setting_rate
from yikatong.core.serials import take_next
from yikatong.policies.models import CatalogueState, Policy
from yikatong.regions.models import Region

from . import complaints_scope
from .complaints_flow import COMPLAINTS
from .errors import DisclosureError
from .models.complaints import (COMPLAINT_ATTACHMENT_PURPOSE, Complaint, ComplaintKind, ComplaintNumberSequence,
                                ComplaintReply, ComplaintState, EscalationLevel)
from yikatong.core.statemachine import apply

TEXT_MAX = 2000
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 8
PHONE_RE = re.compile(r"(1\d{10})|(0\d{2,3}-?\d{7,8})")
TOWNSHIP_LEVEL, VILLAGE_LEVEL = 4, 5


def throttle(kind: str, client: str | None) -> None:
    """One public filing ("new") or tracking look-up ("track") from `client` (its IP)."""
    rate = (setting_rate("YKT_COMPLAINT_FILE_RATE", "5/hour") if kind == "new"
            else setting_rate("YKT_COMPLAINT_TRACK_RATE", "20/10min"))
    ratelimit.throttle(f"complaint:{kind}:{client or '-'}", rate, DisclosureError, "COMPLAINT_RATE_LIMITED")


def _code_hash(tracking_no: str, code: str) -> str:
    key = hashlib.sha256(b"ykt.complaint.code|" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, f"{tracking_no}|{code.strip().upper()}".encode(), hashlib.sha256).hexdigest()


def _tracking_no(region: Region, now) -> str:
    local = timezone.localtime(now)
    _, serial = take_next(ComplaintNumberSequence, county_code=region.code[:6], year=local.year, what="受理编号",
                          max_serial=99_999)
    return f"TS{local:%Y%m%d}{serial:05d}"


def _township_of(region: Region) -> Region | None:
    node = region
    while node is not None and node.level > TOWNSHIP_LEVEL:
        node = node.parent
    return node if node is not None and node.level == TOWNSHIP_LEVEL else None


def public_policies():
    """Policies a citizen may name: in a published catalogue, never confidential (涉密)."""
    return Policy.objects.filter(confidential=False, catalogue__state=CatalogueState.PUBLISHED)


@dataclass(frozen=True)
class Filed:
    complaint: Complaint
    code: str  # the secret code in clear: shown once, never stored


GENERAL_KINDS = (ComplaintKind.REPORT, ComplaintKind.COMPLAINT, ComplaintKind.QUESTION)  # the general form's


def complaint_file(*, kind: str, region_code: str, text: str, policy_id: int | None = None, contact_name: str = "",
                   phone: str = "", attachment: tuple[str, str, bytes] | None = None, now=None) -> Filed:
    """File a complaint from the public (no actor). Routed to the policy's department and the township of
    the place; due after the profile's complaint_reply_working_days working days. An objection to a notice
    (公示异议) is filed from the notice's public list instead (complaints_objections.objection_file)."""
    if kind not in GENERAL_KINDS:
        raise DisclosureError("COMPLAINT_KIND_UNKNOWN")
    region = Region.objects.filter(code=region_code, level__in=(TOWNSHIP_LEVEL, VILLAGE_LEVEL)).first()
    if region is None:
        raise DisclosureError("COMPLAINT_REGION_UNKNOWN")
    policy = None
    if policy_id:
        policy = public_policies().filter(pk=policy_id).select_related("department").first()
        if policy is None:
            raise DisclosureError("COMPLAINT_POLICY_UNKNOWN")
    with transaction.atomic():
        filed = new_complaint(kind=kind, region=region, policy=policy, department=policy.department if policy else None,
                              text=text, contact_name=contact_name, phone=phone, attachment=attachment, now=now)
        record_filed(filed.complaint)
    return filed


def new_complaint(*, kind: str, region: Region, policy, department, text: str, contact_name: str, phone: str,
                  attachment, now=None, **links) -> Filed:
    """Check the public's input and store a complaint routed to `department` and the township of `region`
    (in the caller's transaction; the caller audits it with record_filed)."""
    text = (text or "").strip()
    if not text or len(text) > TEXT_MAX:
        raise DisclosureError("COMPLAINT_TEXT_REQUIRED")
    contact_name, phone = (contact_name or "").strip()[:50], re.sub(r"\s", "", phone or "")
    if phone and not PHONE_RE.fullmatch(phone):
        raise DisclosureError("COMPLAINT_PHONE_INVALID")
    if kind != ComplaintKind.REPORT and not (contact_name and phone):
        raise DisclosureError("COMPLAINT_CONTACT_REQUIRED")
    now = now or timezone.now()
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    due = add_working_days(timezone.localtime(now).date(), current_profile().complaint_reply_working_days)
    number = _tracking_no(region, now)
    c = Complaint(tracking_no=number, code_hash=_code_hash(number, code), kind=kind, policy=policy, region=region,
                  township=_township_of(region), department=department, text=text,
                  contact_name=contact_name, phone_enc=vault().encrypt(phone) if phone else "",
                  phone_masked=mask_phone(phone), filed_at=now, due_on=due, **links)
    if attachment is not None:
        name, content_type, data = attachment
        s = sealed.seal(data, purpose=COMPLAINT_ATTACHMENT_PURPOSE)
        c.attachment_name, c.attachment_type, c.attachment_sha256, c.attachment_enc = (
            name[:200], content_type[:100], s.sha256, s.blob)
    c.save()
    return Filed(c, code)


def record_filed(c: Complaint, **extra) -> None:
    """The one audit event of a filing (no actor: the public); never the phone."""
    record(actor=None, action="disclosure.complaint_file", obj=c, object_repr=c.tracking_no,
           after={"kind": c.kind, "region": c.region_id, "department": c.department_id,
                  "due_on": c.due_on.isoformat(), "anonymous": not (c.contact_name or c.phone_masked),
                  "attachment": bool(c.attachment_name), **extra})


def complaint_track(*, tracking_no: str, code: str) -> Complaint:
    """The complaint of `tracking_no` if `code` is its secret code; one refusal for a wrong code and an unknown
    number alike (the hash is computed either way)."""
    number = (tracking_no or "").strip().upper()
    c = Complaint.objects.filter(tracking_no=number).first()
    expected = c.code_hash if c is not None else "0" * 64
    if not hmac.compare_digest(_code_hash(number, code or ""), expected) or c is None:
        raise DisclosureError("COMPLAINT_NOT_FOUND")
    return c


def complaint_assign(*, actor, complaint_id: int) -> Complaint:
    """受理: the handling office takes the complaint on."""
    _visible(actor, complaint_id)
    return apply(COMPLAINTS, actor=actor, pk=complaint_id, action="assign")


def complaint_reply(*, actor, complaint_id: int, text: str, close: bool = False) -> Complaint:
    """答复: a reply (shown on the public tracking page); `close` also closes the complaint (办结).

    Closing an objection (公示异议) also resolves its rosters Objection, with this reply as the resolution
    (rosters.notices.objection_resolve: the actor needs a role and scope that may resolve objections, else
    the whole reply is refused). That is the only way such an objection is resolved: the roster page refuses
    it (OBJECTION_VIA_COMPLAINT), so the public's answer and the batch's approval never disagree. A reply
    without closing leaves the objection open, and the batch's approval blocked (OBJECTIONS_OPEN)."""
    text = (text or "").strip()
    if not text:
        raise DisclosureError("COMPLAINT_REPLY_REQUIRED")
    _visible(actor, complaint_id)
    now = timezone.now()
    with transaction.atomic():
        c = apply(COMPLAINTS, actor=actor, pk=complaint_id, action="answer", fields={"answered_at": now},
                  audit_after={"reply": text[:500]})
        ComplaintReply.objects.create(complaint=c, text=text, by=actor, at=now)
        if close:
            c = apply(COMPLAINTS, actor=actor, pk=complaint_id, action="close", fields={"closed_at": now})
            if c.objection_id:
                _resolve_objection(actor, c, text)
    return c


def _resolve_objection(actor, c: Complaint, text: str) -> None:
    from yikatong.rosters.models import Objection
    from yikatong.rosters.notices import objection_resolve

    if Objection.objects.filter(pk=c.objection_id, resolved_at__isnull=True).exists():
        objection_resolve(actor=actor, objection_id=c.objection_id, resolution=text, source_ref=c.tracking_no)


def _visible(actor, complaint_id: int) -> None:
    """404 (Complaint.DoesNotExist) for a complaint the actor may not even read."""
    complaints_scope.visible_to(actor).get(pk=complaint_id)


def overdue(today=None):
    """Open complaints past their due date that are not yet escalated."""
    today = today or timezone.localdate()
    return Complaint.objects.filter(state__in=(ComplaintState.RECEIVED, ComplaintState.ASSIGNED), due_on__lt=today,
                                    escalation=EscalationLevel.NONE)


def complaints_escalate(*, today=None) -> int:
    """The daily scan: every open complaint past due goes one level up (the county department / finance),
    where it shows on the to-do list. One audit event per complaint; returns how many were escalated."""
    now = timezone.now()
    done = 0
    for pk in list(overdue(today).values_list("pk", flat=True)):
        with transaction.atomic():
            c = Complaint.objects.select_for_update().get(pk=pk)
            if c.escalation != EscalationLevel.NONE or not c.is_open:
                continue
            Complaint.objects.filter(pk=pk).update(escalation=EscalationLevel.COUNTY, escalated_at=now)
            record(actor=None, action="disclosure.complaint_escalate", obj=c, object_repr=c.tracking_no,
                   before={"escalation": 0}, after={"escalation": int(EscalationLevel.COUNTY),
                                                    "due_on": c.due_on.isoformat()})
            done += 1
    return done
