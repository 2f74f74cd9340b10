"""Reads for the public policy pages (no login): only published, never confidential (涉密)."""
from django.db.models import QuerySet
from django.utils import timezone

from yikatong.regions.models import Region

from .choices import FUND_SOURCES, Frequency, TargetGroup, Unit
from .models import CatalogueState, Policy, PolicyCatalogue
from .selectors import payable_policies
from .spec import PolicySpec, describe, percent, standard_text

HIDDEN_ROWS = {"涉密", "统一代码"}


def find_region(code: str) -> Region | None:
    code = (code or "").strip()
    if not code.isdigit() or len(code) not in (2, 4, 6, 9, 12):
        return None
    return Region.objects.filter(code=Region.full_code(code), level__lte=4).first()


def regions_with_catalogues(year: int) -> QuerySet[Region]:
    codes = PolicyCatalogue.objects.filter(year=year, state=CatalogueState.PUBLISHED).values("region_id")
    return Region.objects.filter(code__in=codes).order_by("code")


def default_year() -> int:
    return timezone.localdate().year


def public_policies(region_code: str, year: int, *, department: str = "", target: str = "") -> QuerySet[Policy]:
    qs = payable_policies(region_code, year).filter(confidential=False).prefetch_related("tiers", "basis_documents")
    if department:
        qs = qs.filter(department__name=department)
    if target in TargetGroup.values:
        qs = qs.filter(target_group=target)
    return qs


def public_policy(region_code: str, year: int, code: str) -> Policy | None:
    return public_policies(region_code, year).filter(code=code).first()


def public_rows(policy: Policy) -> list[tuple[str, str]]:
    spec = PolicySpec.from_policy(policy)
    return [(k, v) for k, v in describe(spec, department_name=policy.department.name) if k not in HIDDEN_ROWS and v]


def departments(policies) -> list[str]:
    return sorted({p.department.name for p in policies})


EXPORT_HEADERS = ["序号", "统一代码", "政策名称", "主管部门", "补贴对象", "补贴标准", "计量单位", "发放频次",
                  "资金来源", "发放载体", "政策依据", "公布层级"]


def export_rows(policies) -> list[list]:
    rows = []
    for n, p in enumerate(policies, 1):
        spec = PolicySpec.from_policy(p)
        shares = "、".join(f"{label}{percent(getattr(p, name))}%" for name, label in FUND_SOURCES if getattr(p, name))
        rows.append([
            n, p.code, p.name, p.department.name, p.target_description or p.get_target_group_display(),
            standard_text(spec), Unit(p.unit).label, Frequency(p.frequency).label, shares, p.get_carrier_display(),
            "；".join(f"{b.title}（{b.number}）" for b in p.basis_documents.all()), p.catalogue.region.name,
        ])
    return rows
