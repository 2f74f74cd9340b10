"""Factories: plain functions that write one kind of test object (or a small fixed set of them).

They write rows directly where the object is plain reference data (regions, organizations, users,
register people, reference snapshots); where a test needs an object *as the application makes it*
(a published catalogue, a batch in a state, a payment order), use tests/support/scenarios.py, which
goes through the real services and transitions.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import Decimal

from yikatong.accounts.models import Organization, OrgKind, RoleGrant, User
from yikatong.accounts.roles import Role
from yikatong.policies.choices import Frequency, Line, TargetGroup, Unit
from yikatong.policies.spec import BasisSpec, PolicySpec, TierSpec
from yikatong.regions.models import Region

PASSWORD = "Ykt-test-pass-1"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- regions -------------------------------------------------------------------------------------------

def region(code: str, name: str, level: int, parent: Region | None) -> Region:
    """The region of `code` (short or full code), created if missing."""
    obj, _ = Region.objects.get_or_create(
        code=Region.full_code(code), defaults={"name": name, "level": level, "parent": parent})
    return obj


def region_tree() -> dict[str, Region]:
    """Shanxi → Linfen → Hongtong (two townships, one village) and Jinzhong → another county (wrong region)."""
    sx = region("14", "山西省", 1, None)
    lf = region("1410", "临汾市", 2, sx)
    ht = region("141024", "洪洞县", 3, lf)
    t1 = region("141024100", "大槐树镇", 4, ht)
    t2 = region("141024101", "甘亭镇", 4, ht)
    v1 = region("141024100001", "第一村委会", 5, t1)
    jz = region("1407", "晋中市", 2, sx)
    other = region("140702", "榆次区", 3, jz)
    return {"province": sx, "city": lf, "county": ht, "town1": t1, "town2": t2, "village1": v1, "other_county": other}


def villages(regions: dict[str, Region]) -> dict[str, Region]:
    """Three villages: two in town1 (one of them regions["village1"]), one in town2."""
    return {
        "v1": regions["village1"],
        "v2": region("141024100002", "第二村委会", 5, regions["town1"]),
        "v3": region("141024101001", "东村村民委员会", 5, regions["town2"]),
    }


# --- organizations and users ---------------------------------------------------------------------------

def password_hash(password: str = PASSWORD) -> str:
    """Hash a password once per hasher setting: Argon2 is deliberately slow and a world has a dozen users.
    Keyed by the hashers too: a hash made while a module's fixture switched to MD5 must not be reused
    by a later test under the default hashers (its users could not log in)."""
    from django.conf import settings

    return _password_hash(password, tuple(settings.PASSWORD_HASHERS))


@functools.cache
def _password_hash(password: str, hashers: tuple[str, ...]) -> str:
    from django.contrib.auth.hashers import make_password

    return make_password(password)


def organization(region: Region, kind: str = OrgKind.FINANCE_BUREAU, *, code: str | None = None,
                 name: str | None = None, line: str = "", parent: Organization | None = None) -> Organization:
    """The organization of `code` (default T-<region>-<kind>), created if missing."""
    org, _ = Organization.objects.get_or_create(
        code=code or f"T-{region.code}-{kind}",
        defaults={"name": name or f"{region.name}{kind}", "kind": kind, "region": region, "line": line,
                  "parent": parent})
    return org


def user(username: str, organization: Organization, *roles: str, password: str = PASSWORD,
         cached_hash: bool = False) -> User:
    """A user of `organization` holding `roles`, who can log in with `password`. cached_hash reuses one
    hash per password (quick; every such user has the same hash string)."""
    obj = User(username=username, full_name=username, organization=organization)
    if cached_hash:
        obj.password = password_hash(password)
    else:
        obj.set_password(password)
    obj.save()
    RoleGrant.objects.bulk_create([RoleGrant(user=obj, role=r) for r in roles])
    return obj


@dataclass
class World:
    """A small administrative world: regions, organizations by key, users by username."""
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
        self.users[username] = user(username, self.orgs[org_key], *roles, cached_hash=True)
        return self.users[username]


def build_world(regions) -> World:
    """Finance bureaus and line departments at province, prefecture and county, with one user per role
    that the catalogue and change flows need."""
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


# --- policies ------------------------------------------------------------------------------------------

def make_spec(code, department, **overrides) -> PolicySpec:
    """A monthly 500-yuan-per-person policy of `department` (overrides replace any field)."""
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


# --- identifiers ---------------------------------------------------------------------------------------

def bad_id(seq: int) -> str:
    """A resident ID number whose check digit is wrong."""
    from yikatong.rosters.tests.files import id_number

    good = id_number(seq)
    return good[:17] + ("0" if good[17] != "0" else "1")


def bad_card(seq: int) -> str:
    """A card number whose Luhn digit is wrong."""
    from yikatong.rosters.tests.files import card

    good = card(seq)
    return good[:-1] + str((int(good[-1]) + 1) % 10)


def uscc(body: str = "91141024MA0000001") -> str:
    """A unified social credit code with its check character."""
    from stdnum.cn.uscc import calc_check_digit

    return body + calc_check_digit(body)


# --- register ------------------------------------------------------------------------------------------

def bank_account(owner, number: str, holder: str, *, status: str = "active"):
    """A register bank account of `owner` (number encrypted and indexed as the register does)."""
    from yikatong.core.crypto import vault
    from yikatong.registry.models import BankAccount

    v = vault()
    return BankAccount.objects.create(person=owner, number_enc=v.encrypt(number), number_bidx=v.index(number),
                                      holder_name=holder, status=status)


def person(village, id_no: str, name: str, *, birth=dt.date(1950, 1, 1), status="normal", since=None, household=None,
           relation: str | None = None, account: str | None = None, account_status="active"):
    """A register person (ID encrypted and indexed), with a bank account when `account` is given.
    The relation defaults to 户主 in a household."""
    from yikatong.core.crypto import vault
    from yikatong.registry.models import Person

    v = vault()
    p = Person.objects.create(name=name, id_enc=v.encrypt(id_no), id_bidx=v.id_index(id_no),
                              id_mask_bidx=v.id_mask_index(id_no), birth_date=birth, sex="1", village=village,
                              status=status, status_since=since, household=household,
                              relation=("户主" if household else "") if relation is None else relation)
    if account:
        bank_account(p, account, name, status=account_status)
    return p


def reference(region, dataset: str, rows: list[dict], *, current=True):
    """A reference snapshot of `dataset` with one record per row ({"id", "name", "related", "date"})."""
    from yikatong.core.crypto import vault
    from yikatong.registry.models import ReferenceRecord, ReferenceSnapshot

    v = vault()
    snap = ReferenceSnapshot.objects.create(dataset=dataset, source_agency="县直部门", as_of=dt.date(2026, 10, 31),
                                            region=region, row_count=len(rows), is_current=current)
    for r in rows:
        ReferenceRecord.objects.create(snapshot=snap, id_bidx=v.id_index(r["id"]), id_enc=v.encrypt(r["id"]),
                                       name=r.get("name", ""),
                                       related_id_bidx=v.id_index(r["related"]) if r.get("related") else "",
                                       related_id_enc=v.encrypt(r.get("related", "")),
                                       event_date=r.get("date"))
    return snap


# --- rosters (rows from other paths) -------------------------------------------------------------------

def clone_batch(batch, region, code_suffix: str, *, policy=None, period: str | None = None):
    """Another draft batch of the same policy and period by default (written directly: test data)."""
    from django.utils import timezone

    from yikatong.rosters.models import Batch

    return Batch.objects.create(
        code=f"{batch.code}-{code_suffix}", policy=policy or batch.policy, period=period or batch.period, region=region,
        department=batch.department, profile_code=batch.profile_code, state="draft", state_since=timezone.now(),
        created_by=batch.created_by,
    )


def add_item(batch, seq: int, name: str, id_no: str, account: str, amount_fen: int = 50000, *,
             phone: str = "", holder: str | None = None, is_org: bool = False):
    """An item written through the roster's one builder of column values (check flags included),
    bypassing validation: the way an item from another path (API, legacy data) reaches the table."""
    from yikatong.rosters.importer.rows import ItemDraft
    from yikatong.rosters.importer.run import item_values
    from yikatong.rosters.models import BatchItem

    draft = ItemDraft(line=seq, no=str(seq), name=name, id_number=id_no, is_org=is_org, village_code="",
                      household_no="", relation="", phone=phone, bank_name="", account_no=account,
                      account_holder=name if holder is None else holder, quantity=Decimal(1), standard_fen=50000,
                      amount_fen=amount_fen, memo="")
    return BatchItem.objects.create(**item_values(batch, seq, draft))


# --- checks --------------------------------------------------------------------------------------------

def finding(batch, item, code: str, severity: str):
    """A finding of rule `code` on `item`, raised directly (as a later full sweep would)."""
    from django.utils import timezone

    from yikatong.checks.models import Finding, Rule

    now = timezone.now()
    return Finding.objects.create(rule=Rule.objects.get(code=code), fingerprint=f"{code}-{item.pk}", batch=batch,
                                  item=item, id_bidx=item.id_bidx, severity=severity, message="疑点",
                                  first_seen_at=now, last_seen_at=now)


# --- payments ------------------------------------------------------------------------------------------

def agent_bank_agreement(*, admin, payer, region, bank_org_code: str = "B1"):
    """The county's agent bank (洪洞农商行) and its agreement with `payer`, made by `admin` through the
    exchange services, with the header, MAC key and start day of the bank-file tests."""
    from yikatong.payments import banks as exchange
    from yikatong.payments.tests.support import DAY, HEADER, KEY

    org = Organization.objects.create(name="洪洞农商行", kind=OrgKind.AGENT_BANK, region=region, code=bank_org_code)
    bank = exchange.agent_bank_create(actor=admin, code=HEADER["bank_code"], name="洪洞农商行", organization=org)
    return exchange.agreement_create(actor=admin, bank=bank, payer=payer, payer_account=HEADER["payer_account"],
                                     payer_name=HEADER["payer_name"], mac_key=KEY, valid_from=DAY)
