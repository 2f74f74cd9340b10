"""Demo step: published policy catalogues of the current year for the demo county, its prefecture
and its province (25 real policies, one confidential), with the departments that own them.
Idempotent: a region that already has a catalogue for the year is left alone."""
import datetime

from django.db import transaction
from django.utils import timezone

from yikatong.accounts.models import Organization, OrgKind
from yikatong.audit.services import record
from yikatong.core.money import Money
from yikatong.regions.models import Region
from yikatong.regions.selectors import ancestors

from .demo_data import COUNTY, PREFECTURE, PROVINCE, DemoPolicy
from .models import CatalogueState, PolicyCatalogue
from .rows import create_from_spec
from .spec import BasisSpec, PolicySpec, TierSpec

DEPT_NAMES = {  # line -> (province, prefecture/county)
    "mz": ("民政厅", "民政局"), "nync": ("农业农村厅", "农业农村局"), "rs": ("人力资源和社会保障厅", "人力资源和社会保障局"),
    "wj": ("卫生健康委员会", "卫生健康委员会"), "cl": ("残疾人联合会", "残疾人联合会"), "tyjr": ("退役军人事务厅", "退役军人事务局"),
    "lc": ("林业和草原局", "林业和草原局"), "zj": ("住房和城乡建设厅", "住房和城乡建设局"),
}
CONTENT = {1: PROVINCE, 2: PREFECTURE, 3: COUNTY}


def short_code(region: Region) -> str:
    return region.prefix


def policy_code(region: Region, key: str) -> str:
    return f"{short_code(region)}-{key}"


def _org(code, name, kind, region, line: str = "") -> Organization:
    org, _ = Organization.objects.get_or_create(code=code, defaults={"name": name, "kind": kind, "region": region, "line": line})
    return org


def _upper_organizations(region: Region) -> None:
    """Finance bureau, government and line departments of a province or prefecture."""
    p = short_code(region)
    if region.level == 1:
        _org(f"{p}-CZT", f"{region.name}财政厅", OrgKind.FINANCE_BUREAU, region)
    else:
        _org(f"{p}-CZJ", f"{region.name}财政局", OrgKind.FINANCE_BUREAU, region)
        _org(f"{p}-ZF", f"{region.name}人民政府", OrgKind.TOWNSHIP, region)


def _department(region: Region, line: str) -> Organization:
    """The owning line department: the demo county's own ones (accounts/demo.py), created above it."""
    p = short_code(region)
    name = DEPT_NAMES[line][0 if region.level == 1 else 1]
    return _org(f"{p}-{line.upper()}", f"{region.name}{name}", OrgKind.LINE_DEPARTMENT, region, line)


def _spec(region: Region, d: DemoPolicy) -> PolicySpec:
    shares = [s * 100 for s in d.shares]
    return PolicySpec(
        code=policy_code(region, d.key), name=d.name, department_id=_department(region, d.line).pk, line=d.line,
        target_group=d.target, frequency=d.frequency, target_description=d.description, unit=d.unit,
        rate_fen=Money.parse(d.rate).fen if d.rate else None, tier_basis=d.tier_basis,
        tiers=tuple(TierSpec(t[0], t[1], Money.parse(t[2]).fen, *(t[3:5] if len(t) > 3 else ())) for t in d.tiers),
        standard_note=d.note, share_central_bp=shares[0], share_province_bp=shares[1], share_prefecture_bp=shares[2],
        share_county_bp=shares[3], disburser=d.disburser, confidential=d.confidential, means_tested=d.means_tested,
        exclusive_codes=tuple(policy_code(region, k) for k in d.exclusive), age_min=d.age_min, age_max=d.age_max,
        basis=tuple(BasisSpec(n, t, datetime.date.fromisoformat(day)) for n, t, day in d.basis),
    )


def _published_catalogue(region: Region, year: int, content) -> PolicyCatalogue:
    tz = timezone.get_current_timezone()
    catalogue = PolicyCatalogue.objects.create(
        region=region, year=year, state=CatalogueState.PUBLISHED,
        submitted_at=datetime.datetime(year - 1, 12, 10, 10, tzinfo=tz),
        filed_at=datetime.datetime(year - 1, 12, 18, 15, tzinfo=tz), published_on=datetime.date(year, 1, 15),
    )
    for d in content:
        create_from_spec(catalogue, _spec(region, d))
    return catalogue


def build(county_code: str, *, size: int = 0, stdout=None) -> dict:
    year = timezone.localdate().year
    with transaction.atomic():
        county = Region.objects.get(code=Region.full_code(county_code))
        created = {}
        for region in ancestors(county.code, include_self=True):
            content = CONTENT.get(region.level)
            if content is None:
                continue
            if region.level < 3:
                _upper_organizations(region)
            if PolicyCatalogue.objects.filter(region=region, year=year).exists():
                continue
            _published_catalogue(region, year, content)
            created[region.name] = len(content)
        if created:
            record(actor=None, action="demo.policies", obj=county, after={"year": year, "catalogues": created})
    if stdout is not None:
        if created:
            stdout.write(f"补贴政策清单：{year}年公布 " + "、".join(f"{k}{v}项" for k, v in created.items()))
        else:
            stdout.write(f"补贴政策清单：{year}年清单已存在，未改动")
    return created
