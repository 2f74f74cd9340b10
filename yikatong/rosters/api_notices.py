"""JSON API of a batch's notices (公示), the objections raised against it and its attachments (on
rosters.api's router); each operation calls the service the batch page calls."""
import datetime

from django.shortcuts import get_object_or_404
from ninja import File, Form, Schema, Status, UploadedFile

from yikatong.core import uploads

from . import notices as notice_writes
from . import selectors, services
from .api import _batch, router


# --- notices (公示), objections, attachments -------------------------------------------------------

class NoticeOut(Schema):
    id: int
    level: str
    start: str
    end: str
    working_days: int
    place: str
    phone: str
    read_at_assembly: bool
    assembly_on: str | None = None
    assembly_place: str = ""
    assembly_attendees: int | None = None
    proof: int | None


def _notice_out(n) -> dict:
    return {"id": n.pk, "level": n.level, "start": n.start.isoformat(), "end": n.end.isoformat(),
            "working_days": n.working_days, "place": n.place, "phone": n.phone, "read_at_assembly": n.read_at_assembly,
            "assembly_on": n.assembly_on.isoformat() if n.assembly_on else None, "assembly_place": n.assembly_place,
            "assembly_attendees": n.assembly_attendees, "proof": n.proof_id}


@router.post("/batches/{batch_id}/notices", response={201: NoticeOut}, url_name="rosters_notice_record",
             summary="登记公示（multipart：level village/township、start YYYY-MM-DD、place、phone、可选 working_days、"
                     "read_at_assembly、群众大会宣读 assembly_on/assembly_place/assembly_attendees（三项同时填写）、"
                     "photo 公示照片）；批次不在公示阶段返回 409", operation_id="yikatong_rosters_api_notice_record")
def notice_record(request, batch_id: int, level: str = Form(...), start: datetime.date = Form(...),
                  place: str = Form(...), phone: str = Form(...), working_days: int | None = Form(None),
                  read_at_assembly: bool = Form(False), assembly_on: datetime.date | None = Form(None),
                  assembly_place: str = Form(""), assembly_attendees: int | None = Form(None),
                  photo: UploadedFile | None = File(None)):
    b = _batch(request, batch_id)
    n = notice_writes.notice_record_with_proof(
        actor=request.user, batch_id=b.pk, proof_name=photo.name if photo else "",
        proof_data=uploads.read(request, photo, "attachment") if photo else None, level=level, start=start,
        working_days=working_days, place=place, phone=phone, read_at_assembly=read_at_assembly,
        assembly_on=assembly_on, assembly_place=assembly_place, assembly_attendees=assembly_attendees)
    return Status(201, _notice_out(n))


class AssemblyIn(Schema):
    assembly_on: datetime.date
    assembly_place: str
    assembly_attendees: int


@router.post("/batches/{batch_id}/notices/{notice_id}/assembly",
             operation_id="yikatong_rosters_api_notice_assembly_record", response=NoticeOut,
             url_name="rosters_notice_assembly",
             summary="登记本轮公示在群众大会上的宣读情况（日期、地点、到会人数）；批次不在公示阶段返回 409")
def notice_assembly_record(request, batch_id: int, notice_id: int, payload: AssemblyIn):
    b = _batch(request, batch_id)
    n = notice_writes.notice_assembly_record(actor=request.user, batch_id=b.pk, notice_id=notice_id,
                                        assembly_on=payload.assembly_on, assembly_place=payload.assembly_place,
                                        assembly_attendees=payload.assembly_attendees)
    return _notice_out(n)


class PostPaymentNoticeIn(Schema):
    start: datetime.date
    place: str
    phone: str
    working_days: int | None = None


@router.post("/batches/{batch_id}/post-payment-notice", operation_id="yikatong_rosters_api_post_payment_notice_record",
             response={201: NoticeOut},
             url_name="rosters_post_payment_notice",
             summary="登记发放后公示（银行回盘后；不少于本地规定的工作日数）；批次尚未发放返回 409")
def post_payment_notice_record(request, batch_id: int, payload: PostPaymentNoticeIn):
    b = _batch(request, batch_id)
    n = notice_writes.post_payment_notice_record(actor=request.user, batch_id=b.pk, start=payload.start,
                                            place=payload.place, phone=payload.phone,
                                            working_days=payload.working_days)
    return Status(201, _notice_out(n))


class NoticesOut(Schema):
    notices: list[NoticeOut]
    objections: list["ObjectionOut"]


@router.get("/batches/{batch_id}/notices", response=NoticesOut, url_name="rosters_notices",
            summary="批次的公示登记及公示异议（含已处理的）", operation_id="yikatong_rosters_api_notices")
def notices(request, batch_id: int):
    from .models import Objection

    b = _batch(request, batch_id)
    return {"notices": [_notice_out(n) for n in b.notices.order_by("recorded_at", "pk")],
            "objections": [_objection_out(o) for o in
                           Objection.objects.filter(notice__batch=b).select_related("notice").order_by("recorded_at", "pk")]}


class ObjectionIn(Schema):
    raised_by: str = ""
    content: str = ""
    item: int | None = None  # the batch item's id the objection is about


class ObjectionOut(Schema):
    id: int
    batch: int
    notice: int
    raised_by: str
    content: str
    item: int | None
    resolution: str
    resolved: bool
    source_ref: str  # the tracking number of an objection filed online (resolved by closing that complaint)


def _objection_out(o) -> dict:
    return {"id": o.pk, "batch": o.notice.batch_id, "notice": o.notice_id, "raised_by": o.raised_by,
            "content": o.content, "item": o.item_id, "resolution": o.resolution, "resolved": o.resolved_at is not None,
            "source_ref": o.source_ref}


@router.post("/batches/{batch_id}/objections", response={201: ObjectionOut}, url_name="rosters_objection_record",
             summary="登记公示异议（反映人、反映内容、可选所指明细 id）", operation_id="yikatong_rosters_api_objection_record")
def objection_record(request, batch_id: int, payload: ObjectionIn):
    b = _batch(request, batch_id)
    o = notice_writes.objection_record(actor=request.user, batch_id=b.pk, raised_by=payload.raised_by,
                                  content=payload.content, item_id=payload.item)
    return Status(201, _objection_out(o))


class ResolveIn(Schema):
    resolution: str = ""


@router.post("/objections/{objection_id}/resolve", response=ObjectionOut, url_name="rosters_objection_resolve",
             summary="处理公示异议（须写处理结果）；已处理的返回 409", operation_id="yikatong_rosters_api_objection_resolve")
def objection_resolve(request, objection_id: int, payload: ResolveIn):
    from .models import Objection

    o = get_object_or_404(Objection.objects.filter(notice__batch__in=selectors.batches_for(request.user)),
                          pk=objection_id)
    o = notice_writes.objection_resolve(actor=request.user, objection_id=o.pk, resolution=payload.resolution)
    return _objection_out(o)


class AttachmentOut(Schema):
    id: int
    kind: str
    filename: str
    content_type: str
    size: int
    sha256: str


@router.post("/batches/{batch_id}/attachments", operation_id="yikatong_rosters_api_attachment_add",
             response={201: AttachmentOut}, url_name="rosters_attachment_add",
             summary="上传批次材料（multipart：kind notice_photo/summary/other、file PDF/JPG/PNG）")
def attachment_add(request, batch_id: int, kind: str = Form(...), file: UploadedFile = File(...)):
    from .attachment_policy import require_upload

    b = _batch(request, batch_id)
    require_upload(request.user, b, kind)  # the policy answers first, with its code, as on the page
    att = services.attachment_add(actor=request.user, batch_id=b.pk, kind=kind, filename=file.name or "附件",
                                  data=uploads.read(request, file, "attachment"))
    return Status(201, {"id": att.pk, "kind": att.kind, "filename": att.filename, "content_type": att.content_type,
                        "size": att.size, "sha256": att.sha256})


@router.get("/batches/{batch_id}/attachments", response=list[AttachmentOut], url_name="rosters_attachments",
            summary="批次材料列表", operation_id="yikatong_rosters_api_attachments")
def attachments(request, batch_id: int):
    b = _batch(request, batch_id)
    return [{"id": a.pk, "kind": a.kind, "filename": a.filename, "content_type": a.content_type, "size": a.size,
             "sha256": a.sha256} for a in b.attachments.defer("content_enc").order_by("pk")]


@router.get("/batches/{batch_id}/attachments/{attachment_id}", url_name="rosters_attachment_download",
            summary="下载批次材料（解密后的原文件）", operation_id="yikatong_rosters_api_attachment_download")
def attachment_download(request, batch_id: int, attachment_id: int):
    from yikatong.core.downloads import download_response

    b = _batch(request, batch_id)
    att = get_object_or_404(b.attachments.all(), pk=attachment_id)
    return download_response(att.data(), filename=att.filename, content_type=att.content_type)
