"""Changing a payee with history: every change becomes an event, a changed account a new row.

`Plan` collects the changes of many payees (unsaved objects) and saves them in bulk; the
register import and the life-event service both go through `plan_changes`, so an import and
a clerk's entry leave the same history.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from django.utils import timezone

from yikatong.core.crypto import Vault
from yikatong.core.masking import mask_card, mask_phone

from .choices import AccountEventKind, AccountKind, AccountStatus, EventKind, PersonStatus
from .models import AccountEvent, BankAccount, OrgPayee, Person, PersonEvent


@dataclass
class AccountSpec:
    """Desired account; empty strings keep the current value (number "" = no account given)."""

    number: str = ""
    kind: str = ""
    bank: str = ""
    holder: str = ""
    status: str = ""


@dataclass
class Desired:
    """Desired state of a payee; None / "" keep the current value."""

    name: str = ""
    village: str = ""
    household_id: int | None = None
    household_no: str = ""
    relation: str = ""
    phone: str = ""
    status: str = ""
    status_date: dt.date | None = None
    account: AccountSpec = field(default_factory=AccountSpec)


@dataclass
class Plan:
    vault: Vault
    source: str
    effective: dt.date
    actor: object = None
    register_import_id: int | None = None
    region_names: dict[str, str] = field(default_factory=dict)
    updated: dict[tuple[str, int], tuple[object, set[str]]] = field(default_factory=dict)
    events: list[PersonEvent] = field(default_factory=list)
    closed: list[BankAccount] = field(default_factory=list)
    opened: list[BankAccount] = field(default_factory=list)
    account_events: list[tuple[AccountEvent, BankAccount, PersonEvent | None]] = field(default_factory=list)

    # ---- building ------------------------------------------------------------------

    def _event(self, owner, kind: str, pending: dict, *, date: dt.date | None = None) -> PersonEvent:
        if kind not in pending:
            is_org = isinstance(owner, OrgPayee)
            pending[kind] = PersonEvent(
                person=None if is_org else owner, org=owner if is_org else None, kind=kind,
                effective_date=date or self.effective, source=self.source[:200], changes={},
                actor=self.actor if getattr(self.actor, "is_authenticated", False) else None,
                register_import_id=self.register_import_id,
            )
        return pending[kind]

    def _touch(self, owner, *fields: str) -> None:
        key = (type(owner).__name__, owner.pk)
        self.updated.setdefault(key, (owner, set()))[1].update(fields)

    def _region(self, code: str) -> str:
        if code not in self.region_names:
            from yikatong.regions.models import Region

            self.region_names[code] = Region.objects.filter(code=code).values_list("name", flat=True).first() or code
        return self.region_names[code]

    # ---- saving --------------------------------------------------------------------

    def save(self) -> None:
        now = timezone.now()
        by_model: dict[type, tuple[list, set[str]]] = {}
        for owner, fields in self.updated.values():
            owner.updated_at = now
            entry = by_model.setdefault(type(owner), ([], set()))
            entry[0].append(owner)
            entry[1].update(fields | {"updated_at"})
        for model, (objs, fields) in by_model.items():
            model.objects.bulk_update(objs, sorted(fields), batch_size=500)
        if self.closed:
            BankAccount.objects.bulk_update(self.closed, ["is_current", "status", "closed_on", "updated_at"], batch_size=500)
        BankAccount.objects.bulk_create(self.opened, batch_size=500)
        PersonEvent.objects.bulk_create(self.events, batch_size=500)
        rows = []
        for ev, account, pev in self.account_events:
            ev.account_id = account.pk
            ev.person_event_id = pev.pk if pev is not None else None
            rows.append(ev)
        AccountEvent.objects.bulk_create(rows, batch_size=500)


def plan_changes(plan: Plan, owner: Person | OrgPayee, account: BankAccount | None, want: Desired,
                 *, household_numbers: dict[int, str] | None = None) -> bool:
    """Add the changes that bring `owner` (and its current `account`) to `want`. True if any."""
    pending: dict[str, PersonEvent] = {}
    is_person = isinstance(owner, Person)
    if want.name and want.name != owner.name:
        _note(plan._event(owner, EventKind.CORRECTION, pending), "姓名", owner.name, want.name)
        owner.name = want.name
        plan._touch(owner, "name")
    region_field = "village_id" if is_person else "region_id"
    if want.village and want.village != getattr(owner, region_field):
        ev = plan._event(owner, EventKind.MOVE_IN, pending)
        _note(ev, "村(社区)", plan._region(getattr(owner, region_field)), plan._region(want.village))
        setattr(owner, region_field, want.village)
        plan._touch(owner, region_field)
        if is_person and owner.status == PersonStatus.MOVED_OUT and not want.status:
            want.status = PersonStatus.NORMAL
    if is_person:
        _person_fields(plan, owner, want, pending, household_numbers or {})
    _account(plan, owner, account, want.account, pending)
    plan.events.extend(pending.values())
    return bool(pending)


def _note(ev: PersonEvent, label: str, before, after) -> None:
    ev.changes[label] = {"before": before or "", "after": after or ""}


def _person_fields(plan: Plan, p: Person, want: Desired, pending: dict, household_numbers: dict[int, str]) -> None:
    v = plan.vault
    before_secret = {}
    if want.household_id and want.household_id != p.household_id:
        ev = plan._event(p, EventKind.CORRECTION, pending)
        _note(ev, "户号", household_numbers.get(p.household_id, ""), want.household_no)
        p.household_id = want.household_id
        plan._touch(p, "household")
    if want.relation and want.relation != p.relation:
        _note(plan._event(p, EventKind.CORRECTION, pending), "与户主关系", p.relation, want.relation)
        p.relation = want.relation
        plan._touch(p, "relation")
    if want.phone:
        old = v.decrypt(p.phone_enc)
        if old != want.phone:
            ev = plan._event(p, EventKind.CORRECTION, pending)
            _note(ev, "联系电话", mask_phone(old), mask_phone(want.phone))
            before_secret["phone"] = old
            p.phone_enc, p.phone_bidx = v.encrypt(want.phone), v.index(want.phone)
            plan._touch(p, "phone_enc", "phone_bidx")
    if before_secret:
        pending[EventKind.CORRECTION].before_enc = v.encrypt(json.dumps(before_secret))
    if want.status and want.status != p.status:
        old = p.status
        if want.status == PersonStatus.DECEASED:
            kind = EventKind.DEATH
        elif want.status == PersonStatus.MOVED_OUT:
            kind = EventKind.MOVE_OUT
        elif want.status == PersonStatus.NORMAL and old == PersonStatus.MOVED_OUT:
            kind = EventKind.MOVE_IN
        else:
            kind = EventKind.CORRECTION
        date = want.status_date or plan.effective
        ev = plan._event(p, kind, pending, date=date)
        ev.effective_date = date
        _note(ev, "人员状态", PersonStatus(old).label, PersonStatus(want.status).label)
        p.status, p.status_since = want.status, date
        plan._touch(p, "status", "status_since")


def _account(plan: Plan, owner, account: BankAccount | None, spec: AccountSpec, pending: dict) -> None:
    v = plan.vault
    if spec.number and (account is None or account.number_bidx != v.index(spec.number)):
        reissue = account is not None and account.status == AccountStatus.LOST
        ev = plan._event(owner, EventKind.CARD_REISSUE if reissue else EventKind.ACCOUNT_CHANGE, pending)
        old_no = v.decrypt(account.number_enc) if account is not None else ""
        _note(ev, "账号", mask_card(old_no), mask_card(spec.number))
        if account is not None:
            plan.account_events.append((_acc_event(plan, AccountEventKind.CLOSED, account.status, AccountStatus.CLOSED), account, ev))
            account.is_current, account.status, account.closed_on = False, AccountStatus.CLOSED, plan.effective
            account.updated_at = timezone.now()
            plan.closed.append(account)
        is_org = isinstance(owner, OrgPayee)
        default_kind = AccountKind.CORPORATE if is_org else AccountKind.SSC
        new = BankAccount(
            person=None if is_org else owner, org=owner if is_org else None,
            kind=spec.kind or (account.kind if account else default_kind), bank=spec.bank or (account.bank if account else ""),
            number_enc=v.encrypt(spec.number), number_bidx=v.index(spec.number), holder_name=spec.holder or owner.name,
            status=spec.status or AccountStatus.ACTIVE, is_current=True, opened_on=plan.effective,
            source_import_id=plan.register_import_id,
        )
        plan.opened.append(new)
        plan.account_events.append((_acc_event(plan, AccountEventKind.OPENED, "", new.status), new, ev))
        return
    if account is None:
        return
    if spec.status and spec.status != account.status:
        ev = plan._event(owner, EventKind.ACCOUNT_STATUS, pending)
        _note(ev, "账户状态", AccountStatus(account.status).label, AccountStatus(spec.status).label)
        plan.account_events.append((_acc_event(plan, AccountEventKind.STATUS, account.status, spec.status), account, ev))
        account.status = spec.status
        plan._touch(account, "status")
    fixes = [(f, getattr(spec, attr)) for f, attr in (("kind", "kind"), ("bank", "bank"), ("holder_name", "holder"))
             if getattr(spec, attr) and getattr(spec, attr) != getattr(account, f)]
    if fixes:
        ev = plan._event(owner, EventKind.CORRECTION, pending)
        labels = {"kind": "账户类型", "bank": "开户银行", "holder_name": "账户户名"}
        for f, value in fixes:
            before = AccountKind(account.kind).label if f == "kind" else getattr(account, f)
            _note(ev, labels[f], before, AccountKind(value).label if f == "kind" else value)
            setattr(account, f, value)
        plan.account_events.append((_acc_event(plan, AccountEventKind.CORRECTED, account.status, account.status), account, ev))
        plan._touch(account, *(f for f, _ in fixes))


def _acc_event(plan: Plan, kind: str, before: str, after: str) -> AccountEvent:
    return AccountEvent(
        kind=kind, status_before=before, status_after=after, effective_date=plan.effective, source=plan.source[:200],
        actor=plan.actor if getattr(plan.actor, "is_authenticated", False) else None,
    )
