"""JSON API of supervision (mounted at /api/supervision/): the findings statistics and trends, the
clues transferred to supervision and their follow-up, the audited case file and evidence downloads.
Each operation calls the selector or service the supervision pages call: readers are supervisors and
finance (403 SUPERVISION_READ_ROLE), a clue outside the caller's scope is 404, follow-up is the
supervisor's (403 CLUE_FOLLOW_UP_ROLE), a step the clue's state does not allow is 409."""
import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from yikatong.core.downloads import download_response, export_response
from yikatong.core.refusals import Forbidden

from . import errors  # noqa: F401  (registers the refusal messages)
from . import selectors, services

router = Router(tags=["监督检查"])


def _reader(request) -> None:
    if not selectors.may_read(request.user):
        raise Forbidden("SUPERVISION_READ_ROLE")


class FindingStatOut(Schema):
    key: str | None
    label: str | None
    total: int
    amount_fen: int
    states: dict[str, int]
    severities: dict[str, int]


@router.get("/findings", response=list[FindingStatOut], url_name="supervision_findings_api",
            summary="疑点统计：按 rule 规则 / township 乡镇 / policy 补贴项目 分组的各状态、级别数量及涉及金额")
def findings(request, by: str = "rule", year: str = ""):
    from yikatong.checks.models import FindingState, Severity

    _reader(request)
    by = by if by in selectors.DIMENSIONS else "rule"
    year = year if year.isdigit() and len(year) == 4 else ""
    return [{"key": r["key"], "label": r["label"], "total": r["total"], "amount_fen": r["amount_fen"],
             "states": dict(zip(FindingState.values, r["states"])),
             "severities": dict(zip(Severity.values, r["severities"]))}
            for r in selectors.findings_by(request.user, by, year=year)]


class TrendOut(Schema):
    month: str
    raised: int
    disposed: int


@router.get("/trends", response=list[TrendOut], url_name="supervision_trends_api",
            summary="疑点趋势：每月新发现与已处置的疑点数")
def trends(request, year: str = ""):
    _reader(request)
    return selectors.trends(request.user, year=year if year.isdigit() and len(year) == 4 else "")


class EntryOut(Schema):
    kind: str
    text: str
    actor: str
    at: datetime.datetime


class EvidenceOut(Schema):
    id: int
    filename: str


class ClueOut(Schema):
    id: int
    case_no: str
    state: str
    region: str
    source: str  # finding 比对疑点 / complaint 投诉举报
    source_ref: str  # a complaint's tracking number
    subject: str  # a complaint's subject line
    finding: int | None
    rule: str | None
    batch: int | None
    reason: str
    transferred_at: datetime.datetime
    conclusion: str
    conclusion_text: str


class ClueDetailOut(ClueOut):
    entries: list[EntryOut]
    evidence: list[EvidenceOut]


def _clue(c) -> dict:
    f = c.finding
    return {"id": c.pk, "case_no": c.case_no, "state": c.state, "region": c.region_id, "source": c.source,
            "source_ref": c.source_ref, "subject": c.subject, "finding": c.finding_id,
            "rule": f.rule.code if f else None, "batch": f.batch_id if f else None, "reason": c.reason,
            "transferred_at": c.transferred_at, "conclusion": c.conclusion, "conclusion_text": c.conclusion_text}


def _detail(c) -> dict:
    return {**_clue(c),
            "entries": [{"kind": e.kind, "text": e.text, "actor": e.actor.username, "at": e.at}
                        for e in c.entries.select_related("actor")],
            "evidence": [{"id": e.pk, "filename": e.filename}
                         for e in c.finding.evidence_items.exclude(filename="").order_by("pk")] if c.finding_id else []}


@router.get("/clues", response=list[ClueOut], url_name="supervision_clues_api",
            summary="移送线索（本辖区；可按状态、规则、来源 finding/complaint、乡镇、编号或受理编号筛选）")
def clues(request, state: str = "", rule: str = "", township: str = "", q: str = "", source: str = ""):
    _reader(request)
    qs = selectors.clues_for(request.user, state=state, rule=rule, township=township, q=q, source=source)
    return [_clue(c) for c in qs.select_related("finding__rule")[:500]]


def _clue_or_404(request, clue_id: int):
    _reader(request)
    return get_object_or_404(selectors.clues_for(request.user), pk=clue_id)


@router.get("/clues/{clue_id}", response=ClueDetailOut, url_name="supervision_clue_api",
            summary="线索详情：跟进记录、处置依据文件")
def clue(request, clue_id: int):
    return _detail(_clue_or_404(request, clue_id))


class TextIn(Schema):
    text: str = ""


class ConcludeIn(Schema):
    conclusion: str  # substantiated 属实 / unsubstantiated 不属实
    text: str = ""


@router.post("/clues/{clue_id}/start", response=ClueDetailOut, url_name="supervision_clue_start_api",
             summary="开始核查（已移送 → 核查中）")
def clue_start(request, clue_id: int, payload: TextIn):
    c = _clue_or_404(request, clue_id)
    return _detail(services.investigation_start(actor=request.user, clue_id=c.pk, text=payload.text))


@router.post("/clues/{clue_id}/note", response=ClueDetailOut, url_name="supervision_clue_note_api",
             summary="添加跟进记录")
def clue_note(request, clue_id: int, payload: TextIn):
    c = _clue_or_404(request, clue_id)
    return _detail(services.investigation_note_add(actor=request.user, clue_id=c.pk, text=payload.text))


@router.post("/clues/{clue_id}/conclude", response=ClueDetailOut, url_name="supervision_clue_conclude_api",
             summary="办结（核查中 → 已办结，结论属实/不属实并说明）")
def clue_conclude(request, clue_id: int, payload: ConcludeIn):
    c = _clue_or_404(request, clue_id)
    return _detail(services.investigation_conclude(actor=request.user, clue_id=c.pk, conclusion=payload.conclusion,
                                                   text=payload.text))




@router.get("/clues/{clue_id}/casefile", url_name="supervision_casefile_api",
            summary="下载线索案卷（zip：案卷.xlsx 及依据文件；记入审计）")
def casefile(request, clue_id: int):
    c = _clue_or_404(request, clue_id)
    name, data = services.case_file_download(actor=request.user, clue_id=c.pk)
    return export_response(data, filename=name, content_type="application/zip")


@router.get("/evidence/{evidence_id}", url_name="supervision_evidence_api",
            summary="下载一份处置依据文件（监管人员，本辖区；记入审计）")
def evidence(request, evidence_id: int):
    try:
        item, data = services.evidence_download(actor=request.user, evidence_id=evidence_id)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    return download_response(data, filename=item.filename, content_type=item.content_type)


from . import api_inspections  # noqa: E402,F401  (registers the inspection operations on this router)
from . import recovery_api  # noqa: E402,F401  (accountability operations on this router: 追回/问责)
