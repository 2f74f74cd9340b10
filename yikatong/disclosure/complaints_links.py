"""What the handling office makes of a complaint besides a reply (issue 15 point 4), each once per complaint:

- `complaint_open_finding`: a blocking finding on one batch item (checks.manual), shown and disposed of like
  any finding and blocking the batch's approval until disposed of;
- `complaint_transfer_clue`: the complaint handed to supervision as a clue (supervision.transfer), as a
  finding is transferred today by those who handle it (checks.services.finding_dispose) — here by those
  who handle the complaint;
- `complaint_attachment_download`: the sealed attachment, for staff who may read the complaint.

Who: a complaint outside what the actor may read is 404 (Complaint.DoesNotExist), never named; reading it
without handling it (a supervisor, another department's complaint) is refused COMPLAINT_NOT_HANDLER (403).
Keyword-only, one transaction each, one audit event each (the finding's is checks', naming the tracking
number)."""
from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone

from yikatong.audit.services import record

from . import complaints_scope
from .errors import ComplaintForbidden, ComplaintNotFound, DisclosureError
from .models.complaints import Complaint, ComplaintState

_LONG_DIGITS = re.compile(r"\d{6,}[\dXx]?")


def _redact(text: str) -> str:
    """Free text with every run of 6+ digits (ID, phone, account numbers) masked to its last 4."""
    return _LONG_DIGITS.sub(lambda m: "*" * (len(m.group()) - 4) + m.group()[-4:], text)


def _handled(actor, complaint_id: int, what: str) -> Complaint:
    """The complaint locked for the actor who handles it (see the module docstring for the refusals)."""
    complaints_scope.visible_to(actor).values("pk").get(pk=complaint_id)
    c = Complaint.objects.select_for_update(of=("self",)).select_related("region", "township", "policy").get(
        pk=complaint_id)
    if not complaints_scope.may_handle(actor, c):
        raise ComplaintForbidden("COMPLAINT_NOT_HANDLER", number=c.tracking_no, what=what)
    return c


def item_lookup(*, actor, batch_code: str, seq) -> int:
    """The id of item `seq` (第N条) of batch `batch_code` among the batches the actor sees (rosters.scope);
    COMPLAINT_ITEM_NOT_FOUND (404) otherwise."""
    from yikatong.rosters.models import BatchItem
    from yikatong.rosters.scope import scoped

    seq = str(seq or "").strip()
    if not seq.isdigit():
        raise ComplaintNotFound("COMPLAINT_ITEM_NOT_FOUND")
    qs = scoped(BatchItem.objects.all(), actor, "batch__").filter(batch__code=(batch_code or "").strip(), seq=int(seq))
    pk = qs.values_list("pk", flat=True).first()
    if pk is None:
        raise ComplaintNotFound("COMPLAINT_ITEM_NOT_FOUND")
    return pk


def complaint_open_finding(*, actor, complaint_id: int, item_id: int, reason: str) -> Complaint:
    """Open a blocking finding on batch item `item_id` for the complaint: the actor handles the complaint and
    sees the item's batch (rosters.scope; an item outside it is 404 COMPLAINT_ITEM_NOT_FOUND); not once the
    complaint is closed; once per complaint."""
    from yikatong.checks.manual import MANUAL_ROLES, finding_open_manual
    from yikatong.rosters.models import BatchItem
    from yikatong.rosters.scope import scoped

    with transaction.atomic():
        c = _handled(actor, complaint_id, "登记疑点")
        if c.state == ComplaintState.CLOSED:
            raise DisclosureError("COMPLAINT_CLOSED", number=c.tracking_no, what="登记疑点")
        if c.finding_id:
            raise DisclosureError("COMPLAINT_FINDING_OPENED", number=c.tracking_no, finding=c.finding_id)
        if not scoped(BatchItem.objects.filter(pk=item_id), actor, "batch__", roles=MANUAL_ROLES).exists():
            raise ComplaintNotFound("COMPLAINT_ITEM_NOT_FOUND")
        finding = finding_open_manual(actor=actor, item_id=item_id, reason=reason, source_ref=c.tracking_no)
        Complaint.objects.filter(pk=c.pk).update(finding=finding)
    c.refresh_from_db()
    return c


def complaint_transfer_clue(*, actor, complaint_id: int, reason: str) -> Complaint:
    """Transfer the complaint to supervision as a clue (线索移送) with a case number of its county: the actor
    handles the complaint; a reason is required; once per complaint, in any state (a reply to the public
    and an investigation are separate matters)."""
    from yikatong.supervision.transfer import open_complaint_clue

    reason = (reason or "").strip()
    if not reason:
        raise DisclosureError("COMPLAINT_CLUE_REASON_REQUIRED")
    with transaction.atomic():
        c = _handled(actor, complaint_id, "移送线索")
        if c.clue_id:
            raise DisclosureError("COMPLAINT_CLUE_TRANSFERRED", number=c.tracking_no, case_no=c.clue.case_no)
        about = f"（{c.policy.name}）" if c.policy_id else ""
        subject = f"{c.get_kind_display()}{about}：{_redact(c.text)}"
        clue = open_complaint_clue(actor=actor, region=c.township or c.region, source_ref=c.tracking_no,
                                   subject=subject[:300], reason=reason, now=timezone.now())
        Complaint.objects.filter(pk=c.pk).update(clue=clue)
        record(actor=actor, action="disclosure.complaint_transfer_clue", obj=c, object_repr=c.tracking_no,
               after={"case_no": clue.case_no, "region": clue.region_id, "reason": reason[:500]})
    c.refresh_from_db()
    return c


def complaint_attachment_download(*, actor, complaint_id: int) -> tuple[Complaint, bytes]:
    """The complaint's attachment (unsealed) for staff who may read the complaint (404 otherwise, and when
    it has none). Audited: who took which file (name and SHA-256), never its content."""
    with transaction.atomic():
        c = complaints_scope.visible_to(actor).get(pk=complaint_id)
        if not c.attachment_name:
            raise ComplaintNotFound("COMPLAINT_NO_ATTACHMENT")
        data = c.attachment()
        record(actor=actor, action="disclosure.complaint_attachment_download", obj=c, object_repr=c.tracking_no,
               after={"filename": c.attachment_name, "sha256": c.attachment_sha256})
    return c, data
