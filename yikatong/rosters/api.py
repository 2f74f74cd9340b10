"""JSON API of the disbursement batches (mounted at /api/rosters/). Authentication by the NinjaAPI
(session or bearer token); every operation calls the service the batch pages call, so role, scope
(rosters.scope), refusals and audit are the same. Errors are JSON {"code", "message"}: a batch the
caller does not see is 404; a transition refused for role or scope 403, for the batch's state or a
guard 409 (the engine's code)."""
import datetime

from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, Status, UploadedFile

from yikatong.core import uploads
from yikatong.core.refusals import invalid

from . import flows, selectors, services, transitions
from .models import ImportMode

router = Router(tags=["发放批次"])


class BatchIn(Schema):
    policy: str  # policy code on the published catalogue of the region
    period: str  # 2026-11 (monthly), 2026Q4 (quarterly), 2026 (yearly), as the policy's cycle needs
    region: str  # 12-digit township code (or the county for department-disbursed policies)


class BatchCreated(Schema):
    id: int
    state: str


class JobStarted(Schema):
    job: int


class CountsOut(Schema):
    items: int
    amount_fen: int
    removed: int
    import_errors: int
    import_warnings: int


class ImportProblemOut(Schema):
    row: int | None  # the row number in the uploaded file (0 or None: the file as a whole)
    column: str
    value: str
    level: str
    code: str
    message: str


class ImportOut(Schema):
    id: int
    filename: str
    processed: bool
    imported: bool
    rows: int
    accepted: int
    message: str
    job: int | None


class BatchSummaryOut(Schema):
    id: int
    code: str
    policy: str
    policy_name: str
    period: str
    region: str
    state: str
    state_label: str
    items: int
    amount_fen: int


class BatchOut(BatchSummaryOut):
    kind: str
    version: int
    due_date: str | None
    counts: CountsOut
    last_import: ImportOut | None
    import_errors: list[ImportProblemOut]
    transitions: list[str]


class TransitionIn(Schema):
    reason: str = ""


class StateOut(Schema):
    id: int
    state: str
    state_label: str


def _summary(b) -> dict:
    return {"id": b.pk, "code": b.code, "policy": b.policy.code, "policy_name": b.policy.name, "period": b.period,
            "region": b.region_id, "state": b.state, "state_label": flows.state_label(b.state),
            "items": b.item_count, "amount_fen": b.total_fen}


def _batch(request, batch_id: int):
    """The batch if the caller sees it (rosters.scope), else 404 — another county's batch is not named."""
    return get_object_or_404(selectors.batches_for(request.user), pk=batch_id)


@router.post("/batches", response={201: BatchCreated}, url_name="rosters_batch_create",
             summary="新建发放批次（政策代码、发放期间、乡镇区划代码）")
def batch_create(request, payload: BatchIn):
    from yikatong.policies.selectors import current_version
    from yikatong.policies.standard import period_year
    from yikatong.regions.selectors import region_or_refuse

    region = region_or_refuse(payload.region)
    year = period_year(payload.period)
    policy = current_version(payload.policy.strip(), region_code=region.code, year=year)
    if policy is None:
        raise invalid("POLICY_UNKNOWN", policy=payload.policy, year=year)
    batch = services.batch_create(actor=request.user, policy=policy, period=payload.period.strip(), region=region)
    return Status(201, {"id": batch.pk, "state": batch.state})


@router.get("/batches", response=list[BatchSummaryOut], url_name="rosters_batches",
            summary="本人可见的发放批次（可按政策、期间、区划、状态筛选）")
def batches(request, policy: str = "", period: str = "", region: str = "", state: str = ""):
    qs = selectors.filtered(request.user, policy=policy, period=period, region=region, state=state)
    return [_summary(b) for b in qs.order_by("-created_at", "-pk")[:500]]


@router.get("/batches/{batch_id}", response=BatchOut, url_name="rosters_batch",
            summary="批次详情：状态、人数金额、最近一次导入的错误（行号，证件号隐藏）、本人现在可执行的流转")
def batch(request, batch_id: int):
    b = _batch(request, batch_id)
    run = b.imports.order_by("-created_at", "-pk").first()
    # masked for everyone here (actor None): API answers end up in scripts and logs
    problems = selectors.import_problems_for(None, run) if run is not None and run.processed_at else []
    removed = b.items.filter(status="removed").count()
    return {
        **_summary(b), "kind": b.kind, "version": b.version,
        "due_date": b.due_date.isoformat() if b.due_date else None,
        "counts": {"items": b.item_count, "amount_fen": b.total_fen, "removed": removed,
                   "import_errors": sum(p.get("level") == "error" for p in problems),
                   "import_warnings": sum(p.get("level") == "warning" for p in problems)},
        "last_import": None if run is None else {
            "id": run.pk, "filename": run.filename, "processed": run.processed_at is not None,
            "imported": run.imported, "rows": run.rows, "accepted": run.accepted, "message": run.message,
            "job": run.job_id},
        "import_errors": [{"row": p.get("line"), "column": p.get("column", ""), "value": str(p.get("value", "")),
                           "level": p.get("level", "error"), "code": p.get("code", ""),
                           "message": p.get("message", "")} for p in problems[:2000]],
        "transitions": [tr.action for tr in transitions.actions_for(request.user, b)],
    }


@router.post("/batches/{batch_id}/roster", response={202: JobStarted}, url_name="rosters_batch_roster",
             summary="上传清册（multipart 字段 file；可选 mode、confirm_standard），后台校验导入，返回任务号")
def roster_upload(request, batch_id: int, file: UploadedFile = File(...),
                  mode: str = Form(ImportMode.ALL_OR_NOTHING), confirm_standard: bool = Form(False)):
    b = _batch(request, batch_id)
    run = services.roster_import_start(actor=request.user, batch_id=b.pk, data=uploads.read(request, file, "roster"),
                                filename=file.name or "roster.xlsx", mode=mode, confirm_standard=confirm_standard)
    return Status(202, {"job": run.job_id})


@router.post("/batches/{batch_id}/transitions/{name}", response=StateOut, url_name="rosters_batch_transition",
             summary="执行流转（名称见批次详情的 transitions）；状态不允许或条件不满足返回 409")
def batch_transition(request, batch_id: int, name: str, payload: TransitionIn):
    b = _batch(request, batch_id)
    # a refusal answers as the engine classed it: 403 who may act, 400 no reason, 409 state or guard
    b = transitions.batch_transition(actor=request.user, batch_id=b.pk, action=name, reason=payload.reason)
    return {"id": b.pk, "state": b.state, "state_label": flows.state_label(b.state)}


# --- items of a batch (明细) -------------------------------------------------------------------------

class ItemOut(Schema):
    id: int
    seq: int
    row: int | None  # the row number in the uploaded roster file (None: entered by hand)
    name: str
    id_masked: str
    village: str | None
    account_masked: str
    account_holder: str
    bank_name: str
    amount_fen: int
    status: str
    removed_reason: str


class ItemPage(Schema):
    count: int
    offset: int
    limit: int
    items: list[ItemOut]


def _item_out(i) -> dict:
    return {"id": i.pk, "seq": i.seq, "row": i.source_row, "name": i.name, "id_masked": i.id_masked,
            "village": i.village_id, "account_masked": i.account_masked, "account_holder": i.account_holder,
            "bank_name": i.bank_name, "amount_fen": i.amount_fen, "status": i.status,
            "removed_reason": i.removed_reason}


def _item(request, item_id: int):
    """An item of a batch the caller sees, else 404."""
    from .models import BatchItem

    return get_object_or_404(BatchItem.objects.filter(batch__in=selectors.batches_for(request.user)), pk=item_id)


def _yuan(fen: int | None) -> str:
    if fen is None:
        return ""
    return f"{'-' if fen < 0 else ''}{abs(fen) // 100}.{abs(fen) % 100:02d}"


@router.get("/batches/{batch_id}/items", response=ItemPage, url_name="rosters_batch_items",
            summary="批次明细（证件号码、账号已隐藏；行号为上传文件中的行号），分页：offset、limit（最多 1000）")
def items(request, batch_id: int, offset: int = 0, limit: int = 200, status: str = ""):
    b = _batch(request, batch_id)
    qs = b.items.all() if not status else b.items.filter(status=status)
    offset, limit = max(offset, 0), min(max(limit, 1), 1000)
    return {"count": qs.count(), "offset": offset, "limit": limit,
            "items": [_item_out(i) for i in qs.order_by("seq")[offset:offset + limit]]}


class ItemIn(Schema):
    """One row as the roster template has it (the same checks as an imported row)."""
    name: str
    id_number: str
    village: str = ""  # 村(社区) name as in the roster
    phone: str = ""
    account: str
    quantity: str = ""
    amount_fen: int | None = None  # empty: the policy's standard
    memo: str = ""


@router.post("/batches/{batch_id}/items", response={201: ItemOut}, url_name="rosters_item_add",
             summary="录入一条明细（草稿批次；与导入的行同样校验）")
def item_add(request, batch_id: int, payload: ItemIn):
    b = _batch(request, batch_id)
    values = {"姓名": payload.name, "身份证号码": payload.id_number, "村(社区)": payload.village,
              "联系电话": payload.phone, "银行账号": payload.account, "补贴数量": payload.quantity,
              "发放金额(元)": _yuan(payload.amount_fen), "备注": payload.memo}
    item = services.item_add(actor=request.user, batch_id=b.pk, values=values)
    return Status(201, _item_out(item))


class ItemEditIn(Schema):
    account: str = ""
    account_holder: str = ""
    bank_name: str = ""
    amount_fen: int | None = None
    reason: str = ""


@router.post("/items/{item_id}", response=ItemOut, url_name="rosters_item_edit",
             summary="更正明细：银行账号、账户户名、开户银行、发放金额（须写原因；草稿批次）")
def item_edit(request, item_id: int, payload: ItemEditIn):
    item = _item(request, item_id)
    values = {"银行账号": payload.account, "账户户名": payload.account_holder, "开户银行": payload.bank_name,
              "发放金额(元)": _yuan(payload.amount_fen)}
    item = services.item_edit(actor=request.user, batch_id=item.batch_id, item_id=item.pk, values=values,
                              reason=payload.reason)
    return _item_out(item)


class ReasonIn(Schema):
    reason: str = ""


@router.post("/items/{item_id}/remove", response=ItemOut, url_name="rosters_item_remove",
             summary="剔除明细（须写原因；草稿批次）")
def item_remove(request, item_id: int, payload: ReasonIn):
    item = _item(request, item_id)
    services.item_remove(actor=request.user, batch_id=item.batch_id, item_id=item.pk, reason=payload.reason)
    item.refresh_from_db()
    return _item_out(item)


# --- imports ----------------------------------------------------------------------------------------

class ImportRunOut(ImportOut):
    batch: int
    problems: list[ImportProblemOut]


@router.get("/imports/{run_id}", response=ImportRunOut, url_name="rosters_import",
            summary="一次清册导入的结果及校验问题（行号；上传人以外的人看到的证件号码、账号、电话已隐藏）")
def import_result(request, run_id: int, level: str = ""):
    from .models import ImportRun

    run = get_object_or_404(ImportRun.objects.filter(batch__in=selectors.batches_for(request.user)), pk=run_id)
    problems = selectors.import_problems_for(request.user, run) if run.processed_at else []
    return {"id": run.pk, "batch": run.batch_id, "filename": run.filename, "processed": run.processed_at is not None,
            "imported": run.imported, "rows": run.rows, "accepted": run.accepted, "message": run.message,
            "job": run.job_id,
            "problems": [{"row": p.get("line"), "column": p.get("column", ""), "value": str(p.get("value", "")),
                          "level": p.get("level", "error"), "code": p.get("code", ""),
                          "message": p.get("message", "")}
                         for p in problems if not level or p.get("level") == level][:5000]}


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
                     "photo 公示照片）；批次不在公示阶段返回 409")
def notice_record(request, batch_id: int, level: str = Form(...), start: datetime.date = Form(...),
                  place: str = Form(...), phone: str = Form(...), working_days: int | None = Form(None),
                  read_at_assembly: bool = Form(False), assembly_on: datetime.date | None = Form(None),
                  assembly_place: str = Form(""), assembly_attendees: int | None = Form(None),
                  photo: UploadedFile | None = File(None)):
    b = _batch(request, batch_id)
    n = services.notice_record_with_proof(
        actor=request.user, batch_id=b.pk, proof_name=photo.name if photo else "",
        proof_data=uploads.read(request, photo, "attachment") if photo else None, level=level, start=start,
        working_days=working_days, place=place, phone=phone, read_at_assembly=read_at_assembly,
        assembly_on=assembly_on, assembly_place=assembly_place, assembly_attendees=assembly_attendees)
    return Status(201, _notice_out(n))


class AssemblyIn(Schema):
    assembly_on: datetime.date
    assembly_place: str
    assembly_attendees: int


@router.post("/batches/{batch_id}/notices/{notice_id}/assembly", response=NoticeOut,
             url_name="rosters_notice_assembly",
             summary="登记本轮公示在群众大会上的宣读情况（日期、地点、到会人数）；批次不在公示阶段返回 409")
def notice_assembly_record(request, batch_id: int, notice_id: int, payload: AssemblyIn):
    b = _batch(request, batch_id)
    n = services.notice_assembly_record(actor=request.user, batch_id=b.pk, notice_id=notice_id,
                                        assembly_on=payload.assembly_on, assembly_place=payload.assembly_place,
                                        assembly_attendees=payload.assembly_attendees)
    return _notice_out(n)


class PostPaymentNoticeIn(Schema):
    start: datetime.date
    place: str
    phone: str
    working_days: int | None = None


@router.post("/batches/{batch_id}/post-payment-notice", response={201: NoticeOut},
             url_name="rosters_post_payment_notice",
             summary="登记发放后公示（银行回盘后；不少于本地规定的工作日数）；批次尚未发放返回 409")
def post_payment_notice_record(request, batch_id: int, payload: PostPaymentNoticeIn):
    b = _batch(request, batch_id)
    n = services.post_payment_notice_record(actor=request.user, batch_id=b.pk, start=payload.start,
                                            place=payload.place, phone=payload.phone,
                                            working_days=payload.working_days)
    return Status(201, _notice_out(n))


class NoticesOut(Schema):
    notices: list[NoticeOut]
    objections: list["ObjectionOut"]


@router.get("/batches/{batch_id}/notices", response=NoticesOut, url_name="rosters_notices",
            summary="批次的公示登记及公示异议（含已处理的）")
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


def _objection_out(o) -> dict:
    return {"id": o.pk, "batch": o.notice.batch_id, "notice": o.notice_id, "raised_by": o.raised_by,
            "content": o.content, "item": o.item_id, "resolution": o.resolution, "resolved": o.resolved_at is not None}


@router.post("/batches/{batch_id}/objections", response={201: ObjectionOut}, url_name="rosters_objection_record",
             summary="登记公示异议（反映人、反映内容、可选所指明细 id）")
def objection_record(request, batch_id: int, payload: ObjectionIn):
    b = _batch(request, batch_id)
    o = services.objection_record(actor=request.user, batch_id=b.pk, raised_by=payload.raised_by,
                                  content=payload.content, item_id=payload.item)
    return Status(201, _objection_out(o))


class ResolveIn(Schema):
    resolution: str = ""


@router.post("/objections/{objection_id}/resolve", response=ObjectionOut, url_name="rosters_objection_resolve",
             summary="处理公示异议（须写处理结果）；已处理的返回 409")
def objection_resolve(request, objection_id: int, payload: ResolveIn):
    from .models import Objection

    o = get_object_or_404(Objection.objects.filter(notice__batch__in=selectors.batches_for(request.user)),
                          pk=objection_id)
    o = services.objection_resolve(actor=request.user, objection_id=o.pk, resolution=payload.resolution)
    return _objection_out(o)


class AttachmentOut(Schema):
    id: int
    kind: str
    filename: str
    content_type: str
    size: int
    sha256: str


@router.post("/batches/{batch_id}/attachments", response={201: AttachmentOut}, url_name="rosters_attachment_add",
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
            summary="批次材料列表")
def attachments(request, batch_id: int):
    b = _batch(request, batch_id)
    return [{"id": a.pk, "kind": a.kind, "filename": a.filename, "content_type": a.content_type, "size": a.size,
             "sha256": a.sha256} for a in b.attachments.defer("content_enc").order_by("pk")]


@router.get("/batches/{batch_id}/attachments/{attachment_id}", url_name="rosters_attachment_download",
            summary="下载批次材料（解密后的原文件）")
def attachment_download(request, batch_id: int, attachment_id: int):
    from yikatong.core.downloads import download_response

    b = _batch(request, batch_id)
    att = get_object_or_404(b.attachments.all(), pk=attachment_id)
    return download_response(att.data(), filename=att.filename, content_type=att.content_type)


# --- exports ----------------------------------------------------------------------------------------

def _xlsx(data: bytes, name: str):
    from yikatong.core.downloads import export_response

    return export_response(data, filename=name)


@router.get("/batches/{batch_id}/roster.xlsx", url_name="rosters_batch_roster_xlsx",
            summary="下载发放清册（xlsx；导出留痕）")
def roster_xlsx(request, batch_id: int):
    from yikatong.audit.services import record_export

    from . import exports

    b = _batch(request, batch_id)
    data = exports.roster_xlsx(b)
    record_export(actor=request.user, what="roster_xlsx", obj=b, rows=b.items.filter(status="active").count())
    return _xlsx(data, f"{exports.title_of(b, '发放清册')}.xlsx")


@router.get("/batches/{batch_id}/template.xlsx", url_name="rosters_batch_template",
            summary="下载本批次的清册模板（xlsx）")
def template_xlsx(request, batch_id: int):
    from . import exports

    b = _batch(request, batch_id)
    return _xlsx(exports.template_xlsx(b), f"{exports.title_of(b, '发放清册模板')}.xlsx")


@router.get("/batches/{batch_id}/summary.xlsx", url_name="rosters_batch_summary_xlsx",
            summary="下载发放汇总表（xlsx）")
def summary_xlsx(request, batch_id: int):
    from . import exports

    b = _batch(request, batch_id)
    return _xlsx(exports.summary_xlsx(b), f"{exports.title_of(b, '汇总表')}.xlsx")


# --- the deployment's local profile ------------------------------------------------------------------

class TransitionRowOut(Schema):
    source: str
    action: str
    label: str
    target: str
    roles: list[str]
    guards: list[str]


class ProfileOut(Schema):
    code: str
    params: dict
    transitions: list[TransitionRowOut]


@router.get("/profile", response=ProfileOut, url_name="rosters_profile",
            summary="本地流程配置（YKT_PROFILE）：参数及批次流转表")
def profile(request):
    from dataclasses import fields

    from yikatong.core.profiles import current_profile

    p = current_profile()
    params = {}
    for f in fields(p):
        if f.name == "change_request_chain":
            continue
        value = getattr(p, f.name)
        params[f.name] = list(value) if isinstance(value, (tuple, frozenset, set)) else (
            value if isinstance(value, (str, int, float, bool, type(None), dict, list)) else str(value))
    return {"code": p.code, "params": params,
            "transitions": [{"source": t.source, "action": t.action, "label": t.label, "target": t.target,
                             "roles": sorted(t.roles), "guards": list(t.guards)} for t in flows.transitions_for(p)]}


class CardProblemOut(Schema):
    seq: int
    item_ref: str
    name: str
    masked_id: str
    village: str
    bank: str
    masked_account: str
    person_id: int
    status: str
    status_label: str
    source: str
    since: datetime.date | None


@router.get("/batches/{batch_id}/cards", response=list[CardProblemOut], url_name="rosters_batch_cards",
            summary="发放前社保卡核查：本批次中社保卡未激活、冻结、挂失或销户的人员（账号、证件号码已隐藏）")
def batch_cards(request, batch_id: int):
    from .card_check import batch_card_problems

    return [p.__dict__ for p in batch_card_problems(_batch(request, batch_id))]
