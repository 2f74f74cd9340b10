"""Quota pages: list, register, detail with balance and allocations, allocate, issue, cancel."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from yikatong.core.profiles import current_profile
from yikatong.policies.models import CatalogueState
from yikatong.policies.selectors import chain_codes, policies_for
from yikatong.policies.views.common import form_errors
from yikatong.web.actions import perform
from yikatong.web.permissions import Forbidden

from . import selectors, services
from .deadlines import deadline_rule
from .forms import AllocationForm, IssueForm, QuotaForm
from .models import FundAllocation
from .permissions import manages, reads


def quota_list(request):
    if not reads(request.user):
        raise Forbidden()
    quotas = selectors.quotas_for(request.user)
    year = request.GET.get("year", "")
    if year.isdigit():
        quotas = quotas.filter(year=int(year))
    totals = quotas.aggregate(received=Sum("received_fen"), allocated=Sum("allocated_fen"),
                              committed=Sum("committed_fen"), paid=Sum("paid_fen"))
    org = request.user.organization
    return render(request, "funds/quota_list.html", {
        "quotas": quotas[:300], "totals": totals, "year": year,
        "can_create": org is not None and manages(request.user, org.region_id),
        "overdue": [a for a in selectors.open_allocations_managed_by(request.user) if a.is_overdue],
    })


@require_http_methods(["GET", "POST"])
def quota_create(request):
    org = request.user.organization
    if org is None or not manages(request.user, org.region_id):
        raise Forbidden()
    policies = policies_for(request.user).filter(
        catalogue__region_id__in=chain_codes(org.region_id),
        catalogue__state__in=[CatalogueState.DRAFT, CatalogueState.SUBMITTED, CatalogueState.FILED, CatalogueState.PUBLISHED],
    ).order_by("-catalogue__year", "code")
    form = QuotaForm(request.POST or None, policies=policies)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            quota = services.quota_receive(
                actor=request.user, region=org.region, doc_number=d["doc_number"], title=d["title"],
                issuing_level=d["issuing_level"], issuer_name=d["issuer_name"], received_on=d["received_on"],
                policy=d["policy"], year=d["policy"].catalogue.year, amounts_fen=form.amounts_fen,
                direct_to_county=d["direct_to_county"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "指标已登记")
            return redirect("fund_quota", quota.pk)
    return render(request, "funds/quota_create.html", {"form": form})


def quota_detail(request, pk: int):
    quota = get_object_or_404(selectors.quotas_for(request.user), pk=pk)
    can_manage = manages(request.user, quota.region_id)
    return render(request, "funds/quota_detail.html", {
        "quota": quota, "allocations": selectors.allocations_for(quota), "can_manage": can_manage,
        "commitments": quota.commitments.all()[:100], "movements": quota.movements.select_related("actor")[:200],
        "form": AllocationForm(quota=quota) if can_manage else None, "issue_form": IssueForm(),
        "rule": deadline_rule(current_profile()),
    })


@require_http_methods(["GET", "POST"])
def allocate(request, pk: int):
    quota = get_object_or_404(selectors.quotas_for(request.user), pk=pk)
    if not manages(request.user, quota.region_id):
        raise Forbidden()
    form = AllocationForm(request.POST or None, quota=quota)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.allocation_create(actor=request.user, quota=quota, amount_fen=form.amount_fen, target_region=d["target_region"],
                              target_org=d["target_org"], deadline=d["deadline"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "已分配，请在期限内下达")
            return redirect("fund_quota", quota.pk)
    return render(request, "funds/allocate.html", {"form": form, "quota": quota, "rule": deadline_rule(current_profile())})


def _allocation(request, pk: int) -> FundAllocation:
    return get_object_or_404(FundAllocation.objects.filter(quota__in=selectors.quotas_for(request.user)), pk=pk)


@require_POST
def allocation_issue(request, pk: int):
    allocation = _allocation(request, pk)
    form = IssueForm(request.POST)
    back = reverse("fund_quota", args=[allocation.quota_id])
    if not form.is_valid():
        messages.error(request, "请填写下达文号")
        return redirect(back)
    return perform(request, lambda: services.allocation_issue(
        actor=request.user, allocation=allocation, doc_number=form.cleaned_data["doc_number"],
        issued_on=form.cleaned_data["issued_on"]), success="已下达", then=back)


@require_POST
def allocation_cancel(request, pk: int):
    allocation = _allocation(request, pk)
    return perform(request, lambda: services.allocation_cancel(
        actor=request.user, allocation=allocation, reason=request.POST.get("reason", "")),
        success="已撤销分配，金额退回指标余额", then=reverse("fund_quota", args=[allocation.quota_id]))
