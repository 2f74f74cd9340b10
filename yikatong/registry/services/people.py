"""A clerk's writes on one person: life events, and revealing a full personal value (audited)."""
from __future__ import annotations

import datetime as dt

from django.db import transaction

from yikatong.audit.services import record
from yikatong.core.crypto import vault
from yikatong.core.identifiers import IdentifierError, validate_account_number
from yikatong.core.refusals import Forbidden, invalid

from .. import errors  # noqa: F401  (the refusal catalogue)

from ..choices import AccountKind, AccountStatus, EventKind, PersonStatus
from ..history import AccountSpec, Desired, Plan, plan_changes
from ..models import BankAccount, Person
from ..permissions import MAINTAIN_ROLES, REVEAL_ROLES, require_region, require_role

REVEALABLE = {"id_number": "身份证号码", "phone": "联系电话", "account": "账号"}


def _locked_person(actor, person_id: int, what: str) -> Person:
    person = Person.objects.select_for_update().filter(pk=person_id).first()
    if person is None:
        raise Forbidden("PERSON_NOT_IN_SCOPE")
    require_region(actor, person.village_id, what)
    return person


@transaction.atomic
def life_event_record(
    *,
    actor,
    person_id: int,
    kind: str,
    effective_date: dt.date,
    source: str,
    village_code: str = "",
    account_no: str = "",
    account_kind: str = "",
    bank: str = "",
    account_status: str = "",
) -> Person:
    """迁入 / 迁出 / 死亡 / 账户变更 / 挂失补卡 / 账户状态变更 for one person, with history."""
    require_role(actor, MAINTAIN_ROLES, "登记人员变动")
    person = _locked_person(actor, person_id, "登记")
    if not source.strip():
        raise invalid("LIFE_EVENT_SOURCE_REQUIRED")
    if effective_date > dt.date.today():
        raise invalid("LIFE_EVENT_FUTURE_DATE")
    account = BankAccount.objects.select_for_update().filter(person=person, is_current=True).first()
    want = Desired()
    if kind == EventKind.DEATH:
        want.status = PersonStatus.DECEASED
    elif kind == EventKind.MOVE_OUT:
        want.status = PersonStatus.MOVED_OUT
    elif kind == EventKind.MOVE_IN:
        if village_code:
            require_region(actor, village_code, "迁入")
        want.status, want.village = PersonStatus.NORMAL, village_code
    elif kind in (EventKind.ACCOUNT_CHANGE, EventKind.CARD_REISSUE):
        kind_ = account_kind or (account.kind if account else AccountKind.SSC)
        try:
            number = validate_account_number(account_no.strip(), card=kind_ in (AccountKind.SSC, AccountKind.BANK_CARD))
        except IdentifierError as exc:
            raise invalid("LIFE_EVENT_ACCOUNT_INVALID", problem=str(exc)) from exc
        if kind == EventKind.CARD_REISSUE and account is not None:
            account.status = AccountStatus.LOST  # the old card was lost: the change is recorded as 挂失补卡
        want.account = AccountSpec(number=number, kind=account_kind, bank=bank)
    elif kind == EventKind.ACCOUNT_STATUS:
        if account is None or account_status not in AccountStatus.values:
            raise invalid("LIFE_EVENT_ACCOUNT_STATUS_INVALID")
        want.account = AccountSpec(status=account_status)
    else:
        raise invalid("LIFE_EVENT_KIND_UNKNOWN")
    want.status_date = effective_date
    plan = Plan(vault=vault(), source=source.strip(), effective=effective_date, actor=actor)
    if not plan_changes(plan, person, account, want):
        raise invalid("LIFE_EVENT_NO_CHANGE")
    plan.save()
    Person.objects.filter(pk=person.pk).update(import_digest="")
    record(
        actor=actor, action="registry.life_event", obj=person,
        after={"kind": kind, "effective_date": effective_date.isoformat(), "source": source.strip()[:200],
               "events": [e.get_kind_display() for e in plan.events]},
    )
    return person


@transaction.atomic
def person_field_reveal(*, actor, person_id: int, field: str, account_id: int | None = None) -> str:
    """The full value of one personal field of one person; each reveal is an audit event."""
    require_role(actor, REVEAL_ROLES, "查看完整的个人信息")
    if field not in REVEALABLE:
        raise invalid("REVEAL_FIELD_UNKNOWN")
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise Forbidden("PERSON_NOT_IN_SCOPE")
    require_region(actor, person.village_id, "查看")
    v = vault()
    if field == "id_number":
        value = v.decrypt(person.id_enc)
    elif field == "phone":
        value = v.decrypt(person.phone_enc)
    else:
        account = BankAccount.objects.filter(pk=account_id, person=person).first()
        if account is None:
            raise Forbidden("PERSON_ACCOUNT_NOT_FOUND")
        value = v.decrypt(account.number_enc)
    record(
        actor=actor, action="registry.reveal", obj=person,
        after={"field": REVEALABLE[field], **({"account": account_id} if field == "account" else {})},
    )
    return value
