"""Objections to a running notice (公示异议, issue 15 point 4 and issue 8), filed by the public online.

The citizen files it from the public page of a published notice list (/public/notices/list/<public_id>/
objection/), so the list's public_id names the batch. Filing makes, in one transaction:
- a complaint of kind 公示异议 with tracking number and secret code, routed to the batch's owning
  department and its township, due like any complaint;
- a rosters Objection on the batch's current notice (rosters.notices.objection_public_record) carrying the
  tracking number, which blocks the batch's approval (guard objections_resolved: OBJECTIONS_OPEN).

It stays consistent one way only: answering and closing the complaint (complaints.complaint_reply with
close) resolves the objection with that reply; the roster page cannot resolve it on its own
(OBJECTION_VIA_COMPLAINT). Only while the batch is in its notice step (OBJECTION_NOTICE_OVER), only from a
notice list still published (a result list or a withdrawn one is LIST_NOT_FOUND)."""
from __future__ import annotations

from django.db import transaction

from yikatong.rosters.models import BatchState

from .complaints import Filed, new_complaint, record_filed
from .errors import DisclosureError, DisclosureNotFound
from .models import PublishedList
from .models.complaints import ComplaintKind
from .models.lists import ListKind, ListState


def notice_list(public_id: str) -> PublishedList:
    """The published (not withdrawn) notice list `public_id` of a policy that is not confidential."""
    pl = (PublishedList.objects.filter(public_id=(public_id or "")[:40], kind=ListKind.NOTICE, state=ListState.PUBLISHED,
                                       batch__policy__confidential=False)
          .select_related("batch__policy", "batch__region").defer("content").first())
    if pl is None:
        raise DisclosureNotFound("LIST_NOT_FOUND")
    return pl


def notice_running(pl: PublishedList) -> bool:
    return pl.batch.state == BatchState.NOTICE


def objection_file(*, public_id: str, text: str, contact_name: str = "", phone: str = "",
                   attachment: tuple[str, str, bytes] | None = None, now=None) -> Filed:
    """File an objection to the notice of list `public_id` (no actor: the public). Contact required as for a
    complaint. One audit event (the filing, naming the objection)."""
    from yikatong.rosters.notices import objection_public_record

    pl = notice_list(public_id)
    batch = pl.batch
    if not notice_running(pl):
        raise DisclosureError("OBJECTION_NOTICE_OVER")
    with transaction.atomic():
        filed = new_complaint(kind=ComplaintKind.OBJECTION, region=batch.region, policy=batch.policy,
                              department=batch.department, text=text, contact_name=contact_name, phone=phone,
                              attachment=attachment, now=now, published_list=pl)
        c = filed.complaint
        objection = objection_public_record(batch_id=batch.pk, raised_by=c.contact_name, content=c.text,
                                            source_ref=c.tracking_no)
        type(c).objects.filter(pk=c.pk).update(objection=objection)
        c.objection = objection
        record_filed(c, objection=objection.pk, batch=batch.code, list=pl.public_id)
    return filed
