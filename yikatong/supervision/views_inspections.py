"""Inspection pages (抽查): the plan list with a new-plan form, the plan page with its sample table (draw,
start, close, redraw check), the result form with evidence upload. Thin: check the role, call one selector
or service, render. Inspectors: supervisors and finance reviewers, in their region."""
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yikatong.checks.evidence import MAX_FILES, Upload
from yikatong.core import uploads
from yikatong.core.downloads import download_response
from yikatong.web.actions import perform
from yikatong.web.permissions import requires

from . import inspection_results, inspection_selectors as sel, inspections
from .models_inspections import Method, Outcome, PlanState, Sampling


@requires(sel.may_inspect)
def plans(request):
    from yikatong.policies.models import Policy
    from yikatong.regions.models import Region

    state = request.GET.get("state", "").strip()
    prefix = request.user.scope_prefix or ""
    return render(request, "supervision/inspections.html", {
        "tab": "inspections", "plans": sel.plans_for(request.user, state=state)[:500], "state": state,
        "states": PlanState.choices, "methods": Method.choices, "samplings": Sampling.choices,
        "regions": Region.objects.filter(code__startswith=prefix, level__lte=4).order_by("code")[:300],
        "policies": Policy.objects.order_by("code")[:300],
    })


@requires(sel.may_inspect)  # the role first: who may not inspect is refused whatever the method
@require_POST
def plan_create(request):
    p = request.POST
    return perform(request, lambda: inspections.plan_create(
        actor=request.user, region_code=p.get("region", ""), period=p.get("period", ""),
        methods=p.getlist("methods"), sampling_kind=p.get("sampling", ""), sample_size=p.get("sample_size", ""),
        policy_id=int(p["policy"]) if p.get("policy", "").isdigit() else None, title=p.get("title", "")),
        success=lambda plan: f"已新建抽查计划 {plan.plan_no}",
        then=lambda plan: reverse("supervision_inspection", args=[plan.pk]) if plan else reverse("supervision_inspections"))


@requires(sel.may_inspect)
def plan_detail(request, pk: int):
    plan = get_object_or_404(sel.plans_for(request.user), pk=pk)
    check = inspections.redraw(plan) if request.GET.get("redraw") and plan.seed is not None else None
    return render(request, "supervision/inspection.html", {
        "tab": "inspections", "plan": plan, "samples": sel.samples_of(plan), "check": check,
    })


def _step(request, pk: int, call, success: str):
    plan = get_object_or_404(sel.plans_for(request.user), pk=pk)
    return perform(request, lambda: call(plan.pk), success=success,
                   then=reverse("supervision_inspection", args=[plan.pk]))


@requires(sel.may_inspect)  # the role first: who may not inspect is refused whatever the method
@require_POST
def plan_draw(request, pk: int):
    raw = request.POST.get("seed", "").strip()
    seed = int(raw) if raw.isdigit() and len(raw) <= 19 else (-1 if raw else None)
    return _step(request, pk, lambda pid: inspections.plan_draw(actor=request.user, plan_id=pid, seed=seed),
                 "已抽取样本")


@requires(sel.may_inspect)  # the role first: who may not inspect is refused whatever the method
@require_POST
def plan_start(request, pk: int):
    return _step(request, pk, lambda pid: inspections.plan_start(actor=request.user, plan_id=pid), "已开始核查")


@requires(sel.may_inspect)  # the role first: who may not inspect is refused whatever the method
@require_POST
def plan_close(request, pk: int):
    return _step(request, pk, lambda pid: inspections.plan_close(actor=request.user, plan_id=pid), "抽查已完成")


@requires(sel.may_inspect)
def result_record(request, pk: int):
    try:
        sample = sel.sample_for(request.user, pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    if request.method != "POST":
        return render(request, "supervision/inspection_result.html", {
            "tab": "inspections", "sample": sample, "plan": sample.plan, "outcomes": Outcome.choices,
            "methods": [(m, Method(m).label) for m in sample.plan.methods], "max_files": MAX_FILES})

    def call():
        uploads.refuse_oversized(request, "evidence", "evidence")
        files = [Upload(u.name, uploads.read(request, u, "evidence"))
                 for u in request.FILES.getlist("evidence")[:MAX_FILES + 1]]
        return inspection_results.result_record(
            actor=request.user, sample_id=sample.pk, method=request.POST.get("method", ""),
            outcome=request.POST.get("outcome", ""), notes=request.POST.get("notes", ""), evidence_files=files)

    def done(result):
        return "已登记核查结果" + (f"，已生成疑点 #{result.finding_id}" if result.finding_id else "")

    return perform(request, call, done, then=lambda r: reverse("supervision_inspection", args=[sample.plan_id])
                   if r else reverse("supervision_inspection_result", args=[sample.pk]))


@requires(sel.may_inspect)
def evidence(request, pk: int):
    try:
        ev, data = inspection_results.evidence_download(actor=request.user, evidence_id=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    return download_response(data, filename=ev.filename, content_type=ev.content_type)
