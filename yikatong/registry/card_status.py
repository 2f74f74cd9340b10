"""Social-security-card status per person (社保卡状态), read from two sources:

* the account's own status in the register: as registered (import, account opening), or as last changed
  by a life event, a bank result (a failed payment with E03/E04/E05, a later successful one) or an
  activation follow-up — each change an AccountEvent row with its source and date (registry.services.cards);
* the latest current 人社 snapshot (dataset ssc_status) covering the person's village: its row's
  normalised status (ReferenceRecord.status). A row naming another card than the current account is
  about an old card and is ignored.

The snapshot wins over a status merely registered, and over a recorded change older than its date; on the
same day the recorded change does. Reads only: no actor here,
callers pass persons they got from a scoped selector.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from yikatong.regions.selectors import code_prefix

from .choices import INACTIVE_ACCOUNT_STATUSES, AccountEventKind, AccountStatus, DatasetKind
from .fields import chunks
from .models import AccountEvent, BankAccount, Person, ReferenceRecord

REGISTER = "register"
REFERENCE = "reference"


@dataclass(frozen=True)
class CardStatus:
    person_id: int
    account: BankAccount | None
    status: str  # an AccountStatus value; "" when the person has no current account
    source: str  # where the status comes from (信息来源), for display
    since: dt.date | None
    origin: str  # REGISTER or REFERENCE

    @property
    def label(self) -> str:
        return AccountStatus(self.status).label if self.status else "无账户"

    @property
    def inactive(self) -> bool:
        return self.status in INACTIVE_ACCOUNT_STATUSES


def _last_status_events(account_ids: list[int]) -> dict[int, tuple[dt.date, str]]:
    found: dict[int, tuple[dt.date, str]] = {}
    for chunk in chunks(account_ids):
        rows = (AccountEvent.objects.filter(account_id__in=chunk, kind=AccountEventKind.STATUS)
                .order_by("account_id", "effective_date", "id").values_list("account_id", "effective_date", "source"))
        for account_id, date, source in rows:
            found[account_id] = (date, source)
    return found


def _references(persons: list[Person]) -> dict[str, tuple[dt.date, str, str, str]]:
    """id_bidx -> (as_of, status, account_bidx, agency) of the newest current ssc_status row covering the person."""
    villages = {p.id_bidx: p.village_id for p in persons}
    found: dict[str, tuple[dt.date, str, str, str]] = {}
    for chunk in chunks(villages):
        rows = ReferenceRecord.objects.filter(
            id_bidx__any=chunk, snapshot__is_current=True, snapshot__dataset=DatasetKind.SSC_STATUS,
        ).exclude(status="").values_list("id_bidx", "status", "account_bidx", "snapshot__as_of",
                                         "snapshot__source_agency", "snapshot__region_id")
        for bidx, status, account_bidx, as_of, agency, region in rows:
            if not villages[bidx].startswith(code_prefix(region)) or status not in AccountStatus.values:
                continue
            if bidx not in found or as_of > found[bidx][0]:
                found[bidx] = (as_of, status, account_bidx, agency)
    return found


def card_statuses(persons) -> dict[int, CardStatus]:
    """person id -> CardStatus, for persons the caller already scoped (a list or queryset)."""
    persons = list(persons)
    accounts = {}
    for chunk in chunks([p.pk for p in persons]):
        for a in BankAccount.objects.filter(person_id__in=chunk, is_current=True):
            accounts[a.person_id] = a
    events = _last_status_events([a.pk for a in accounts.values()])
    refs = _references(persons)
    out = {}
    for p in persons:
        account = accounts.get(p.pk)
        if account is None:
            out[p.pk] = CardStatus(p.pk, None, "", "", None, REGISTER)
            continue
        changed = events.get(account.pk)  # the last recorded status change (bank, follow-up, life event)
        since, source = changed or (account.opened_on, "底册登记")
        status = CardStatus(p.pk, account, account.status, source, since, REGISTER)
        ref = refs.get(p.id_bidx)
        if ref is not None and (not ref[2] or ref[2] == account.number_bidx) and (changed is None or ref[0] > since):
            status = CardStatus(p.pk, account, ref[1], f"{ref[3]}社保卡状态数据（截至{ref[0]:%Y-%m-%d}）", ref[0],
                                REFERENCE)
        out[p.pk] = status
    return out


def card_status(person: Person) -> CardStatus:
    return card_statuses([person])[person.pk]


def inactive_candidates(persons: QuerySet[Person]) -> QuerySet[Person]:
    """The persons (of a scoped queryset) whose card may be unusable: an unusable current account in the
    register, or an unusable status in a current 人社 snapshot. Everyone else is certainly usable, so the
    exact (dated) comparison runs on these few only."""
    unusable = list(INACTIVE_ACCOUNT_STATUSES)
    accounts = BankAccount.objects.filter(is_current=True, status__in=unusable, person__isnull=False).values("person_id")
    refs = ReferenceRecord.objects.filter(snapshot__is_current=True, snapshot__dataset=DatasetKind.SSC_STATUS,
                                          status__in=unusable).values("id_bidx")
    return persons.filter(Q(pk__in=accounts) | Q(id_bidx__in=refs))


def inactive_cards(persons: QuerySet[Person]) -> list[tuple[Person, CardStatus]]:
    """The persons (a scoped queryset) whose card is not usable — not activated, frozen, lost or closed —
    with their status, in the queryset's order."""
    out = []
    candidates = inactive_candidates(persons).select_related("village", "household")
    pks = list(candidates.values_list("pk", flat=True))
    for chunk in chunks(pks, size=2000):
        batch = list(candidates.filter(pk__in=chunk))
        statuses = card_statuses(batch)
        out.extend((p, statuses[p.pk]) for p in batch if statuses[p.pk].inactive)
    return out
