"""复核比对: check a list of payees (name, ID number, account, village) against the base register.

    compare_rows(rows, *, township_code=None) -> list[ComparisonResult]

Each result has one or more statuses (codes below, each with a message in Chinese). All
lookups are batched: blind indexes are computed in Python and fetched with IN queries in
chunks, so 10,000 rows cost a few dozen queries, never one per row. Reference death data is
consulted too, so a death the register has not recorded yet is caught.
"""
from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from yikatong.core.crypto import vault
from yikatong.core.identifiers import IdentifierError, looks_like_uscc, normalize_account, validate_id_number, validate_uscc
from yikatong.core.masking import mask_card
from yikatong.regions.models import Region

from .choices import INACTIVE_ACCOUNT_STATUSES, AccountStatus, PersonStatus
from .fields import chunks
from .models import BankAccount, OrgPayee, Person
from .reference import deaths_by_index
from .villages import VillageResolver

STATUS_LABELS = {
    "matched": "比对一致",
    "not_in_register": "底册中无此人（单位）",
    "name_differs": "姓名与底册不一致",
    "account_differs": "账号与底册登记的不一致",
    "account_not_owned": "账号登记在他人名下",
    "account_inactive": "账户状态异常",
    "no_account": "底册中没有可用账户",
    "deceased": "已死亡",
    "moved_out": "已迁出",
    "status_other": "人员状态异常",
    "not_in_township": "不属于本乡镇",
    "village_differs": "所在村与底册不一致",
    "invalid_id": "身份证号码无效",
    "invalid_uscc": "统一社会信用代码无效",
    "duplicate": "名单中重复",
}


@dataclass(frozen=True)
class CompareRow:
    name: str
    id_number: str
    account_no: str = ""
    village: str = ""
    line: int | None = None


@dataclass(frozen=True)
class Finding:
    code: str
    message: str

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.code]


@dataclass
class ComparisonResult:
    index: int  # position in the input
    line: int | None  # the row number the caller gave (file row), if any
    statuses: list[Finding] = field(default_factory=list)
    person_id: int | None = None
    org_id: int | None = None
    register_name: str = ""

    @property
    def codes(self) -> list[str]:
        return [f.code for f in self.statuses]

    @property
    def ok(self) -> bool:
        return self.codes == ["matched"]

    def add(self, code: str, message: str = "") -> None:
        self.statuses.append(Finding(code, message or STATUS_LABELS[code]))


def _row(item, i: int) -> CompareRow:
    if isinstance(item, CompareRow):
        return item
    if isinstance(item, Mapping):
        return CompareRow(str(item.get("name") or ""), str(item.get("id_number") or ""),
                          str(item.get("account_no") or ""), str(item.get("village") or ""), item.get("line"))
    seq: Sequence = item
    return CompareRow(*(str(x or "") for x in seq[:4]))


def _clean(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def compare_rows(rows: Iterable, *, township_code: str | None = None,
                 scope_prefix: str | None = None) -> list[ComparisonResult]:
    """Compare rows (CompareRow, dicts with name/id_number/account_no/village[/line], or tuples
    in that order) with the register. `township_code` (9 or 12 digits) checks that each person
    is registered in that township and resolves village names there.

    `scope_prefix` (a region code prefix; None: the whole register, for system callers only) limits
    what the comparison may see: persons, units and accounts registered outside it are treated as
    not in the register, so a caller never learns who is registered where outside their scope."""
    v = vault()
    items = [_row(r, i) for i, r in enumerate(rows)]
    results = [ComparisonResult(index=i, line=r.line) for i, r in enumerate(items)]
    town = Region.objects.filter(code=Region.full_code(township_code)).first() if township_code else None
    resolver = VillageResolver(town) if town is not None else None
    person_keys: dict[int, str] = {}
    org_keys: dict[int, str] = {}
    seen: dict[str, int] = {}
    for i, (r, res) in enumerate(zip(items, results)):
        number = _clean(r.id_number).upper()
        try:
            number, is_org = validate_id_number(number), False
        except IdentifierError as exc:
            if not looks_like_uscc(number):
                res.add("invalid_id", str(exc))
                continue
            try:
                number, is_org = validate_uscc(number), True
            except IdentifierError as uexc:
                res.add("invalid_uscc", str(uexc))
                continue
        if number in seen:
            res.add("duplicate", f"与名单第{results[seen[number]].line or seen[number] + 1}行为同一人（单位）")
        seen.setdefault(number, i)
        if is_org:
            org_keys[i] = number
        else:
            person_keys[i] = v.id_index(number)
    account_keys = {i: v.index(normalize_account(_clean(r.account_no))) for i, r in enumerate(items) if r.account_no}

    people = {}
    for chunk in chunks(set(person_keys.values())):
        for p in Person.objects.filter(id_bidx__any=chunk).values("id", "id_bidx", "name", "village_id", "status", "status_since"):
            if _visible(p["village_id"], scope_prefix):
                people[p["id_bidx"]] = p
    orgs = {}
    for chunk in chunks(set(org_keys.values())):
        for o in OrgPayee.objects.filter(uscc__in=chunk).values("id", "uscc", "name", "region_id"):
            if _visible(o["region_id"], scope_prefix):
                orgs[o["uscc"]] = o
    by_number = defaultdict(list)
    for chunk in chunks(set(account_keys.values())):
        for a in BankAccount.objects.filter(number_bidx__any=chunk).values(
                "number_bidx", "person_id", "org_id", "is_current", "status", "person__village_id", "org__region_id"):
            if _visible(a["person__village_id"] or a["org__region_id"] or "", scope_prefix):
                by_number[a["number_bidx"]].append(a)
    current = {}
    pids = sorted(p["id"] for p in people.values())
    oids = sorted(o["id"] for o in orgs.values())
    for chunk in chunks(pids):
        for a in BankAccount.objects.filter(person_id__in=chunk, is_current=True).values("person_id", "number_bidx", "status", "number_enc"):
            current[("p", a["person_id"])] = a
    for chunk in chunks(oids):
        for a in BankAccount.objects.filter(org_id__in=chunk, is_current=True).values("org_id", "number_bidx", "status", "number_enc"):
            current[("o", a["org_id"])] = a
    deaths = deaths_by_index(person_keys.values(), place_code=scope_prefix)
    village_names = {}

    for i, (r, res) in enumerate(zip(items, results)):
        if any(f.code in ("invalid_id", "invalid_uscc") for f in res.statuses):
            continue
        if i in org_keys:
            rec, owner = orgs.get(org_keys[i]), "o"
            region = rec["region_id"] if rec else ""
        else:
            rec, owner = people.get(person_keys[i]), "p"
            region = rec["village_id"] if rec else ""
            death = deaths.get(person_keys[i])
            if death and not (rec and rec["status"] == PersonStatus.DECEASED):
                date, agency = death
                res.add("deceased", f"{agency}死亡数据显示已于{date or '（日期不详）'}死亡，底册尚未更新")
        if rec is None:
            res.add("not_in_register")
            _check_foreign_account(res, account_keys.get(i), by_number)
            continue
        res.person_id, res.org_id = (rec["id"], None) if owner == "p" else (None, rec["id"])
        res.register_name = rec["name"]
        if _clean(r.name) != rec["name"]:
            res.add("name_differs", f"姓名与底册不一致：底册为“{rec['name']}”")
        if owner == "p":
            _person_status(res, rec)
        if town is not None and not region.startswith(town.prefix):
            if region not in village_names:
                village_names[region] = Region.objects.filter(code=region).values_list("name", flat=True).first() or region
            res.add("not_in_township", f"底册登记在{village_names[region]}，不属于{town.name}")
        elif r.village:
            _check_village(res, _clean(r.village), region, resolver)
        _check_account(res, account_keys.get(i), current.get((owner, rec["id"])), by_number, owner, rec["id"])
        if not res.statuses:
            res.add("matched")
    return results


def _visible(region_code: str | None, scope_prefix: str | None) -> bool:
    return scope_prefix is None or (region_code or "").startswith(scope_prefix)


def _person_status(res: ComparisonResult, rec: dict) -> None:
    since = rec["status_since"].isoformat() if rec["status_since"] else "日期不详"
    if rec["status"] == PersonStatus.DECEASED:
        res.add("deceased", f"底册登记已死亡（{since}）")
    elif rec["status"] == PersonStatus.MOVED_OUT:
        res.add("moved_out", f"底册登记已迁出（{since}）")
    elif rec["status"] == PersonStatus.OTHER:
        res.add("status_other", "底册中人员状态为“其他”，请核实")


def _check_village(res: ComparisonResult, village: str, region: str, resolver: VillageResolver | None) -> None:
    if len(village) == 12 and village.isdigit():
        code = village
    elif resolver is not None:
        code, _ = resolver.resolve("", village)
    else:
        return
    if code and code != region:
        res.add("village_differs", f"所在村与底册不一致（名单为“{village}”）")
    elif not code:
        res.add("village_differs", f"村(社区)“{village}”在本乡镇找不到")


def _check_foreign_account(res: ComparisonResult, key: str | None, by_number) -> None:
    if key and by_number.get(key):
        res.add("account_not_owned", "该账号在底册中登记在他人（单位）名下")


def _check_account(res: ComparisonResult, key: str | None, cur: dict | None, by_number, owner: str, owner_id: int) -> None:
    if key is None:
        if cur is None:
            res.add("no_account", "底册中没有此人（单位）的在用账户")
        elif cur["status"] in INACTIVE_ACCOUNT_STATUSES:
            res.add("account_inactive", f"底册账户状态为“{AccountStatus(cur['status']).label}”，无法入账")
        return
    if cur is not None and cur["number_bidx"] == key:
        if cur["status"] in INACTIVE_ACCOUNT_STATUSES:
            res.add("account_inactive", f"账户状态为“{AccountStatus(cur['status']).label}”，无法入账")
        return
    holders = by_number.get(key, [])
    field_ = "person_id" if owner == "p" else "org_id"
    if any(a[field_] != owner_id for a in holders):
        res.add("account_not_owned", "该账号在底册中登记在他人（单位）名下")
        return
    now = f"，底册现用账号为 {mask_card(vault().decrypt(cur['number_enc']))}" if cur else "，底册中没有在用账户"
    old = "（名单中的账号已停用）" if holders else ""
    res.add("account_differs", f"账号与底册不一致{old}{now}")


def compare_for(actor, rows: Iterable, *, township_code: str | None = None) -> list[ComparisonResult]:
    """复核比对 asked by a person (page, API): the comparison sees only the register of the actor's
    region subtree, each call is rate limited (lookups.throttle_*: calls per window and rows per hour,
    per user) and audited with the number of rows asked and found (never the identifiers themselves)."""
    from django.db import transaction

    from yikatong.accounts.scope import scope_prefix
    from yikatong.audit.services import record
    from yikatong.core.refusals import Forbidden

    from . import errors  # noqa: F401  (the refusal catalogue)

    from .lookups import throttle_compare_rows, throttle_lookup

    prefix = scope_prefix(actor)
    if prefix is None:
        raise Forbidden("COMPARE_NO_SCOPE")
    rows = list(rows)
    throttle_lookup(actor)  # LookupRateLimited (429): calls per window, then rows per hour
    throttle_compare_rows(actor, len(rows))
    results = compare_rows(rows, township_code=township_code, scope_prefix=prefix)
    with transaction.atomic():
        record(actor=actor, action="registry.compare", object_type="registry", object_id=prefix or "*",
               object_repr="复核比对", after={"rows": len(results), "township": township_code or "",
                                             "found": sum(1 for r in results if r.person_id or r.org_id)})
    return results
