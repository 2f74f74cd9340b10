"""JSON API of inspections (抽查), on the supervision router (/api/supervision/inspections…): each operation calls
the service or selector the inspection pages call. Inspectors are supervisors and finance reviewers (403
INSPECTION_ROLE); a plan or sample outside the caller's region is 404; a step the plan's state does not allow
is 409."""
import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import File, Form, Schema, UploadedFile

from yikatong.core import uploads
from yikatong.core.downloads import download_response
from yikatong.core.refusals import Forbidden

from . import inspection_results, inspection_selectors as sel, inspections
from .api import router


def _inspector(request) -> None:
    if not sel.may_inspect(request.user):
        raise Forbidden("INSPECTION_ROLE")


class ResultOut(Schema):
    method: str
    outcome: str  # pass 相符 / fail 不相符 / unreachable 联系不上
    notes: str
    finding: int | None  # the finding a failed check opened
    recorded_by: str
    recorded_at: datetime.datetime
    evidence: list[dict]


class SampleOut(Schema):
    id: int
    rank: int
    item: int
    batch: str
    person: str  # masked name and ID number
    weight: float
    reasons: list[str]
    result: ResultOut | None


class PlanOut(Schema):
    id: int
    plan_no: str
    title: str
    region: str
    policy: str | None
    period: str
    periods: list[str]
    methods: list[str]
    sampling: str
    sample_size: int
    seed: str | None  # a 63-bit integer, as text
    population: int
    population_digest: str
    state: str
    scheduled: bool


class PlanDetailOut(PlanOut):
    samples: list[SampleOut]


def _plan(p) -> dict:
    return {"id": p.pk, "plan_no": p.plan_no, "title": p.title, "region": p.region_id,
            "policy": p.policy.code if p.policy_id else None, "period": p.period, "periods": p.periods,
            "methods": p.methods, "sampling": p.sampling, "sample_size": p.sample_size,
            "seed": None if p.seed is None else str(p.seed), "population": p.population,
            "population_digest": p.population_digest, "state": p.state, "scheduled": bool(p.schedule_key)}


def _result(r) -> dict | None:
    if r is None:
        return None
    return {"method": r.method, "outcome": r.outcome, "notes": r.notes, "finding": r.finding_id,
            "recorded_by": r.recorded_by.username, "recorded_at": r.recorded_at,
            "evidence": [{"id": e.pk, "filename": e.filename, "size": e.size} for e in r.evidence.all()]}


def _detail(p) -> dict:
    samples = []
    for s in sel.samples_of(p):
        r = getattr(s, "result", None)  # RelatedObjectDoesNotExist is an AttributeError: None when unrecorded
        samples.append({"id": s.pk, "rank": s.rank, "item": s.item_id, "batch": s.item.batch.code,
                        "person": s.person_masked, "weight": s.weight, "reasons": s.reasons, "result": _result(r)})
    return {**_plan(p), "samples": samples}


def _plan_or_404(request, plan_id: int):
    _inspector(request)
    return get_object_or_404(sel.plans_for(request.user), pk=plan_id)


@router.get("/inspections", response=list[PlanOut], url_name="supervision_inspections_api",
            summary="抽查计划（本辖区；可按状态筛选）")
def plans(request, state: str = ""):
    _inspector(request)
    return [_plan(p) for p in sel.plans_for(request.user, state=state)[:500]]


class PlanIn(Schema):
    region: str  # 12-digit region code within the caller's scope
    period: str  # 2026-11, 2026Q3 or 2026
    methods: list[str]  # phone / visit / documents
    sampling: str  # simple_random / risk_weighted
    sample_size: int
    policy: int | None = None
    title: str = ""


@router.post("/inspections", response=PlanOut, url_name="supervision_inspection_create_api",
             summary="新建抽查计划（草稿）")
def plan_create(request, payload: PlanIn):
    _inspector(request)
    return _plan(inspections.plan_create(
        actor=request.user, region_code=payload.region, period=payload.period, methods=payload.methods,
        sampling_kind=payload.sampling, sample_size=payload.sample_size, policy_id=payload.policy,
        title=payload.title))


@router.get("/inspections/{plan_id}", response=PlanDetailOut, url_name="supervision_inspection_api",
            summary="抽查计划详情：样本及核查结果")
def plan(request, plan_id: int):
    return _detail(_plan_or_404(request, plan_id))


class DrawIn(Schema):
    seed: int | None = None  # empty: a fresh random seed, recorded


@router.post("/inspections/{plan_id}/draw", response=PlanDetailOut, url_name="supervision_inspection_draw_api",
             summary="抽取样本（草稿 → 已抽取；随机种子记入计划）")
def plan_draw(request, plan_id: int, payload: DrawIn):
    p = _plan_or_404(request, plan_id)
    return _detail(inspections.plan_draw(actor=request.user, plan_id=p.pk, seed=payload.seed))


@router.post("/inspections/{plan_id}/start", response=PlanOut, url_name="supervision_inspection_start_api",
             summary="开始核查（已抽取 → 核查中）")
def plan_start(request, plan_id: int):
    p = _plan_or_404(request, plan_id)
    return _plan(inspections.plan_start(actor=request.user, plan_id=p.pk))


@router.post("/inspections/{plan_id}/close", response=PlanOut, url_name="supervision_inspection_close_api",
             summary="完成抽查（核查中 → 已完成；每个样本须已登记结果）")
def plan_close(request, plan_id: int):
    p = _plan_or_404(request, plan_id)
    return _plan(inspections.plan_close(actor=request.user, plan_id=p.pk))


class RedrawOut(Schema):
    seed: str
    population_now: int
    population_same: bool
    sample_same: bool
    stored: list[int]
    recomputed: list[int]


@router.get("/inspections/{plan_id}/redraw", response=RedrawOut, url_name="supervision_inspection_redraw_api",
            summary="复核抽样：按记录的随机种子和样本量重新抽取并与已抽样本比对")
def plan_redraw(request, plan_id: int):
    r = inspections.redraw(_plan_or_404(request, plan_id))
    return {**r.__dict__, "seed": str(r.seed)}


@router.post("/inspections/samples/{sample_id}/result", response=ResultOut,
             url_name="supervision_inspection_result_api",
             summary="登记核查结果（multipart：method、outcome、notes、evidence 文件；不相符时生成疑点）")
def result_record(request, sample_id: int, method: str = Form(...), outcome: str = Form(...),
                  notes: str = Form(""), evidence: list[UploadedFile] = File(None)):
    from yikatong.checks.evidence import MAX_FILES, Upload

    _inspector(request)
    try:
        sample = sel.sample_for(request.user, sample_id)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    files = [Upload(u.name, uploads.read(request, u, "evidence")) for u in (evidence or [])[:MAX_FILES + 1]]
    r = inspection_results.result_record(actor=request.user, sample_id=sample.pk, method=method, outcome=outcome,
                                         notes=notes, evidence_files=files)
    return _result(r)


@router.get("/inspections/evidence/{evidence_id}", url_name="supervision_inspection_evidence_api",
            summary="下载一份抽查证据文件（本辖区；记入审计）")
def evidence(request, evidence_id: int):
    _inspector(request)
    try:
        ev, data = inspection_results.evidence_download(actor=request.user, evidence_id=evidence_id)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    return download_response(data, filename=ev.filename, content_type=ev.content_type)
