"""Demo county: organizations of a real county and one user per role. Idempotent."""
from dataclasses import dataclass

from django.db import transaction

from yikatong.audit.services import record
from yikatong.regions.models import Region

from .models import Organization, OrgKind, RoleGrant, User
from .roles import Role

DEMO_PASSWORD = "yikatong2026"
SEED_COUNTIES = {"141024": "004", "652301": "000", "532301": "001", "210381": "002", "650121": "003"}
LINE_DEPARTMENTS = [
    ("mz", "民政局"),
    ("nync", "农业农村局"),
    ("rs", "人力资源和社会保障局"),
    ("wj", "卫生健康委员会"),
    ("cl", "残疾人联合会"),
    ("tyjr", "退役军人事务局"),
    ("lc", "林业和草原局"),
]
# Stations (站所) in every township: (code suffix, name, line department code)
STATIONS = [("mzb", "民政办", "mz"), ("nyz", "农业综合服务中心", "nync"), ("sbs", "社会保障所", "rs")]


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    full_name: str
    org_key: str


DEMO_USERS = [
    DemoUser("admin", Role.SYSADMIN, "系统管理员", "finance"),
    # the platform's own administrator: no organization, scope is the whole system (the nationwide
    # working-day calendar is theirs alone — core.holiday_access)
    DemoUser("pingtai", Role.SYSADMIN, "平台系统管理员", ""),
    DemoUser("czj_ks", Role.FINANCE_REVIEWER, "财政局业务科室", "finance"),
    DemoUser("guoku", Role.TREASURY, "国库科", "finance"),
    DemoUser("mz_shenhe", Role.DEPT_REVIEWER, "民政局审核员", "dept:mz"),
    DemoUser("mz_fzr", Role.DEPT_HEAD, "民政局负责人", "dept:mz"),
    DemoUser("czs", Role.TOWNSHIP_FINANCE, "乡镇财政所", "township_finance"),
    DemoUser("zhan", Role.TOWNSHIP_OPERATOR, "民政办经办员", "station:mzb"),
    DemoUser("xiangzhang", Role.TOWNSHIP_HEAD, "乡镇负责人", "township"),
    DemoUser("cun", Role.VILLAGE_CLERK, "村务经办", "village"),
    DemoUser("yinhang", Role.BANK, "代发银行经办", "bank"),
    DemoUser("shenji", Role.SUPERVISOR, "审计局", "audit"),
    DemoUser("gongkai", Role.DISCLOSURE_ADMIN, "政务公开办", "disclosure"),
]


def _org(code: str, name: str, kind: str, region: Region, parent=None, counter=None, line: str = "") -> Organization:
    org, created = Organization.objects.update_or_create(
        code=code, defaults={"name": name, "kind": kind, "region": region, "parent": parent, "line": line}
    )
    if counter is not None and created:
        counter["created"] += 1
    return org


@transaction.atomic
def build_demo_county(county_code: str, *, users_password: str = DEMO_PASSWORD) -> dict:
    """Create the county's organizations and demo users (skip what exists). One audit event."""
    county = Region.objects.get(code=Region.full_code(county_code))
    townships = list(county.children.order_by("code"))
    if not townships:
        raise ValueError(f"区划 {county_code} 没有乡镇数据，请先加载行政区划")
    counter = {"created": 0}
    c = county_code
    orgs = {
        "finance": _org(f"{c}-CZJ", f"{county.name}财政局", OrgKind.FINANCE_BUREAU, county, counter=counter),
        "bank": _org(f"{c}-BANK", f"{county.name}农村信用合作联社（代发）", OrgKind.AGENT_BANK, county, counter=counter),
        "audit": _org(f"{c}-SJJ", f"{county.name}审计局", OrgKind.SUPERVISION, county, counter=counter),
        "disclosure": _org(f"{c}-ZWGK", f"{county.name}政务公开办公室", OrgKind.DISCLOSURE, county, counter=counter),
    }
    for key, name in LINE_DEPARTMENTS:
        orgs[f"dept:{key}"] = _org(f"{c}-{key.upper()}", f"{county.name}{name}", OrgKind.LINE_DEPARTMENT, county,
                                   counter=counter, line=key)
    for i, town in enumerate(townships):
        gov = _org(f"{town.code[:9]}-ZF", f"{town.name}人民政府", OrgKind.TOWNSHIP, town, counter=counter)
        fin = _org(f"{town.code[:9]}-CZS", f"{town.name}财政所", OrgKind.TOWNSHIP_FINANCE, town, gov, counter=counter)
        stations = {
            key: _org(f"{town.code[:9]}-{key.upper()}", f"{town.name}{name}", OrgKind.TOWNSHIP_STATION, town,
                      orgs[f"dept:{dept}"], counter=counter)
            for key, name, dept in STATIONS
        }
        villages = list(town.children.order_by("code"))
        for v in villages:
            _org(v.code, v.name, OrgKind.VILLAGE, v, gov, counter=counter)
        if i == 0:
            orgs.update({"township": gov, "township_finance": fin, "village": Organization.objects.get(code=villages[0].code)})
            orgs.update({f"station:{k}": s for k, s in stations.items()})
    users_created = []
    for du in DEMO_USERS:
        user = User.objects.filter(username=du.username).first()
        if user is None:
            user = User(username=du.username, full_name=du.full_name,
                        organization=orgs[du.org_key] if du.org_key else None, is_superuser=not du.org_key)
            user.set_password(users_password)
            user.save()
            users_created.append(du.username)
        RoleGrant.objects.get_or_create(user=user, role=du.role)
    summary = {"county": county.code, "organizations_created": counter["created"], "users_created": users_created}
    if counter["created"] or users_created:
        record(actor=None, action="demo.build_county", obj=county, after=summary)
    return summary


def demo_logins() -> list[tuple[str, str, str]]:
    return [(du.username, Role(du.role).label, du.full_name) for du in DEMO_USERS]
