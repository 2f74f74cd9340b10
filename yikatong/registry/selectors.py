"""Reads of the register, always filtered by the actor's region subtree and role.

Screens get masked values only; the full value of one field goes through services.person_field_reveal.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from yikatong.accounts.scope import in_scope
from yikatong.core.crypto import vault
from yikatong.core.identifiers import IdentifierError, normalize_account, validate_id_number
from yikatong.core.masking import mask_card, mask_id_number, mask_phone
from yikatong.regions.models import Region
from yikatong.regions.selectors import ancestors, subtree

from .models import BankAccount, PersonEvent, Person, ReferenceSnapshot, RegisterImport
from .permissions import COMPARE_ROLES, MAINTAIN_ROLES, REFERENCE_LOAD_ROLES, REVEAL_ROLES, VIEW_ROLES
from .reference import ReferenceHit, reference_hits

_MASKED_ID = re.compile(r"^(\d{4,17})\*+(\d{0,3}[\dX])$")
SEARCH_LIMIT = 50


def persons_for(actor) -> QuerySet[Person]:
    if actor is None or not actor.is_authenticated or not actor.has_role(*VIEW_ROLES):
        return Person.objects.none()
    return in_scope(Person.objects.all(), actor, "village")


@dataclass
class PersonRow:
    id: int
    name: str
    masked_id: str
    sex: str
    birth_date: dt.date
    village: str
    household: str
    status: str
    account: str


def _rows(persons) -> list[PersonRow]:
    v = vault()
    persons = list(persons)
    current = {a.person_id: a for a in BankAccount.objects.filter(person__in=persons, is_current=True)}
    return [
        PersonRow(p.pk, p.name, mask_id_number(v.decrypt(p.id_enc)), p.sex, p.birth_date, p.village.name,
                  p.household.number if p.household_id else "", p.get_status_display(),
                  mask_card(v.decrypt(current[p.pk].number_enc)) if p.pk in current else "")
        for p in persons
    ]


def search_persons(actor, query: str, *, limit: int = SEARCH_LIMIT) -> tuple[list[PersonRow], str]:
    """Search by name, full or masked ID number, account number, phone or household number.
    Returns (rows, how the query was understood)."""
    q = "".join(unicodedata.normalize("NFKC", query or "").split()).upper()
    base = persons_for(actor).select_related("village", "household").order_by("village_id", "name", "id")
    if not q:
        return [], ""
    v = vault()
    if len(q) == 18 and "*" not in q:
        try:
            number = validate_id_number(q)
            return _rows(base.filter(id_bidx=v.id_index(number))[:limit]), "按身份证号码查询"
        except IdentifierError:
            pass
    masked = _MASKED_ID.match(q)
    if masked and len(masked.group(2)) == 4:
        prefix, last4 = masked.groups()
        # only the first 4 and last 4 characters are matched, whatever else is typed: a longer prefix used
        # to narrow the result, an oracle that recovered a full ID number in about 42 queries (issue 13)
        found = base.filter(id_mask_bidx=v.mask_index(prefix[:4], last4))
        return _rows(list(found[:limit])), "按部分隐藏的身份证号码查询（只比对前4位与后4位）"
    if q.isdigit():
        digits = normalize_account(q)
        by_account = BankAccount.objects.filter(number_bidx=v.index(digits)).values("person_id")
        cond = Q(pk__in=by_account) | Q(household__number=q)
        if len(q) == 11 and q.startswith("1"):
            cond |= Q(phone_bidx=v.index(q))
        return _rows(base.filter(cond)[:limit]), "按账号、户号或电话查询"
    if q.isascii():
        return _rows(base.filter(household__number=q)[:limit]), "按户号查询"
    return _rows(base.filter(name__startswith=q)[:limit]), "按姓名查询"


@dataclass
class AccountView:
    account: BankAccount
    masked: str
    events: list


@dataclass
class PersonDetail:
    person: Person
    masked_id: str
    masked_phone: str
    age: int
    place: str
    members: list[Person]
    accounts: list[AccountView]
    events: list[PersonEvent]
    hits: list[ReferenceHit]
    can_reveal: bool
    can_maintain: bool


def person_detail(actor, person_id: int) -> PersonDetail | None:
    person = persons_for(actor).select_related("village", "household").filter(pk=person_id).first()
    if person is None:
        return None
    v = vault()
    number = v.decrypt(person.id_enc)
    today = dt.date.today()
    b = person.birth_date
    age = today.year - b.year - ((today.month, today.day) < (b.month, b.day))
    members = []
    if person.household_id:
        members = list(Person.objects.filter(household_id=person.household_id).order_by("-relation", "birth_date"))
        members.sort(key=lambda m: (m.relation != "户主", m.birth_date))
    accounts = BankAccount.objects.filter(person=person).prefetch_related("events").order_by("-is_current", "-id")
    return PersonDetail(
        person=person, masked_id=mask_id_number(number), masked_phone=mask_phone(v.decrypt(person.phone_enc)), age=age,
        place=" ".join(r.name for r in ancestors(person.village_id, include_self=True)[2:]),
        members=members,
        accounts=[AccountView(a, mask_card(v.decrypt(a.number_enc)), list(a.events.all())) for a in accounts],
        events=list(person.events.select_related("actor").all()),
        hits=reference_hits(number, place_code=person.village_id),
        can_reveal=actor.has_role(*REVEAL_ROLES),
        can_maintain=actor.has_role(*MAINTAIN_ROLES),
    )


def villages_for(actor) -> QuerySet[Region]:
    """Villages in the actor's subtree (for choosing a village in forms)."""
    prefix = actor.scope_prefix
    return subtree(prefix).filter(level=5) if prefix else Region.objects.none()


def townships_for(actor) -> QuerySet[Region]:
    prefix = actor.scope_prefix
    return subtree(prefix).filter(level=4) if prefix else Region.objects.none()


def imports_for(actor) -> QuerySet[RegisterImport]:
    if not actor.has_role(*MAINTAIN_ROLES, *REFERENCE_LOAD_ROLES):
        return RegisterImport.objects.none()
    return in_scope(RegisterImport.objects.select_related("region", "actor", "job"), actor, "region").defer("upload_enc")


def import_errors(imp: RegisterImport) -> list[dict]:
    """The stored (encrypted) error list of an import the caller got from imports_for."""
    return json.loads(vault().decrypt(imp.errors_enc)) if imp.errors_enc else []


def snapshots_for(actor) -> QuerySet[ReferenceSnapshot]:
    if not actor.has_role(*REFERENCE_LOAD_ROLES, *COMPARE_ROLES):
        return ReferenceSnapshot.objects.none()
    return in_scope(ReferenceSnapshot.objects.select_related("region", "loaded_by"), actor, "region")


def reference_hits_for(actor, id_number: str) -> list[ReferenceHit]:
    """Reference-data hits for one ID number, for roles that compare lists."""
    if not actor.has_role(*COMPARE_ROLES) or not actor.scope_prefix:
        return []
    return reference_hits(id_number, place_code=actor.scope_prefix)
