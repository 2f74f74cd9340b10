"""A clerk's writes on one person: life events, and revealing a full personal value (audited)."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from yikatong.audit.services import record
from yikatong.core.crypto import vault
from yikatong.core.identifiers import IdentifierError, validate_account_number

from ..choices import AccountKind, AccountStatus, EventKind, PersonStatus
from ..history import AccountSpec, Desired, Plan, plan_changes
from ..models import BankAccount, Person
from ..permissions import MAINTAIN_ROLES, REVEAL_ROLES, require_region, require_role

REVEALABLE = {"id_number": "身份证号码", "phone": "联系电话", "account": "账号"}


def _locked_person(actor, person_id: int, what: str) -> Person:
    person = Person.objects.select_for_update().filter(pk=person_id).first()
    if person is None:
        raise PermissionDenied("没有这个人员，或不在您的辖区")
    require_region(actor, person.village_id, what)
    return person


@transaction.atomic
def record_life_event(
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
        raise ValidationError("请填写信息来源（如：民政办死亡证明、派出所迁移证明、银行挂失补卡回执）")
    if effective_date > dt.date.today():
        raise ValidationError("生效日期不能晚于今天")
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
            raise ValidationError(str(exc)) from exc
        if kind == EventKind.CARD_REISSUE and account is not None:
            account.status = AccountStatus.LOST  # the old card was lost: the change is recorded as 挂失补卡
        want.account = AccountSpec(number=number, kind=account_kind, bank=bank)
    elif kind == EventKind.ACCOUNT_STATUS:
        if account is None or account_status not in AccountStatus.values:
            raise ValidationError("此人没有当前账户，或账户状态无效")
        want.account = AccountSpec(status=account_status)
    else:
        raise ValidationError("不支持的变动事项")
    want.status_date = effective_date
    plan = Plan(vault=vault(), source=source.strip(), effective=effective_date, actor=actor)
    if not plan_changes(plan, person, account, want):
        raise ValidationError("登记的内容与底册现有信息相同，没有变化")
    plan.save()
    Person.objects.filter(pk=person.pk).update(import_digest="")
    record(
        actor=actor, action="registry.life_event", obj=person,
        after={"kind": kind, "effective_date": effective_date.isoformat(), "source": source.strip()[:200],
               "events": [e.get_kind_display() for e in plan.events]},
    )
    return person


@transaction.atomic
def reveal(*, actor, person_id: int, field: str, account_id: int | None = None) -> str:
    """The full value of one personal field of one person; each reveal is an audit event."""
    require_role(actor, REVEAL_ROLES, "查看完整的个人信息")
    if field not in REVEALABLE:
        raise ValidationError("无效的字段")
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise PermissionDenied("没有这个人员，或不在您的辖区")
    require_region(actor, person.village_id, "查看")
    v = vault()
    if field == "id_number":
        value = v.decrypt(person.id_enc)
    elif field == "phone":
        value = v.decrypt(person.phone_enc)
    else:
        account = BankAccount.objects.filter(pk=account_id, person=person).first()
        if account is None:
            raise PermissionDenied("没有这个账户")
        value = v.decrypt(account.number_enc)
    record(
        actor=actor, action="registry.reveal", obj=person,
        after={"field": REVEALABLE[field], **({"account": account_id} if field == "account" else {})},
    )
    return value
