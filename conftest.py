"""Shared fixtures: a small region tree, organizations and users per role."""
import pytest

from yikatong.accounts.models import Organization, OrgKind, RoleGrant, User
from yikatong.regions.models import Region

PASSWORD = "Ykt-test-pass-1"


def _region(code: str, name: str, level: int, parent: Region | None) -> Region:
    region, _ = Region.objects.get_or_create(
        code=Region.full_code(code), defaults={"name": name, "level": level, "parent": parent}
    )
    return region


@pytest.fixture
def regions(db):
    """Shanxi → Linfen → Hongtong (two townships) and Jinzhong → another county (wrong region)."""
    sx = _region("14", "山西省", 1, None)
    lf = _region("1410", "临汾市", 2, sx)
    ht = _region("141024", "洪洞县", 3, lf)
    t1 = _region("141024100", "大槐树镇", 4, ht)
    t2 = _region("141024101", "甘亭镇", 4, ht)
    v1 = _region("141024100001", "第一村委会", 5, t1)
    jz = _region("1407", "晋中市", 2, sx)
    other = _region("140702", "榆次区", 3, jz)
    return {"province": sx, "city": lf, "county": ht, "town1": t1, "town2": t2, "village1": v1, "other_county": other}


@pytest.fixture
def make_user(db, regions):
    created = {}

    def make(username: str, *roles: str, region: Region | None = None, kind: str = OrgKind.FINANCE_BUREAU) -> User:
        region = region or regions["county"]
        org, _ = Organization.objects.get_or_create(
            code=f"T-{region.code}-{kind}", defaults={"name": f"{region.name}{kind}", "kind": kind, "region": region}
        )
        user = User(username=username, full_name=username, organization=org)
        user.set_password(PASSWORD)
        user.save()
        for role in roles:
            RoleGrant.objects.create(user=user, role=role)
        created[username] = user
        return user

    return make
