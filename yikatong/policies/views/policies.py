"""One policy: detail, add and edit in a draft catalogue, remove, basis documents."""
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from yikatong.core import uploads
from yikatong.web.actions import perform
from yikatong.web.permissions import Forbidden

from .. import permissions, selectors, services
from ..forms import BasisFileForm, PolicyForm
from ..models import PolicyBasis
from ..spec import PolicySpec, describe
from .common import form_errors, serve_file


def _department_of(user):
    """A department user edits only its own policies; finance picks any department."""
    org = user.organization
    return org if org is not None and org.kind == "line_department" else None


def policy_detail(request, pk: int):
    policy = get_object_or_404(selectors.policies_for(request.user), pk=pk)
    spec = PolicySpec.from_policy(policy)
    return render(request, "policies/policy_detail.html", {
        "policy": policy,
        "rows": describe(spec, department_name=policy.department.name),
        "basis": policy.basis_documents.all(),
        "can_edit": permissions.can_edit_draft(request.user, policy.catalogue, policy.department_id),
        "can_change": permissions.can_request_change(request.user, policy.catalogue, policy.department_id),
        "upload_form": BasisFileForm(),
    })


@require_http_methods(["GET", "POST"])
def policy_add(request, pk: int):
    catalogue = get_object_or_404(selectors.catalogues_for(request.user), pk=pk)
    if not permissions.can_edit_draft(request.user, catalogue):
        raise Forbidden()
    form = PolicyForm(request.POST or None, region_code=catalogue.region_id, department=_department_of(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            policy = services.policy_add(actor=request.user, catalogue=catalogue, spec=form.spec)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            return redirect("policy_detail", policy.pk)
    return render(request, "policies/policy_form.html", {"form": form, "catalogue": catalogue, "title": "添加补贴政策"})


@require_http_methods(["GET", "POST"])
def policy_edit(request, pk: int):
    policy = get_object_or_404(selectors.policies_for(request.user), pk=pk)
    catalogue = policy.catalogue
    if not permissions.can_edit_draft(request.user, catalogue, policy.department_id):
        raise Forbidden()
    initial = PolicyForm.initial_from(PolicySpec.from_policy(policy))
    form = PolicyForm(request.POST or None, initial=initial, region_code=catalogue.region_id,
                      department=_department_of(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(actor=request.user, policy=policy, spec=form.spec)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            return redirect("policy_detail", policy.pk)
    return render(request, "policies/policy_form.html",
                  {"form": form, "catalogue": catalogue, "policy": policy, "title": f"修改：{policy.name}"})


@require_POST
def policy_remove(request, pk: int):
    policy = get_object_or_404(selectors.policies_for(request.user), pk=pk)
    return perform(request, lambda: services.policy_remove(actor=request.user, policy=policy),
                   success=f"已从草稿清单中移除“{policy.name}”", then=reverse("policy_catalogue", args=[policy.catalogue_id]))


@require_POST
def basis_upload(request, pk: int):
    basis = get_object_or_404(PolicyBasis.objects.filter(policy__in=selectors.policies_for(request.user)), pk=pk)
    form = BasisFileForm(request.POST, request.FILES)
    if refused := uploads.refusal_of(request, "file", "policy"):
        uploads.flash(request, refused)
        return redirect("policy_detail", basis.policy_id)
    if not form.is_valid():
        return redirect("policy_detail", basis.policy_id)
    return perform(request, lambda: services.basis_file_attach(actor=request.user, basis=basis, file=form.cleaned_data["file"]),
                   success="政策文件已上传", then=reverse("policy_detail", args=[basis.policy_id]))


def basis_file(request, pk: int):
    basis = get_object_or_404(PolicyBasis.objects.filter(policy__in=selectors.policies_for(request.user)), pk=pk)
    return serve_file(basis.file)
