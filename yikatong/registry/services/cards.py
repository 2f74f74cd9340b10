"""Writes on a person's social-security card: status from bank results, activation follow-ups.

Every status change goes through registry.history (a PersonEvent and an AccountEvent with the source
and the date), so the card status selector (registry.card_status) always knows where a status came from.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from yikatong.audit.services import record
from yikatong.core.crypto import vault
from yikatong.core.refusals import invalid

from .. import errors  # noqa: F401  (the refusal catalogue)
from ..card_status import CardStatus, card_status, card_statuses
from ..choices import AccountEventKind, AccountStatus, FollowUpResult
from ..fields import chunks
from ..history import AccountSpec, Desired, Plan, plan_changes
from ..models import AccountEvent, BankAccount, CardFollowUp, Person
from ..permissions import CARD_FOLLOWUP_ROLES, require_role
from .people import _locked_person


def _set_status(plan: Plan, person: Person, account: BankAccount, status: str) -> bool:
    return plan_changes(plan, person, account, Desired(account=AccountSpec(status=status)))


def _activate(plan: Plan, account: BankAccount, shown: CardStatus, confirmed: list[AccountEvent]) -> bool:
    """The card works (paid into, or activated at the bank): set it active. If the register already holds it
    active but a 人社 snapshot says otherwise, the date is recorded (a status row) so the newer fact wins."""
    if account.status != AccountStatus.ACTIVE:
        return _set_status(plan, account.person, account, AccountStatus.ACTIVE)
    if not shown.inactive:
        return False
    actor = plan.actor if getattr(plan.actor, "is_authenticated", False) else None
    confirmed.append(AccountEvent(account=account, kind=AccountEventKind.STATUS, status_before=shown.status,
                                  status_after=AccountStatus.ACTIVE, effective_date=plan.effective,
                                  source=plan.source[:200], actor=actor))
    return True


@transaction.atomic
def card_status_from_bank(*, actor, source: str, effective: dt.date,
                          failures: Iterable[tuple[int, str, str]] = (),
                          paid: Iterable[tuple[int, str]] = ()) -> dict:
    """The bank said what state a card is in: `failures` (person id, account blind index, AccountStatus)
    from failed lines whose reason names the card's state, `paid` (person id, account blind index) from
    paid lines. Only the person's current account with that very number changes: a failure sets its
    status, a payment sets an unusable card active. One audit event (counts, no numbers) when anything
    changed. Called by the payments ingest's job (actor None: the system)."""
    want: dict[tuple[int, str], str] = {}
    for person_id, bidx, status in failures:
        if person_id and bidx and status in AccountStatus.values:
            want[(person_id, bidx)] = status
    paid_keys = {(pid, bidx) for pid, bidx in paid if pid and bidx} - set(want)
    plan = Plan(vault=vault(), source=source[:200], effective=effective, actor=actor)
    changed = {"failed": 0, "activated": 0}
    confirmed: list[AccountEvent] = []  # paid into a card the register holds active: the date is recorded
    for keys, kind in ((list(want), "failed"), (list(paid_keys), "activated")):
        for chunk in chunks(sorted({pid for pid, _ in keys})):
            accounts = {(a.person_id, a.number_bidx): a for a in BankAccount.objects.select_for_update().filter(
                person_id__in=chunk, is_current=True).select_related("person").order_by("pk")}
            shown = card_statuses([a.person for a in accounts.values()]) if kind == "activated" else {}
            for key in keys:
                account = accounts.get(key)
                if account is None:
                    continue
                if kind == "failed":
                    done = _set_status(plan, account.person, account, want[key])
                else:
                    done = _activate(plan, account, shown[account.person_id], confirmed)
                changed[kind] += int(done)
    if changed["failed"] or changed["activated"]:
        plan.save()
        AccountEvent.objects.bulk_create(confirmed)
        record(actor=actor, action="registry.card_status.bank", object_type="registry.card_status",
               after={"source": source[:200], "effective_date": effective.isoformat(), **changed})
    return changed


@transaction.atomic
def card_followup_record(*, actor, person_id: int, contacted_on: dt.date, result: str, note: str = "") -> CardFollowUp:
    """激活跟进: who contacted the person, when, and the result; "activated" sets the current account active."""
    require_role(actor, CARD_FOLLOWUP_ROLES, "登记社保卡激活跟进")
    person = _locked_person(actor, person_id, "登记")
    note = (note or "").strip()
    if result not in FollowUpResult.values:
        raise invalid("CARD_FOLLOWUP_RESULT_UNKNOWN")
    if contacted_on > dt.date.today():
        raise invalid("CARD_FOLLOWUP_FUTURE_DATE")
    if result == FollowUpResult.OTHER and not note:
        raise invalid("CARD_FOLLOWUP_NOTE_REQUIRED")
    account = BankAccount.objects.select_for_update().filter(person=person, is_current=True).first()
    if account is None:
        raise invalid("CARD_NO_ACCOUNT")
    followup = CardFollowUp.objects.create(person=person, account=account, contacted_on=contacted_on, result=result,
                                           note=note[:200], actor=actor)
    activated = False
    if result == FollowUpResult.ACTIVATED:
        plan = Plan(vault=vault(), source=f"激活跟进：{note or '已激活'}"[:200], effective=contacted_on, actor=actor)
        confirmed: list[AccountEvent] = []
        account.person = person
        activated = _activate(plan, account, card_status(person), confirmed)
        plan.save()
        AccountEvent.objects.bulk_create(confirmed)
    record(actor=actor, action="registry.card_followup", obj=person,
           after={"contacted_on": contacted_on.isoformat(), "result": result, "note": note[:200],
                  "account_activated": activated})
    return followup

