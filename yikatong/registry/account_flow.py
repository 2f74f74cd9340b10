"""The state machine of account change requests (账户变更申请) on the shared engine (core.statemachine):

    pending ──approve (township finance office, not the requester)──▶ approved ──apply (system, on the
    effective date)──▶ applied          pending ──refuse (reason; not the requester)──▶ refused

`apply` closes the old account and opens the new current one through registry.history (history rows with
the request as source); it runs at approval when the effective date is today or past, else from the
daily schedule (registry.tasks.account_changes_apply_job).
"""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from yikatong.accounts.scope import region_in_scope
from yikatong.audit.services import record
from yikatong.core.crypto import vault
from yikatong.core.refusals import Problem
from yikatong.core.statemachine import SYSTEM, Machine, Transition
from yikatong.core.statemachine import apply as apply_transition

from .choices import AccountChangeState as S
from .errors import AccountChangeRefused
from .history import AccountSpec, Desired, Plan, plan_changes
from .models import AccountChangeRequest, BankAccount
from .permissions import ACCOUNT_CHANGE_APPROVE_ROLES

APPROVERS = frozenset(str(r) for r in ACCOUNT_CHANGE_APPROVE_ROLES)

TRANSITIONS = (
    Transition(S.PENDING, "approve", S.APPROVED, APPROVERS, "批准账户变更", guards=("four_eyes",),
               event="registry.account_change.approve"),
    Transition(S.PENDING, "refuse", S.REFUSED, APPROVERS, "不予批准账户变更", guards=("four_eyes",),
               needs_reason=True, event="registry.account_change.refuse"),
    Transition(S.APPROVED, "apply", S.APPLIED, SYSTEM, "账户变更生效", guards=("due",), effects=("open_account",),
               event="registry.account_change.apply"),
)


def _describe(req: AccountChangeRequest) -> str:
    return f"账户变更申请 #{req.pk} "


def _authorize(*, actor, obj: AccountChangeRequest, tr: Transition) -> Problem | None:
    if actor is None or not actor.is_authenticated or not actor.has_role(*tr.roles):
        return Problem("REGISTRY_ROLE_NOT_ALLOWED", what=tr.label)
    if not region_in_scope(actor, obj.person.village_id):
        return Problem("ACCOUNT_CHANGE_NOT_IN_SCOPE")
    return None


def _guard(*, name: str, obj: AccountChangeRequest, actor) -> Problem | None:
    if name == "four_eyes":  # whoever asked for the change never decides it
        if actor is not None and actor.pk == obj.requested_by_id:
            return Problem("ACCOUNT_CHANGE_FOUR_EYES")
        return None
    if name == "due":
        if obj.effective_date > timezone.localdate():
            return Problem("ACCOUNT_CHANGE_NOT_DUE", pk=obj.pk, date=obj.effective_date.isoformat())
        return None
    raise KeyError(name)


def _open_account(obj: AccountChangeRequest, actor) -> Problem | None:
    """Close the person's current account and open the requested one (history rows, request as source)."""
    person = obj.person
    current = BankAccount.objects.select_for_update().filter(person=person, is_current=True).first()
    if (current.pk if current else None) != obj.old_account_id:
        return Problem("ACCOUNT_CHANGE_OLD_ACCOUNT_CHANGED")
    v = vault()
    plan = Plan(vault=v, source=f"账户变更申请 #{obj.pk}：{obj.reason}"[:200], effective=obj.effective_date,
                actor=actor)
    spec = AccountSpec(number=v.decrypt(obj.number_enc), kind=obj.kind, bank=obj.bank, holder=obj.holder_name,
                       status="active")
    if not plan_changes(plan, person, current, Desired(account=spec)):
        return Problem("ACCOUNT_CHANGE_SAME_ACCOUNT")
    plan.save()
    new = BankAccount.objects.get(person=person, is_current=True)
    AccountChangeRequest.objects.filter(pk=obj.pk).update(new_account=new, applied_at=timezone.now())
    return None


def _effect(*, name: str, obj: AccountChangeRequest, actor) -> Problem | None:
    if name == "open_account":
        return _open_account(obj, actor)
    raise KeyError(name)


ACCOUNT_CHANGES = Machine(
    name="account_change", model=AccountChangeRequest, table=lambda obj: list(TRANSITIONS),
    refusal=AccountChangeRefused, audit=record, audit_prefix="registry.account_change", describe=_describe,
    state_label=lambda s: S(s).label, authorize=_authorize, guard=_guard, effect=_effect,
    lock_related=("person",),
)


def account_change_transition(*, actor, request_id: int, action: str, reason: str = "", system: bool = False,
                              fields: dict | None = None, audit_after: dict | None = None) -> AccountChangeRequest:
    return apply_transition(ACCOUNT_CHANGES, actor=actor, pk=request_id, action=action, reason=reason,
                            system=system, fields=fields, audit_after=audit_after)


def is_due(req: AccountChangeRequest, today: dt.date | None = None) -> bool:
    return req.effective_date <= (today or timezone.localdate())
