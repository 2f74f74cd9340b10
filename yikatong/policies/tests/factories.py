"""Test data: a small administrative world: finance bureaus and line departments at province, prefecture
and county, with one user per role that the catalogue and change flows need."""
import functools
from dataclasses import dataclass, field

from yikatong.accounts.models import Organization, OrgKind, RoleGrant, User
from yikatong.accounts.roles import Role
from yikatong.policies import services
from yikatong.policies.choices import Frequency, Line, TargetGroup, Unit
from yikatong.policies.spec import BasisSpec, PolicySpec, TierSpec

from conftest import PASSWORD


@functools.cache
def _password_hash() -> str:
    """Hash PASSWORD once: Argon2 is deliberately slow and a world has a dozen users."""
    from django.contrib.auth.hashers import make_password

    return make_password(PASSWORD)


@dataclass
class World:
    regions: dict
    orgs: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)

    def org(self, key, name, kind, region_key, parent=None):
        org = Organization.objects.create(
            name=name, kind=kind, region=self.regions[region_key], code=f"W-{key}", parent=parent
        )
        self.orgs[key] = org
        return org

    def user(self, username, org_key, *roles):
        user = User(username=username, full_name=username, organization=self.orgs[org_key], password=_password_hash())
        user.save()
        RoleGrant.objects.bulk_create([RoleGrant(user=user, role=r) for r in roles])
        self.users[username] = user
        return user


def build_world(regions) -> World:
    w = World(regions)
    w.org("prov_czt", "山西省财政厅", OrgKind.FINANCE_BUREAU, "province")
    w.org("prov_mz", "山西省民政厅", OrgKind.LINE_DEPARTMENT, "province")
    w.org("city_czj", "临汾市财政局", OrgKind.FINANCE_BUREAU, "city")
    w.org("city_gov", "临汾市人民政府", OrgKind.TOWNSHIP, "city")
    w.org("city_mz", "临汾市民政局", OrgKind.LINE_DEPARTMENT, "city", parent=w.orgs["prov_mz"])
    w.org("czj", "洪洞县财政局", OrgKind.FINANCE_BUREAU, "county")
    w.org("mz", "洪洞县民政局", OrgKind.LINE_DEPARTMENT, "county", parent=w.orgs["city_mz"])
    w.org("nync", "洪洞县农业农村局", OrgKind.LINE_DEPARTMENT, "county")
    w.org("other_czj", "榆次区财政局", OrgKind.FINANCE_BUREAU, "other_county")
    w.org("town", "大槐树镇人民政府", OrgKind.TOWNSHIP, "town1")
    w.user("prov_fin", "prov_czt", Role.FINANCE_REVIEWER)
    w.user("prov_mz_head", "prov_mz", Role.DEPT_HEAD)
    w.user("city_fin", "city_czj", Role.FINANCE_REVIEWER)
    w.user("city_mayor", "city_gov", Role.TOWNSHIP_HEAD)
    w.user("city_mz_head", "city_mz", Role.DEPT_HEAD)
    w.user("fin", "czj", Role.FINANCE_REVIEWER)
    w.user("mz_rev", "mz", Role.DEPT_REVIEWER)
    w.user("mz_head", "mz", Role.DEPT_HEAD)
    w.user("ny_rev", "nync", Role.DEPT_REVIEWER)
    w.user("other_fin", "other_czj", Role.FINANCE_REVIEWER)
    w.user("op", "town", Role.TOWNSHIP_OPERATOR)
    w.user("cun", "town", Role.VILLAGE_CLERK)
    return w


def make_spec(code, department, **overrides) -> PolicySpec:
    values = dict(
        code=code, name=f"政策{code}", department_id=department.pk, line=Line.MZ, target_group=TargetGroup.LOW_INCOME,
        frequency=Frequency.MONTHLY, unit=Unit.PERSON, rate_fen=50000, share_central_bp=8000, share_province_bp=2000,
        basis=(BasisSpec("晋政发〔2025〕1号", "关于调整城乡低保标准的通知"),),
    )
    values.update(overrides)
    return PolicySpec(**values)


def tiered_spec(code, department, **overrides) -> PolicySpec:
    return make_spec(
        code, department, rate_fen=None, tier_basis="残疾等级", target_group=TargetGroup.DISABLED,
        tiers=(TierSpec("1", "一级", 10000), TierSpec("2", "二级", 8000)), **overrides,
    )


def publish(world, region_key, finance, upper, specs, *, year=2026):
    """Create, fill, submit, file and publish a catalogue through the services."""
    actor = world.users[finance]
    catalogue = services.create_catalogue(actor=actor, region=world.regions[region_key], year=year)
    for spec in specs:
        services.add_policy(actor=actor, catalogue=catalogue, spec=spec)
    services.transition_catalogue(actor=actor, catalogue=catalogue, action="submit")
    services.transition_catalogue(actor=world.users[upper], catalogue=catalogue, action="file")
    return services.transition_catalogue(actor=world.users[upper], catalogue=catalogue, action="publish")
