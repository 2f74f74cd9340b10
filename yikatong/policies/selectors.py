"""Reads of catalogues, policies and change requests, filtered by the actor's region and role.

A user sees the catalogues of their own region, of every region above it (the province list
applies to every county) and of every region below it. Confidential policies are hidden from
roles that publish or pay (see permissions.CONFIDENTIAL_READERS).
"""
from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from yikatong.regions.models import LEVEL_PREFIX_LEN, Region

from .models import CatalogueState, ChangeState, Policy, PolicyCatalogue, PolicyChangeRequest
from .permissions import actor_region, sees_confidential


def chain_codes(region_code: str) -> list[str]:
    """12-digit codes of the region and every region above it (province first)."""
    full = Region.full_code(region_code)
    region = Region.objects.filter(code=full).only("code", "level").first()
    if region is None:
        return []
    return [full[:LEVEL_PREFIX_LEN[level]].ljust(12, "0") for level in range(1, region.level + 1)]


def _region_q(actor, field: str = "region") -> Q | None:
    """Regions the actor may read: own chain upwards plus own subtree. None: everything."""
    if actor is not None and actor.is_authenticated and actor.is_superuser and not actor.organization_id:
        return None
    region = actor_region(actor)
    if region is None:
        return Q(pk__in=[])
    return Q(**{f"{field}_id__in": chain_codes(region.code)}) | Q(**{f"{field}__code__startswith": region.prefix})


def catalogues_for(actor) -> QuerySet[PolicyCatalogue]:
    q = _region_q(actor)
    qs = PolicyCatalogue.objects.select_related("region")
    return qs if q is None else qs.filter(q)


def policies_for(actor) -> QuerySet[Policy]:
    q = _region_q(actor, "catalogue__region")
    qs = Policy.objects.select_related("catalogue", "catalogue__region", "department")
    qs = qs if q is None else qs.filter(q)
    return qs if sees_confidential(actor) else qs.filter(confidential=False)


def change_requests_for(actor) -> QuerySet[PolicyChangeRequest]:
    q = _region_q(actor)
    qs = PolicyChangeRequest.objects.select_related("region", "applicant", "created_by", "catalogue")
    qs = qs if q is None else qs.filter(q)
    if sees_confidential(actor):
        return qs
    secret = Policy.objects.filter(catalogue=OuterRef("catalogue"), code=OuterRef("policy_code"), confidential=True)
    return qs.exclude(proposed__confidential=True).exclude(Exists(secret))


def versions_of(catalogue: PolicyCatalogue) -> QuerySet[PolicyCatalogue]:
    return PolicyCatalogue.objects.filter(region_id=catalogue.region_id, year=catalogue.year).order_by("version")


def catalogue_policies(catalogue: PolicyCatalogue, actor) -> QuerySet[Policy]:
    qs = catalogue.policies.select_related("department").prefetch_related("tiers", "basis_documents")
    return qs if sees_confidential(actor) else qs.filter(confidential=False)


# ---- payable policies: reference data for rosters and payments (no actor) -------------


def published_catalogues(region_code: str, year: int) -> QuerySet[PolicyCatalogue]:
    """The currently published catalogues of the region and every region above it for the year."""
    return PolicyCatalogue.objects.filter(region_id__in=chain_codes(region_code), year=year, state=CatalogueState.PUBLISHED)


def effective_catalogues(region_code: str, on_date: datetime.date) -> QuerySet[PolicyCatalogue]:
    """The catalogue versions in force on `on_date` (published by then, not yet superseded)."""
    return PolicyCatalogue.objects.filter(
        region_id__in=chain_codes(region_code), year=on_date.year, published_on__lte=on_date,
        state__in=(CatalogueState.PUBLISHED, CatalogueState.SUPERSEDED),
    ).filter(Q(superseded_on__isnull=True) | Q(superseded_on__gt=on_date))


def payable_policies(region_code: str, year: int) -> QuerySet[Policy]:
    """Policies that may be paid in this region for this year (including confidential ones)."""
    return Policy.objects.filter(catalogue__in=published_catalogues(region_code, year)).select_related(
        "catalogue", "catalogue__region", "department"
    ).order_by("code")


def current_version(policy_or_code, *, region_code: str, year: int) -> Policy | None:
    """The row of this policy on the currently published catalogues (its standard may have changed)."""
    code = policy_or_code if isinstance(policy_or_code, str) else policy_or_code.code
    return payable_policies(region_code, year).filter(code=code).first()


def policy_usable(policy_or_code, *, region_code: str, on_date: datetime.date | None = None) -> bool:
    """True if the policy is on a catalogue version of the region (or above) in force on `on_date`."""
    on_date = on_date or timezone.localdate()
    code = policy_or_code if isinstance(policy_or_code, str) else policy_or_code.code
    return Policy.objects.filter(catalogue__in=effective_catalogues(region_code, on_date), code=code).exists()


def pending_change_for(region_code: str, year: int, code: str) -> PolicyChangeRequest | None:
    return PolicyChangeRequest.objects.filter(
        region_id=region_code, year=year, policy_code=code, state=ChangeState.PENDING
    ).first()


def code_taken_in_chain(code: str, region_code: str, year: int) -> bool:
    """Is the code used on a published catalogue above this region for the year?"""
    return payable_policies(region_code, year).filter(code=code).exclude(catalogue__region_id=region_code).exists()
