"""Catalogue list, detail, creation, transitions and the version diff page."""
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from yikatong.web.actions import perform
from yikatong.web.permissions import Forbidden
from .. import permissions, selectors, services, transitions
from ..diff import compare_catalogues
from ..forms import CatalogueCreateForm
from ..models import CatalogueState
from .common import form_errors


def catalogue_list(request):
    catalogues = selectors.catalogues_for(request.user).exclude(state=CatalogueState.SUPERSEDED).annotate(
        n_policies=Count("policies", filter=None if permissions.sees_confidential(request.user)
                         else Q(policies__confidential=False))
    ).order_by("-year", "region_id")
    region = permissions.actor_region(request.user)
    can_create = region is not None and region.level <= 3 and permissions.is_finance_of(request.user, region.code)
    return render(request, "policies/catalogue_list.html", {"catalogues": catalogues, "can_create": can_create})


@require_http_methods(["GET", "POST"])
def catalogue_create(request):
    region = permissions.actor_region(request.user)
    if region is None or not permissions.is_finance_of(request.user, region.code):
        raise Forbidden()
    form = CatalogueCreateForm(request.POST or None, initial={"year": timezone.localdate().year + 1})
    if request.method == "POST" and form.is_valid():
        try:
            catalogue = services.catalogue_create(actor=request.user, region=region, year=form.cleaned_data["year"],
                                                  copy_from_last_year=form.cleaned_data["copy_from_last_year"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            return redirect("policy_catalogue", catalogue.pk)
    return render(request, "policies/catalogue_create.html", {"form": form, "region": region})


def catalogue_detail(request, pk: int):
    catalogue = get_object_or_404(selectors.catalogues_for(request.user), pk=pk)
    policies = list(selectors.catalogue_policies(catalogue, request.user))
    user = request.user
    for p in policies:
        p.can_edit = permissions.can_edit_draft(user, catalogue, p.department_id)
        p.can_change = permissions.can_request_change(user, catalogue, p.department_id)
    return render(request, "policies/catalogue_detail.html", {
        "catalogue": catalogue,
        "policies": policies,
        "transitions": transitions.available_to(user, catalogue),
        "can_add": permissions.can_edit_draft(user, catalogue),
        "can_request": permissions.can_request_change(user, catalogue),
        "versions": selectors.versions_of(catalogue),
        "changes": selectors.change_requests_for(user).filter(region_id=catalogue.region_id, year=catalogue.year)[:50],
        "flow": transitions.TRANSITIONS,
    })


@require_POST
def catalogue_transition(request, pk: int, action: str):
    catalogue = get_object_or_404(selectors.catalogues_for(request.user), pk=pk)
    tr = transitions.find(catalogue.state, action)
    return perform(
        request,
        lambda: services.catalogue_transition(actor=request.user, catalogue=catalogue, action=action,
                                              reason=request.POST.get("reason", "")),
        success=f"已{tr.label}" if tr else "已办理",
        then=reverse("policy_catalogue", args=[pk]),
    )


def catalogue_diff(request, pk: int):
    """Two versions side by side: this one and `?base=<pk>` (default: the version before it)."""
    new = get_object_or_404(selectors.catalogues_for(request.user), pk=pk)
    versions = selectors.versions_of(new)
    base_pk = request.GET.get("base")
    if base_pk and base_pk.isdigit():
        old = get_object_or_404(versions, pk=int(base_pk))
    else:
        old = new.previous or versions.filter(version__lt=new.version).last()
    diffs = []
    if old is not None:
        diffs = compare_catalogues(selectors.catalogue_policies(old, request.user),
                                   selectors.catalogue_policies(new, request.user))
    show_all = request.GET.get("all") == "1"
    return render(request, "policies/catalogue_diff.html", {
        "old": old, "new": new, "versions": versions, "show_all": show_all,
        "diffs": diffs if show_all else [d for d in diffs if d.status != "same"],
        "unchanged": sum(1 for d in diffs if d.status == "same"),
    })
