"""Seed 004 §五(一) bans, checked on every line of a batch before money moves:

  own_account     no payment into another person's or a collective's account (严禁转入其他个人或集体的
                  银行卡及账户代发): the account belongs to the beneficiary, or to the household head
                  where the policy pays per household (Policy.unit = household);
  no_cash         no cash (严禁提取现金发放): every line has a bank account and the policy's carrier is
                  an account (社会保障卡 or, for unit payees, the unit's public account);
  no_onward       no transfer to a township or unit account for onward distribution (严禁…转拨至乡镇代发、
                  转入单位实有账户) when the policy pays individuals.

Only the bans the batch's profile lists apply (LocalProfile.bans, by the names below); a profile that
lists none pays without these checks:

  cash                  no cash (no_cash above);
  others_account        no payment into another person's, unit's or collective's account (own_account);
  transfer_to_township  no onward transfer through a township or unit account (no_onward).

Ownership is taken from the register (registry.BankAccount, by blind index of the number) when the
account is registered, and otherwise from the holder name on the roster line. The checks read in
bulk (one query per kind per chunk) so a batch of any size costs a handful of queries.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from yikatong.core.masking import mask_name
from yikatong.core.profiles import get_profile
from yikatong.registry.fields import chunks as _in_chunks

from .errors import PaymentError

ACCOUNT_CARRIERS = frozenset({"sscard", "org_account"})
# Holder names of township governments and units (an individual's name never ends like this).
_UNIT_SUFFIXES = ("人民政府", "政府", "财政所", "委员会", "村委会", "居委会", "合作社", "公司", "中心", "办公室",
                  "办事处", "管理站", "服务站", "经济组织", "银行", "局", "厅", "所", "站", "院")
CASH, OTHERS_ACCOUNT, ONWARD = "cash", "others_account", "transfer_to_township"
_SHOWN = 20  # refusals listed in one message; the rest are counted


@dataclass(frozen=True)
class Breach:
    seq: int
    who: str  # masked name and account
    rule: str
    ban: str = ""  # the profile's name of the ban (CASH, OTHERS_ACCOUNT, ONWARD)

    def __str__(self) -> str:
        return f"第 {self.seq} 条（{self.who}）：{self.rule}"


def _looks_like_unit(name: str) -> bool:
    name = (name or "").strip()
    return len(name) > 4 and name.endswith(_UNIT_SUFFIXES)


def _registered_accounts(bidxs):
    from yikatong.registry.models import BankAccount

    owners = defaultdict(list)
    for chunk in _in_chunks({b for b in bidxs if b}):
        for row in BankAccount.objects.filter(number_bidx__in=chunk).values("number_bidx", "person_id", "org_id", "kind"):
            owners[row["number_bidx"]].append(row)
    return owners


def _people(items):
    """Person id per line (the roster's link, else the register's person of the same ID number),
    and the household head's person id and name per person."""
    from yikatong.registry.models import Person
    from yikatong.registry.models.people import HEAD

    by_bidx = {}
    missing = {i.id_bidx for i in items if i.person_id is None and not i.is_org and i.id_bidx}
    for chunk in _in_chunks(missing):
        by_bidx.update(Person.objects.filter(id_bidx__in=chunk).values_list("id_bidx", "pk"))
    person_of = {i.pk: i.person_id or by_bidx.get(i.id_bidx) for i in items}
    households = {}
    for chunk in _in_chunks({p for p in person_of.values() if p}):
        households.update(Person.objects.filter(pk__in=chunk, household__isnull=False).values_list("pk", "household_id"))
    heads = {}
    for chunk in _in_chunks(set(households.values())):
        for hh, pk, name in Person.objects.filter(household_id__in=chunk, relation=HEAD).order_by("pk").values_list(
                "household_id", "pk", "name"):
            heads.setdefault(hh, (pk, name))
    head_of = {p: heads.get(hh) for p, hh in households.items()}
    return person_of, head_of


def _roster_heads(items):
    """Household head names from the roster itself (same village and household number, relation 户主)."""
    from yikatong.registry.models.people import HEAD

    return {(i.village_id, i.household_no): i.name for i in items if i.household_no and i.relation == HEAD}


_READ = ("id", "seq", "name", "is_org", "person_id", "id_bidx", "village_id", "household_no", "relation",
         "account_enc", "account_bidx", "account_masked", "account_holder")


def breaches(batch, items=None) -> list[Breach]:
    """Every line of the batch that breaks a ban its profile lists; empty when the batch may be paid."""
    active = frozenset(get_profile(batch.profile_code).bans)
    if not active:
        return []
    policy = batch.policy
    if items is None:  # only the columns the bans read: an order may hold a million lines
        items = batch.items.filter(status="active").order_by("seq").only(*_READ)
    items = list(items)
    pays_units = policy.carrier == "org_account"
    per_household = policy.unit == "household"
    found: list[Breach] = []
    owners = _registered_accounts(i.account_bidx for i in items)
    person_of, head_of = _people(items)
    roster_heads = _roster_heads(items) if per_household else {}
    for item in items:
        who = f"{mask_name(item.name)}，账号 {item.account_masked or '无'}"

        def refuse(rule, ban=OTHERS_ACCOUNT, item=item, who=who):
            if ban in active:
                found.append(Breach(item.seq, who, rule, ban))

        if policy.carrier not in ACCOUNT_CARRIERS:
            refuse("补贴资金严禁提取现金发放：本政策的发放载体不是社会保障卡或对公账户", CASH)
            continue
        if not item.account_enc or not item.account_bidx:
            refuse("补贴资金严禁以现金发放：该明细没有银行账号", CASH)
            continue
        rows = owners.get(item.account_bidx, [])
        holder = (item.account_holder or "").strip()
        if not pays_units:
            if item.is_org or any(r["org_id"] for r in rows) or any(r["kind"] == "corporate" for r in rows) \
                    or _looks_like_unit(holder):
                refuse("严禁将个人补贴转入乡镇或单位账户代发：该账户不是补贴对象本人的个人账户", ONWARD)
                continue
        elif not item.is_org:
            refuse("本政策发放到单位对公账户，该明细不是单位")
            continue
        if item.is_org:
            if rows and not any(r["org_id"] for r in rows):
                refuse("严禁转入其他个人账户代发：该账户登记在个人名下，不是补贴单位的对公账户")
            elif holder and holder != item.name:
                refuse(f"严禁转入其他单位账户代发：账户户名“{mask_name(holder)}”与补贴单位名称不一致")
            continue
        me = person_of.get(item.pk)
        head = head_of.get(me) if me else None
        allowed_people = {me} | ({head[0]} if per_household and head else set())
        allowed_names = {item.name}
        if per_household:
            if head:
                allowed_names.add(head[1])
            if (item.village_id, item.household_no) in roster_heads:
                allowed_names.add(roster_heads[(item.village_id, item.household_no)])
        allowed_people.discard(None)
        if rows:
            if not any(r["person_id"] in allowed_people for r in rows):
                refuse("严禁转入其他个人的银行卡及账户代发：该账户在底册中不属于补贴对象本人"
                       + ("或其户主" if per_household else ""))
        elif holder and holder not in allowed_names:
            refuse(f"严禁转入其他个人的银行卡及账户代发：账户户名“{mask_name(holder)}”不是补贴对象本人"
                   + ("或其户主" if per_household else ""))
    return found


def message(batch, found: list[Breach]) -> str:
    shown = "；".join(str(b) for b in found[:_SHOWN])
    more = f"；另有 {len(found) - _SHOWN} 条" if len(found) > _SHOWN else ""
    return f"批次 {batch.code} 有 {len(found)} 条明细违反“一卡通”发放禁止性规定，不能支付：{shown}{more}"


def assert_allowed(batch, items=None) -> None:
    found = breaches(batch, items)
    if found:
        raise PaymentError("PAYMENT_BANNED", message(batch, found))
