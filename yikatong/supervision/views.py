"""Supervision pages (监督检查): findings statistics, trends, clues and their follow-up. Thin:
check the role, call one selector or service, render. Readers: supervisors and finance."""
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yikatong.accounts.roles import Role
from yikatong.core.downloads import XLSX, download_response, export_response
from yikatong.checks.models import FindingState, Rule, Severity
from yikatong.web.actions import perform
from yikatong.web.permissions import Forbidden, requires, requires_roles

from . import exports, selectors, services
from .models import ClueSource, ClueState, Conclusion, Measure

def _download(data: bytes, name: str, content_type: str = XLSX) -> HttpResponse:
    return export_response(data, filename=name, content_type=content_type)


def _year(request) -> str:
    y = request.GET.get("year", "").strip()
    return y if y.isdigit() and len(y) == 4 else ""


def _by(request) -> str:
    by = request.GET.get("by", "rule")
    return by if by in selectors.DIMENSIONS else "rule"


@requires(selectors.may_read)
def findings(request):
    by, year = _by(request), _year(request)
    return render(request, "supervision/findings.html", {
        "by": by, "year": year, "dimensions": {k: v[0] for k, v in selectors.DIMENSIONS.items()},
        "rows": selectors.findings_by(request.user, by, year=year), "states": FindingState.choices,
        "severities": Severity.choices,
    })


@requires(selectors.may_read)
def findings_export(request):
    by, year = _by(request), _year(request)
    return _download(exports.findings_xlsx(request.user, by, year=year),
                     f"疑点统计-按{selectors.DIMENSIONS[by][0]}{year}.xlsx")


@requires(selectors.may_read)
def trends(request):
    year = _year(request)
    rows = selectors.trends(request.user, year=year)
    peak = max([max(r["raised"], r["disposed"]) for r in rows] or [1])
    return render(request, "supervision/trends.html", {"rows": rows, "year": year, "peak": peak})


@requires(selectors.may_read)
def trends_export(request):
    year = _year(request)
    return _download(exports.trends_xlsx(request.user, year=year), f"疑点趋势{year}.xlsx")


def _clue_filters(request) -> dict:
    return {k: request.GET.get(k, "").strip() for k in ("state", "rule", "township", "q", "source")}


@requires(selectors.may_read)
def clues(request):
    f = _clue_filters(request)
    return render(request, "supervision/clues.html", {
        "f": f, "clues": selectors.clues_for(request.user, **f)[:500], "states": ClueState.choices,
        "rules": Rule.objects.order_by("code"), "sources": ClueSource.choices,
    })


@requires(selectors.may_read)
def clues_export(request):
    return _download(exports.clues_xlsx(request.user, **_clue_filters(request)), "移送线索清单.xlsx")


@requires(selectors.may_read)
def clue_detail(request, pk: int):
    clue = get_object_or_404(selectors.clues_for(request.user), pk=pk)
    return render(request, "supervision/clue.html", {
        "clue": clue, "entries": clue.entries.select_related("actor"),
        "evidence": clue.finding.evidence_items.select_related("uploaded_by") if clue.finding_id else [],
        "may_follow": request.user.has_role(*services.FOLLOW_UP_ROLES), "conclusions": Conclusion.choices,
        # accountability: the recoveries attached and the sanctions recorded (supervision.recovery)
        "recoveries": clue.recoveries.all(), "sanctions": clue.sanctions.all(), "measures": Measure.choices,
        "today": timezone.localdate().isoformat(),
    })


def _follow(request, pk: int, call, success: str):
    if not selectors.may_read(request.user):
        raise Forbidden()
    clue = get_object_or_404(selectors.clues_for(request.user), pk=pk)
    return perform(request, lambda: call(clue.pk), success=success, then=reverse("supervision_clue", args=[clue.pk]))


@require_POST
def clue_start(request, pk: int):
    return _follow(request, pk, lambda cid: services.investigation_start(
        actor=request.user, clue_id=cid, text=request.POST.get("text", "")), "已开始核查")


@require_POST
def clue_note(request, pk: int):
    return _follow(request, pk, lambda cid: services.investigation_note_add(
        actor=request.user, clue_id=cid, text=request.POST.get("text", "")), "已添加跟进记录")


@require_POST
def clue_conclude(request, pk: int):
    return _follow(request, pk, lambda cid: services.investigation_conclude(
        actor=request.user, clue_id=cid, conclusion=request.POST.get("conclusion", ""),
        text=request.POST.get("text", "")), "线索已办结")


@requires_roles(Role.SUPERVISOR)
def casefile(request, pk: int):
    clue = get_object_or_404(selectors.clues_for(request.user), pk=pk)
    name, data = services.case_file_download(actor=request.user, clue_id=clue.pk)
    return _download(data, name, "application/zip")


@requires_roles(Role.SUPERVISOR)
def evidence(request, pk: int):
    try:
        item, data = services.evidence_download(actor=request.user, evidence_id=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    return download_response(data, filename=item.filename, content_type=item.content_type)
