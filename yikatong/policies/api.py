"""JSON API of the policy catalogue. Every operation needs a session or token (NinjaAPI auth)."""
import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from . import public, selectors
from .spec import PolicySpec, standard_text

router = Router(tags=["补贴政策"])


class PolicyOut(Schema):
    id: int
    code: str
    name: str
    department: str
    target_group: str
    unit: str
    rate_fen: int | None
    tiers: list[dict]
    standard: str
    frequency: str
    means_tested: bool
    confidential: bool
    exclusive_codes: list[str]
    age_min: int | None
    age_max: int | None
    catalogue_region: str
    catalogue_version: int


class CatalogueOut(Schema):
    id: int
    region_code: str
    region_name: str
    year: int
    version: int
    state: str
    published_on: datetime.date | None


class CatalogueDetailOut(CatalogueOut):
    policies: list[PolicyOut]


def _policy(p) -> dict:
    return {
        "id": p.pk, "code": p.code, "name": p.name, "department": p.department.name, "target_group": p.target_group,
        "unit": p.unit, "rate_fen": p.rate_fen,
        "tiers": [{"key": t.key, "label": t.label, "rate_fen": t.rate_fen, "age_min": t.age_min, "age_max": t.age_max}
                  for t in p.tiers.all()],
        "standard": standard_text(PolicySpec.from_policy(p)), "frequency": p.frequency, "means_tested": p.means_tested,
        "confidential": p.confidential, "exclusive_codes": list(p.exclusive_codes), "age_min": p.age_min,
        "age_max": p.age_max, "catalogue_region": p.catalogue.region_id, "catalogue_version": p.catalogue.version,
    }


def _catalogue(c) -> dict:
    return {"id": c.pk, "region_code": c.region_id, "region_name": c.region.name, "year": c.year, "version": c.version,
            "state": c.state, "published_on": c.published_on}


@router.get("/catalogues", response=list[CatalogueOut], summary="可见的补贴政策清单")
def catalogues(request, year: int | None = None):
    qs = selectors.catalogues_for(request.user)
    if year:
        qs = qs.filter(year=year)
    return [_catalogue(c) for c in qs[:500]]


@router.get("/catalogues/{catalogue_id}", response=CatalogueDetailOut, summary="清单及其政策")
def catalogue(request, catalogue_id: int):
    c = get_object_or_404(selectors.catalogues_for(request.user), pk=catalogue_id)
    return {**_catalogue(c), "policies": [_policy(p) for p in selectors.catalogue_policies(c, request.user)]}


@router.get("/payable", response=list[PolicyOut], summary="某区划某年度可发放的补贴政策")
def payable(request, region: str, year: int):
    """Policies on the published catalogues of the region and above, limited to what the user may read."""
    visible = selectors.policies_for(request.user)
    qs = selectors.payable_policies(region, year).filter(pk__in=visible.values("pk")).prefetch_related("tiers")
    return [_policy(p) for p in qs]


@router.get("/published/{region_code}", response=list[PolicyOut], summary="公开的补贴政策清单（不含涉密）")
def published(request, region_code: str, year: int | None = None):
    region = public.find_region(region_code)
    if region is None:
        return []
    return [_policy(p) for p in public.public_policies(region.code, year or public.default_year())]
