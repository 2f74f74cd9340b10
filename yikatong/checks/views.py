"""Findings workbench (疑点工作台): filter by rule, severity, state, batch; dispose one finding."""
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from yikatong.core import uploads
from yikatong.web.actions import perform

from . import evidence, selectors, services
from .evidence import Upload
from .models import FindingState, Rule, Severity


def findings(request):
    f = {k: request.GET.get(k, "").strip() for k in ("rule", "severity", "state", "batch")}
    if "state" not in request.GET:
        f["state"] = FindingState.OPEN
    batch_id = int(f["batch"]) if f["batch"].isdigit() else None
    qs = selectors.findings_for(request.user, rule=f["rule"], severity=f["severity"], state=f["state"],
                                batch_id=batch_id)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "checks/findings.html", {
        "f": f, "page": page, "rules": Rule.objects.order_by("code"), "severities": Severity.choices,
        "states": FindingState.choices, "may_dispose": request.user.has_role(*services.DISPOSE_ROLES),
        "may_review": request.user.has_role(*services.CONFIRM_CLEAR_ROLES),
    })


@require_POST
def finding_dispose(request, finding_id: int):
    finding = get_object_or_404(selectors.findings_for(request.user), pk=finding_id)

    def call():
        uploads.refuse_oversized(request, "evidence", "evidence")
        files = [Upload(u.name, uploads.read(request, u, "evidence"))
                 for u in request.FILES.getlist("evidence")[:evidence.MAX_FILES + 1]]
        return services.finding_dispose(actor=request.user, finding_id=finding.pk, decision=request.POST.get("decision", ""),
                                reason=request.POST.get("reason", ""),
                                evidence_text=request.POST.get("evidence_text", ""), evidence_files=files)

    def done(out):
        clue = f"，线索编号 {out.case_no}" if out.case_no else ""
        return f"疑点已{out.get_state_display()}{clue}{('：' + out.outcome) if out.outcome else ''}"

    return perform(request, call, done, _back(request), flash_denied=True)


def _back(request) -> str:
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return reverse("checks_findings")


@require_POST
def finding_review(request, finding_id: int):
    """四眼 second step: a head of the owning department confirms or rejects a proposed clearing."""
    finding = get_object_or_404(selectors.findings_for(request.user), pk=finding_id)
    confirm = request.POST.get("decision", "") == "confirm"
    call = services.finding_clear_confirm if confirm else services.finding_clear_reject
    return perform(request, lambda: call(actor=request.user, finding_id=finding.pk, note=request.POST.get("note", "")),
                   lambda out: f"疑点{out.outcome}", _back(request), flash_denied=True)
