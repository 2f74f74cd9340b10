"""Reads of the social-security-card pages: the pre-payment list of unusable cards per township
(发放前社保卡状态清单), a person's card status and follow-ups, a person's account history. Always
through the actor's scope (selectors.persons_for); account numbers masked."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from yikatong.core.crypto import vault
from yikatong.core.masking import mask_card, mask_id_number

from .card_status import CardStatus, card_status, inactive_cards
from .choices import PersonStatus
from .models import AccountChangeRequest, CardFollowUp, Person
from .selectors import persons_for, townships_for


@dataclass(frozen=True)
class CardRow:
    person_id: int
    name: str
    masked_id: str
    village: str
    household: str
    kind: str
    bank: str
    masked_account: str
    status: str
    status_label: str
    source: str
    since: dt.date | None
    followup: str  # the last follow-up: date and result


def township_choices(actor) -> list[tuple[str, str]]:
    """Townships the actor may list; a township user has exactly theirs."""
    return [(t.code, t.name) for t in townships_for(actor).order_by("code")]


def _persons(actor, township_code: str):
    qs = persons_for(actor).filter(status=PersonStatus.NORMAL)
    region = actor.region
    if region is not None and region.level >= 4:
        return qs  # a township (or village) user: their own subtree
    if not township_code or township_code not in dict(township_choices(actor)):
        return None  # a county user lists one township at a time
    return qs.filter(village__code__startswith=township_code[:9])


def card_list(actor, *, township_code: str = "") -> list[CardRow] | None:
    """The persons of one township whose card is not activated, frozen, lost or closed; None when a
    township must be chosen first."""
    persons = _persons(actor, township_code)
    if persons is None:
        return None
    found = inactive_cards(persons.order_by("village_id", "name", "id"))
    last = {}
    for f in CardFollowUp.objects.filter(person_id__in=[p.pk for p, _ in found]).order_by("contacted_on", "id"):
        last[f.person_id] = f"{f.contacted_on:%Y-%m-%d} {f.get_result_display()}"
    v = vault()
    return [
        CardRow(p.pk, p.name, mask_id_number(v.decrypt(p.id_enc)), p.village.name,
                p.household.number if p.household_id else "", s.account.get_kind_display(), s.account.bank,
                mask_card(v.decrypt(s.account.number_enc)), s.status, s.label, s.source, s.since, last.get(p.pk, ""))
        for p, s in found
    ]


def card_count(actor) -> int:
    """How many persons of the actor's township hold an unusable card (the to-do count): the exact
    comparison runs on the few candidates only."""
    persons = _persons(actor, "")
    if persons is None:
        return 0
    return len(inactive_cards(persons))


@dataclass
class PersonCards:
    person: Person
    status: CardStatus
    followups: list[CardFollowUp]
    changes: list[AccountChangeRequest]


def person_cards(actor, person_id: int) -> PersonCards | None:
    person = persons_for(actor).select_related("village").filter(pk=person_id).first()
    if person is None:
        return None
    return PersonCards(
        person=person, status=card_status(person),
        followups=list(CardFollowUp.objects.filter(person=person).select_related("actor")),
        changes=list(AccountChangeRequest.objects.filter(person=person).defer("attachment_enc")
                     .select_related("requested_by", "decided_by", "old_account", "new_account")),
    )
