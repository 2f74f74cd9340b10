"""Change requests: list, the 调整变更申请表 form, detail with the approval chain, decisions."""
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from yikatong.core import uploads
from yikatong.web.actions import perform
from yikatong.web.permissions import Forbidden

from .. import permissions, selectors, services
from ..approvals import current_step, may_decide
from ..diff import compare_specs
from ..forms import ChangeRequestForm, DecisionForm, PolicyForm
from ..models import ChangeKind, ChangeState
from ..spec import PolicySpec
from .common import form_errors, serve_file


def change_list(request):
    changes = list(selectors.change_requests_for(request.user).prefetch_related("steps")[:200])
    for c in changes:
        c.step = current_step(c)
        c.mine = may_decide(request.user, c, c.step)
    waiting = [c for c in changes if c.mine]
    return render(request, "policies/change_list.html", {"changes": changes, "waiting": waiting})


@require_http_methods(["GET", "POST"])
def change_create(request, catalogue_pk: int):
    catalogue = get_object_or_404(selectors.catalogues_for(request.user), pk=catalogue_pk)
    if not permissions.can_request_change(request.user, catalogue):
        raise Forbidden()
    code = request.GET.get("code", "").strip()
    kind = request.POST.get("kind") or request.GET.get("kind") or ChangeKind.ADD
    target = catalogue.policies.filter(code=code).first() if code else None
    if target is not None and target.department_id != request.user.organization_id:
        raise Forbidden()
    initial = PolicyForm.initial_from(PolicySpec.from_policy(target)) if target else {}
    if request.method == "POST" and (refused := uploads.refusal_of(request, "attachment", "change")):
        uploads.flash(request, refused)
        return redirect(request.get_full_path())
    form = ChangeRequestForm(request.POST or None, request.FILES or None, initial={"kind": kind})
    policy_form = PolicyForm(request.POST or None, initial=initial, region_code=catalogue.region_id,
                             department=request.user.organization)
    if request.method == "POST" and form.is_valid():
        needs_spec = form.cleaned_data["kind"] != ChangeKind.RETIRE
        if not needs_spec or policy_form.is_valid():
            try:
                change = services.change_request_file(
                    actor=request.user, catalogue=catalogue, kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data["reason"], policy_code=code,
                    spec=policy_form.spec if needs_spec else None, attachment=form.cleaned_data["attachment"],
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                return redirect("policy_change", change.pk)
    return render(request, "policies/change_form.html",
                  {"form": form, "policy_form": policy_form, "catalogue": catalogue, "target": target, "kind": kind})


def change_detail(request, pk: int):
    change = get_object_or_404(selectors.change_requests_for(request.user).prefetch_related("steps"), pk=pk)
    old = change.catalogue.policies.filter(code=change.policy_code).first()
    if old is not None and old.confidential and not permissions.sees_confidential(request.user):
        raise Forbidden()
    old_spec = PolicySpec.from_policy(old) if old and change.kind != ChangeKind.ADD else None
    new_spec = PolicySpec.from_dict(change.proposed) if change.proposed else None
    step = current_step(change)
    return render(request, "policies/change_detail.html", {
        "change": change,
        "diff": compare_specs(old_spec, new_spec),
        "steps": change.steps.select_related("decided_by", "organization"),
        "step": step,
        "can_decide": may_decide(request.user, change, step),
        "form": DecisionForm(),
        "pending": change.state == ChangeState.PENDING,
    })


@require_POST
def change_decide(request, pk: int):
    change = get_object_or_404(selectors.change_requests_for(request.user), pk=pk)
    approve = request.POST.get("decision") == "approve"
    return perform(
        request,
        lambda: services.change_request_decide(actor=request.user, request=change, approve=approve,
                                            comment=request.POST.get("comment", "")),
        success="已同意" if approve else "已驳回申请",
        then=reverse("policy_change", args=[pk]),
    )


def change_attachment(request, pk: int):
    change = get_object_or_404(selectors.change_requests_for(request.user), pk=pk)
    return serve_file(change.attachment)
