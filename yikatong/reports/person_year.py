"""Yearly per-person view across all policies (issue 16 §5c): for one person, found by the keyed blind
index of the ID number staff type (as the self-query, disclosure/query.py), and the members of their
register household (registry.Household), every payment line of the year in the actor's scope, summed per
person and policy, with the policies' mutual exclusions (policies.Policy.exclusive_codes, the pairs the
cross-check EXCLUSIVE_POLICY uses) applied: two exclusive policies received by one person for overlapping
periods are flagged. (The profile's `bans`, payments/bans.py, are account and cash rules, not pairs.)

Every look-up is audited with the person's register id or nothing, never the ID number."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from yikatong.accounts.roles import Role
from yikatong.audit.services import record
from yikatong.core.crypto import vault
from yikatong.core.identifiers import IdentifierError, validate_id_number
from yikatong.core.refusals import Forbidden
from yikatong.payments.models import PaymentOrderItem
from yikatong.policies.models import Policy
from yikatong.registry.models import Person
from yikatong.rosters import scope

from .errors import ReportRefusal

READERS = frozenset({Role.FINANCE_REVIEWER, Role.TOWNSHIP_FINANCE, Role.DEPT_REVIEWER, Role.DEPT_HEAD,
                     Role.SUPERVISOR})
_B = "batch_item__batch__"
_MONTH = re.compile(r"^\d{4}-(\d{2})$")
_QUARTER = re.compile(r"^\d{4}Q([1-4])$")


def months(period: str) -> frozenset[int]:
    """The months of the year a period covers (a yearly or one-off period: the whole year)."""
    if m := _MONTH.match(period):
        return frozenset({int(m.group(1))})
    if m := _QUARTER.match(period):
        q = int(m.group(1))
        return frozenset(range(3 * q - 2, 3 * q + 1))
    return frozenset(range(1, 13))


@dataclass
class PersonTotal:
    name: str
    id_masked: str
    relation: str
    total_fen: int = 0
    by_policy: dict = field(default_factory=dict)  # policy name -> fen
    lines: list = field(default_factory=list)


@dataclass(frozen=True)
class Conflict:
    name: str
    id_masked: str
    policy: str
    period: str
    other_policy: str
    other_period: str


@dataclass(frozen=True)
class YearView:
    year: str
    found: bool
    household_no: str
    people: list  # PersonTotal, the looked-up person first
    conflicts: list  # Conflict
    total_fen: int


def _bidx(id_number: str) -> str:
    try:
        number = validate_id_number((id_number or "").strip())
    except IdentifierError:
        raise ReportRefusal("PERSON_YEAR_ID_INVALID") from None
    return vault().id_index(number)


def _conflicts(lines_by_person: dict, names: dict) -> list[Conflict]:
    codes = {line["batch_item__batch__policy__code"] for lines in lines_by_person.values() for line in lines}
    exclusive = {p.code: set(p.exclusive_codes or ()) for p in Policy.objects.filter(code__in=codes)}
    out = []
    for bidx, lines in lines_by_person.items():
        seen = set()
        for a in lines:
            for b in lines:
                pa, pb = a["batch_item__batch__policy__code"], b["batch_item__batch__policy__code"]
                if pa >= pb or not (pb in exclusive.get(pa, ()) or pa in exclusive.get(pb, ())):
                    continue
                pera, perb = a["batch_item__batch__period"], b["batch_item__batch__period"]
                key = (pa, pera, pb, perb)
                if key in seen or not months(pera) & months(perb):
                    continue
                seen.add(key)
                out.append(Conflict(names[bidx][0], names[bidx][1], a["batch_item__batch__policy__name"], pera,
                                    b["batch_item__batch__policy__name"], perb))
    return out


LINE_FIELDS = ("pk", "amount_fen", "status", "paid_at", "batch_item__id_bidx", "batch_item__name",
               "batch_item__id_masked", "batch_item__batch__policy__code", "batch_item__batch__policy__name",
               "batch_item__batch__period", "batch_item__batch__region__name", "batch_item__batch__code")


def person_year(actor, *, id_number: str, year: str) -> YearView:
    """The year's paid lines of the person and their household in the actor's scope; audited."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(*READERS):
        raise Forbidden("PERSON_YEAR_ROLE")
    year = _check_year_for(actor, year)
    bidx = _bidx(id_number)
    person = Person.objects.filter(id_bidx=bidx).select_related("household").first()
    members = {bidx: ("", "本人")}
    household_no = ""
    if person is not None and person.household_id:
        household_no = person.household.number
        for m in Person.objects.filter(household_id=person.household_id).exclude(id_bidx=bidx):
            members[m.id_bidx] = (m.pk, m.relation or "家庭成员")
    lines = list(scope.scoped(PaymentOrderItem.objects.filter(
        status="paid", batch_item__id_bidx__in=list(members), **{f"{_B}period__startswith": year})
        .exclude(order__state="rejected"), actor, _B, roles=READERS)
        .order_by(f"{_B}period", f"{_B}policy__code", "pk").values(*LINE_FIELDS))
    by_person: dict[str, list] = defaultdict(list)
    for line in lines:
        by_person[line["batch_item__id_bidx"]].append(line)
    people, names = [], {}
    for key in sorted(by_person, key=lambda k: (k != bidx, by_person[k][0]["batch_item__name"])):
        first = by_person[key][0]
        names[key] = (first["batch_item__name"], first["batch_item__id_masked"])
        t = PersonTotal(first["batch_item__name"], first["batch_item__id_masked"], members[key][1])
        for line in by_person[key]:
            t.total_fen += line["amount_fen"]
            policy = line["batch_item__batch__policy__name"]
            t.by_policy[policy] = t.by_policy.get(policy, 0) + line["amount_fen"]
            t.lines.append(line)
        people.append(t)
    view = YearView(year, bool(lines), household_no, people, _conflicts(by_person, names),
                    sum(p.total_fen for p in people))
    with transaction.atomic():
        record(actor=actor, action="lookup.person_year", object_type="registry.person",
               object_id=str(person.pk) if person else "",
               after={"year": year, "lines": len(lines), "people": len(people), "conflicts": len(view.conflicts)})
    return view


def _check_year_for(actor, year: str) -> str:
    """The year check shared with shared_accounts (its role check passes for these readers too)."""
    year = (year or "").strip()
    if len(year) != 4 or not year.isdigit():
        raise ReportRefusal("WATCH_YEAR_INVALID", year=year)
    return year
