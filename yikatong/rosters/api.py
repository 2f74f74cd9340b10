"""JSON API of the disbursement batches (mounted at /api/rosters/). Authentication by the NinjaAPI
(session or bearer token); every operation calls the service the batch pages call, so role, scope
(rosters.scope), refusals and audit are the same. Errors are JSON {"code", "message"}: a batch the
caller does not see is 404; a transition refused for role or scope 403, for the batch's state or a
guard 409 (the engine's code)."""

from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, Status, UploadedFile

from yikatong.core import uploads

from . import flows, selectors, services, transitions
from .card_check import CardProblem, batch_card_problems
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
    from yikatong.regions.selectors import region_or_refuse

    region = region_or_refuse(payload.region)
    policy = selectors.payable_policy(payload.policy, region=region, period=payload.period)  # else POLICY_UNKNOWN
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


# --- the social-security-card check of a batch's payees ---------------------------------------------

@router.get("/batches/{batch_id}/cards", response=list[CardProblem], url_name="rosters_batch_cards",
            summary="发放前社保卡核查：本批次中社保卡未激活、冻结、挂失或销户的人员（账号、证件号码已隐藏）")
def batch_cards(request, batch_id: int):
    return batch_card_problems(_batch(request, batch_id))  # the check's dataclass is the response schema


# the other operations, on this router: a batch's items, import results and exports; its notices,
# objections and attachments
from . import api_items, api_notices  # noqa: E402,F401
