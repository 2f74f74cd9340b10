"""Writes on a batch's notices (公示): register a notice (with its photo), the post-payment notice,
the reading at the villagers' assembly, and objections raised while a notice runs."""
import re

from django.db import transaction
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.audit.services import record
from yikatong.core.profiles import get_profile
from yikatong.core.refusals import invalid

from . import hooks
from .errors import RosterError
from .guards import NOTICE_LEVELS, current_notices, notice_end, notice_entered_on, notice_working_days
from .models import Batch, BatchEvent, BatchState, Notice, Objection
from .models.notice import NoticeLevel
from .services import _require, attachment_add

PHONE_RE = re.compile(r"^[0-9][0-9-]{5,18}[0-9]$")


@transaction.atomic
def notice_record(*, actor, batch_id: int, level: str, start, place: str, phone: str, working_days: int | None = None,
                  read_at_assembly: bool = False, proof_id: int | None = None, assembly_on=None,
                  assembly_place: str = "", assembly_attendees: int | None = None) -> Notice:
    """Register a notice (公示) of a batch in its notice step. It cannot be faked: the start may not
    be before the day the batch entered the step (no backdating), the end is computed from the
    working days by the calendar (at least the profile's minimum), a supervision phone (监督电话) is
    required, and one notice per level per round."""
    batch = Batch.objects.select_for_update().get(pk=batch_id)
    _require(actor, {Role.TOWNSHIP_OPERATOR, Role.VILLAGE_CLERK}, batch, "登记公示")
    if batch.state != BatchState.NOTICE:
        raise RosterError("NOT_IN_NOTICE", batch=batch.code)
    if level not in NOTICE_LEVELS:
        raise RosterError("NOTICE_LEVEL_INVALID")
    entered = notice_entered_on(batch)
    if start < entered:
        raise RosterError("NOTICE_BACKDATED", start=f"{start:%Y-%m-%d}", entered=f"{entered:%Y-%m-%d}")
    label = NoticeLevel(level).label
    days, place, phone = _notice_terms(
        batch, working_days, get_profile(batch.profile_code).notice_min_working_days, place, phone, proof_id,
        too_short=("NOTICE_TOO_SHORT", {"level": label}),
        recorded=current_notices(batch).filter(level=level).exists() and ("NOTICE_LEVEL_RECORDED", {"level": label}))
    end = notice_end(start, days)
    assembly = _assembly(start, assembly_on, assembly_place, assembly_attendees)
    notice = Notice.objects.create(
        batch=batch, level=level, start=start, end=end, place=place[:200], phone=phone,
        read_at_assembly=read_at_assembly or bool(assembly), working_days=notice_working_days(start, end),
        proof_id=proof_id, recorded_by=actor, **assembly,
    )
    BatchEvent.objects.create(batch=batch, action="record_notice", label=f"登记{label}", actor=actor,
                              reason=f"{start:%Y-%m-%d}至{end:%Y-%m-%d}，{notice.working_days}个工作日，{notice.place}，"
                                     f"监督电话{phone}")
    record(actor=actor, action="rosters.notice_record", obj=batch,
           after={"level": level, "start": str(start), "end": str(end), "working_days": notice.working_days,
                  "place": notice.place, "phone": phone,
                  **({"assembly_on": str(notice.assembly_on), "assembly_attendees": notice.assembly_attendees}
                     if assembly else {})})
    hooks.notice_recorded(batch=batch, level=level)
    return notice


PAID_STATES = (BatchState.PAID, BatchState.PARTLY_FAILED, BatchState.CLOSED)


@transaction.atomic
def post_payment_notice_record(*, actor, batch_id: int, start, place: str, phone: str,
                               working_days: int | None = None, proof_id: int | None = None) -> Notice:
    """发放后公示 (e.g. seed 001: 公示不少于 5 个工作日): once per batch after the bank's answer, starting no
    earlier than the answer, lasting at least the profile's post_payment_notice_working_days (1 when unset)."""
    batch = Batch.objects.select_for_update().get(pk=batch_id)
    _require(actor, {Role.TOWNSHIP_OPERATOR, Role.VILLAGE_CLERK}, batch, "登记发放后公示")
    if batch.state not in PAID_STATES:
        raise RosterError("POST_NOTICE_STATE", batch=batch.code)
    if batch.notices.filter(level=NoticeLevel.POST_PAYMENT).exists():
        raise RosterError("POST_NOTICE_RECORDED", batch=batch.code)
    paid_at = batch.events.filter(to_state__in=(BatchState.PAID, BatchState.PARTLY_FAILED)).order_by("at") \
        .values_list("at", flat=True).first()
    paid = timezone.localtime(paid_at).date() if paid_at else None
    if paid is not None and start < paid:
        raise RosterError("POST_NOTICE_BEFORE_PAID", start=f"{start:%Y-%m-%d}", paid=f"{paid:%Y-%m-%d}")
    days, place, phone = _notice_terms(
        batch, working_days, get_profile(batch.profile_code).post_payment_notice_working_days, place, phone, proof_id,
        too_short=("POST_NOTICE_TOO_SHORT", {}), recorded=None)
    end = notice_end(start, days)
    notice = Notice.objects.create(batch=batch, level=NoticeLevel.POST_PAYMENT, start=start, end=end, place=place[:200],
                                   phone=phone, working_days=notice_working_days(start, end), proof_id=proof_id,
                                   recorded_by=actor)
    BatchEvent.objects.create(batch=batch, action="record_post_notice", label="登记发放后公示", actor=actor,
                              reason=f"{start:%Y-%m-%d}至{end:%Y-%m-%d}，{notice.working_days}个工作日，{notice.place}，"
                                     f"监督电话{phone}")
    record(actor=actor, action="rosters.post_payment_notice_record", obj=batch,
           after={"start": str(start), "end": str(end), "working_days": notice.working_days, "place": notice.place,
                  "phone": phone})
    return notice


def _notice_terms(batch, working_days, minimum, place, phone, proof_id, *, too_short, recorded):
    """The terms every notice is refused on, in this order: its working days (at least the profile's
    `minimum`, 1 when unset; `too_short` = (code, params)), its place and supervision phone, a notice of
    the same kind already recorded (`recorded` = (code, params) or falsy) and a proof from another batch.
    Returns (days, place, phone) cleaned."""
    minimum = minimum or 1
    days = minimum if working_days is None else working_days
    if type(days) is not int or not 1 <= days <= 60:
        raise RosterError("NOTICE_DAYS_INVALID")
    if days < minimum:
        raise RosterError(too_short[0], days=days, minimum=minimum, **too_short[1])
    place, phone = (place or "").strip(), (phone or "").strip()
    if not place:
        raise RosterError("NOTICE_PLACE_REQUIRED")
    if not phone:
        raise RosterError("NOTICE_PHONE_REQUIRED")
    if not PHONE_RE.match(phone):
        raise RosterError("NOTICE_PHONE_INVALID", phone=phone[:30])
    if recorded:
        raise RosterError(recorded[0], **recorded[1])
    if proof_id is not None and not batch.attachments.filter(pk=proof_id).exists():
        raise RosterError("NOTICE_PROOF_FOREIGN")
    return days, place, phone


def _assembly(start, on, place: str, attendees) -> dict:
    """The reading at the villagers' assembly: nothing, or date (from the notice's start to today), place
    and attendees together (NOTICE_ASSEMBLY_INCOMPLETE / NOTICE_ASSEMBLY_DATE)."""
    place = (place or "").strip()
    if on is None and not place and attendees is None:
        return {}
    if on is None or not place or type(attendees) is not int or attendees < 1:
        raise RosterError("NOTICE_ASSEMBLY_INCOMPLETE")
    today = timezone.localdate()
    if not start <= on <= today:
        raise RosterError("NOTICE_ASSEMBLY_DATE", day=f"{on:%Y-%m-%d}", start=f"{start:%Y-%m-%d}")
    return {"assembly_on": on, "assembly_place": place[:200], "assembly_attendees": attendees}


@transaction.atomic
def notice_assembly_record(*, actor, batch_id: int, notice_id: int, assembly_on, assembly_place: str,
                           assembly_attendees: int) -> Notice:
    """Record the reading of a notice of the current round at the villagers' assembly (宣读: date, place,
    attendees), after the notice was put up; once."""
    batch = Batch.objects.select_for_update().get(pk=batch_id)
    _require(actor, {Role.TOWNSHIP_OPERATOR, Role.VILLAGE_CLERK}, batch, "登记群众大会宣读")
    if batch.state != BatchState.NOTICE:
        raise RosterError("NOT_IN_NOTICE", batch=batch.code)
    notice = current_notices(batch).select_for_update().filter(pk=notice_id).first()
    if notice is None:
        raise RosterError("NOTICE_NOT_CURRENT")
    if notice.assembly_on is not None:
        raise RosterError("NOTICE_ASSEMBLY_RECORDED", day=f"{notice.assembly_on:%Y-%m-%d}")
    assembly = _assembly(notice.start, assembly_on, assembly_place, assembly_attendees)
    if not assembly:
        raise RosterError("NOTICE_ASSEMBLY_INCOMPLETE")
    Notice.objects.filter(pk=notice.pk).update(read_at_assembly=True, **assembly)
    notice.refresh_from_db()
    BatchEvent.objects.create(batch=batch, action="record_assembly", label="登记群众大会宣读", actor=actor,
                              reason=f"{assembly_on:%Y-%m-%d}，{notice.assembly_place}，到会 {assembly_attendees} 人")
    record(actor=actor, action="rosters.notice_assembly_record", obj=batch,
           after={"notice": notice.pk, "on": str(assembly_on), "place": notice.assembly_place,
                  "attendees": assembly_attendees})
    return notice


@transaction.atomic
def notice_record_with_proof(*, actor, batch_id: int, proof_name: str = "", proof_data: bytes | None = None,
                             **notice) -> Notice:
    """The notice page's one action: store the notice photo (if any) and register the notice, in one
    transaction — a refused notice leaves no orphan photo behind."""
    proof_id = None
    if proof_data is not None:
        proof_id = attachment_add(actor=actor, batch_id=batch_id, kind="notice_photo", filename=proof_name,
                                  data=proof_data).pk
    return notice_record(actor=actor, batch_id=batch_id, proof_id=proof_id, **notice)


@transaction.atomic
def objection_record(*, actor, batch_id: int, raised_by: str, content: str, item_id: int | None = None) -> Objection:
    batch = Batch.objects.select_for_update().get(pk=batch_id)
    _require(actor, {Role.TOWNSHIP_OPERATOR, Role.VILLAGE_CLERK}, batch, "登记异议")
    notice = batch.notices.order_by("-recorded_at", "-pk").first()  # the notice most recently put up
    if notice is None:
        raise RosterError("NOTICE_MISSING_FOR_OBJECTION")
    if not content.strip():
        raise invalid("OBJECTION_CONTENT_REQUIRED")
    if item_id is not None and not batch.items.filter(pk=item_id).exists():
        raise invalid("OBJECTION_ITEM_FOREIGN")
    obj = Objection.objects.create(notice=notice, raised_by=raised_by.strip()[:50] or "匿名", content=content.strip(),
                                   item_id=item_id)
    record(actor=actor, action="rosters.objection_record", obj=batch, after={"objection": obj.pk})
    return obj


@transaction.atomic
def objection_public_record(*, batch_id: int, raised_by: str, content: str, source_ref: str) -> Objection:
    """An objection of the public filed online while the batch's notice runs (no actor: the caller, disclosure's
    public objection page, audits the filing itself). `source_ref` is the tracking number the public follows it
    by; the objection blocks approval (guard objections_resolved) until that complaint is closed."""
    batch = Batch.objects.select_for_update().get(pk=batch_id)
    if batch.state != BatchState.NOTICE:
        raise RosterError("NOT_IN_NOTICE", batch=batch.code)
    notice = current_notices(batch).order_by("-recorded_at", "-pk").first()
    if notice is None:
        raise RosterError("NOTICE_MISSING_FOR_OBJECTION")
    if not (content or "").strip():
        raise invalid("OBJECTION_CONTENT_REQUIRED")
    if not (source_ref or "").strip():
        raise invalid("OBJECTION_SOURCE_REQUIRED")
    obj = Objection.objects.create(notice=notice, raised_by=(raised_by or "").strip()[:50] or "匿名",
                                   content=content.strip(), source_ref=source_ref.strip()[:30])
    BatchEvent.objects.create(batch=batch, action="record_objection", label="网上公示异议", actor=None,
                              reason=f"受理编号 {obj.source_ref}")
    return obj


@transaction.atomic
def objection_resolve(*, actor, objection_id: int, resolution: str, source_ref: str = "") -> Objection:
    """Resolve an objection. One filed online (source_ref set) is resolved only through its complaint: the
    caller names its tracking number (disclosure closing the complaint), else OBJECTION_VIA_COMPLAINT."""
    obj = Objection.objects.select_for_update().select_related("notice__batch").get(pk=objection_id)
    batch = obj.notice.batch
    _require(actor, {Role.TOWNSHIP_OPERATOR, Role.DEPT_REVIEWER, Role.DEPT_HEAD}, batch, "处理异议")
    if obj.resolved_at is not None:
        raise RosterError("OBJECTION_RESOLVED")
    if obj.source_ref and obj.source_ref != source_ref:
        raise RosterError("OBJECTION_VIA_COMPLAINT", number=obj.source_ref)
    if not resolution.strip():
        raise invalid("OBJECTION_RESOLUTION_REQUIRED")
    obj.resolution, obj.resolved_by, obj.resolved_at = resolution.strip(), actor, timezone.now()
    obj.save(update_fields=["resolution", "resolved_by", "resolved_at"])
    record(actor=actor, action="rosters.objection_resolve", obj=batch, after={"objection": obj.pk})
    return obj
