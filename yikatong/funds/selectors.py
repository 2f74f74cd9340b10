"""Reads of quotas, filtered by the actor's region subtree and role; plus what a batch may draw."""
from django.db.models import Q, QuerySet

from yikatong.accounts.scope import in_scope

from .models import AllocationState, FundAllocation, FundQuota
from .permissions import reads


def quotas_for(actor) -> QuerySet[FundQuota]:
    if not reads(actor):
        return FundQuota.objects.none()
    return in_scope(FundQuota.objects.select_related("region", "policy", "holder"), actor)


def allocations_for(quota: FundQuota) -> QuerySet[FundAllocation]:
    return quota.allocations.select_related("target_region", "target_org", "issued_by", "created_by", "child_quota")


def open_allocations_managed_by(actor) -> QuerySet[FundAllocation]:
    """Allocations still to be passed down from quotas of the actor's own region."""
    org = actor.organization if getattr(actor, "is_authenticated", False) else None
    if org is None:
        return FundAllocation.objects.none()
    return FundAllocation.objects.filter(quota__region_id=org.region_id, state=AllocationState.PLANNED).select_related(
        "quota", "quota__policy", "target_region", "target_org"
    )


def quotas_for_batch(batch) -> QuerySet[FundQuota]:
    """Quotas a batch may draw on: same policy code and year, received by the batch's region or a
    region above it down from the county, not held by another department."""
    from yikatong.policies.selectors import chain_codes
    from yikatong.policies.standard import period_year

    codes = chain_codes(batch.region_id)[2:]  # province and prefecture quotas are passed down, not drawn
    return FundQuota.objects.filter(
        policy_code=batch.policy.code, year=period_year(batch.period), region_id__in=codes,
    ).filter(Q(holder__isnull=True) | Q(holder_id=batch.department_id)).select_related("region")


def available_for_batch(batch) -> int:
    """Fen still available to a batch across its quotas."""
    return sum(q.balance_fen for q in quotas_for_batch(batch))
