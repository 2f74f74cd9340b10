"""One small engine for every state machine that moves money (roster batches, reissue batches,
payment orders).

A `Machine` names a model with a ``state`` column and a table of declared `Transition`s (name,
from, to, roles, guards, effects, audit event). `apply` is the only code that writes a state:

1. lock the row (``select_for_update``) and find the transition declared for its current state;
2. check who acts: a system transition (bank answers) only from a system caller, any other
   through the machine's ``authorize`` (roles, region, department);
3. a reason where the transition needs one; every guard, evaluated now, in this transaction;
4. a conditional UPDATE ``WHERE pk = … AND state = <from> [AND version = …]`` whose row count
   must be 1 (a concurrent writer makes it 0: refused, nothing written);
5. the declared effects (named writes; one that refuses rolls the whole step back);
6. the machine's ``after`` hook (e.g. the batch timeline) and one audit event.

Core knows no business app: the apps hand in their guards, effects, authorisation and audit
writer when they build their machine. Every refusal carries a stable code (core.refusals).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F

from .refusals import Problem, register_messages

SYSTEM = frozenset({"system"})
"""The roles of a transition taken by the system on a bank's answer: no user holds this role."""

register_messages({
    "TRANSITION_NOT_ALLOWED": "{obj}当前为“{state}”，不能执行“{action}”（可能已被他人处理）",
    "ROLE_NOT_ALLOWED": "您的角色不能{what}",
    "SYSTEM_ONLY": "“{label}”只能由系统根据银行回盘执行",
    "OUT_OF_SCOPE": "{obj}不在您的辖区内",
    "WRONG_DEPARTMENT": "{obj}由{department}审核，您不是该部门人员",
    "REASON_REQUIRED": "“{label}”必须填写理由",
    "CONCURRENT_CHANGE": "{obj}已被他人处理，请刷新后重试",
}, conflicts={"TRANSITION_NOT_ALLOWED", "CONCURRENT_CHANGE"})


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    roles: frozenset[str]
    label: str
    guards: tuple[str, ...] = ()
    needs_reason: bool = False
    effects: tuple[str, ...] = ()  # named writes made after the state update, same transaction
    is_return: bool = False
    event: str = ""  # audit action; default "<machine.audit_prefix>.<action>"

    @property
    def is_system(self) -> bool:
        return self.roles == SYSTEM


Check = Callable[..., "Problem | None"]


def _none(*_args, **_kwargs):
    return None


@dataclass(frozen=True)
class Machine:
    """One declared state machine. Callables receive keyword arguments (obj=, actor=, tr=, ...)."""

    name: str
    model: type
    table: Callable[[Any], list[Transition]]  # obj -> its transitions (a profile may switch steps on)
    refusal: type[Exception]  # raised as refusal(code, message); a core.refusals.Refusal subclass
    audit: Callable[..., Any]  # yikatong.audit.services.record
    audit_prefix: str
    describe: Callable[[Any], str] = str  # "批次 X" — names the object in messages
    state_label: Callable[[str], str] = str
    authorize: Check = _none  # (actor, obj, tr) -> Problem | None
    guard: Check = _none  # (name, obj, actor) -> Problem | None
    effect: Check = _none  # (name, obj, actor) -> Problem | None
    fields: Callable[..., dict] = lambda **_: {}  # (obj, tr) -> extra columns written with the state
    after: Callable[..., None] = _none  # (obj, tr, before, actor, reason) after the write, before audit
    version_field: str | None = None  # bumped by every transition and part of the conditional UPDATE
    lock_related: tuple[str, ...] = field(default_factory=tuple)

    def find(self, obj, action: str) -> Transition | None:
        for tr in self.table(obj):
            if tr.source == obj.state and tr.action == action:
                return tr
        return None

    def available(self, obj) -> list[Transition]:
        return [tr for tr in self.table(obj) if tr.source == obj.state]

    def require(self, obj, action: str) -> Transition:
        """The transition `action` declared from the object's current state, else the refusal
        TRANSITION_NOT_ALLOWED (for checks made before expensive work; `apply` checks again)."""
        tr = self.find(obj, action)
        if tr is None:
            raise self.refuse("TRANSITION_NOT_ALLOWED", obj=self.describe(obj), state=self.state_label(obj.state),
                              action=_action_label(self, obj, action))
        return tr

    def refuse(self, code: str, message: str | None = None, *, status: int = 409, **params):
        """The machine's refusal with its code. `status` is the HTTP answer the API gives it (read by
        web.errors): 403 for who may act, 400 for a missing reason, 409 (the default) for the state,
        a guard, an effect or a concurrent change."""
        exc = self.refusal(code, **params) if message is None else self.refusal(code, message)
        exc.http_status = status
        return exc


def apply(machine: Machine, *, actor, pk: int, action: str, reason: str = "", system: bool = False,
          fields: dict | None = None, audit_after: dict | None = None):
    """Run transition `action` on row `pk` of `machine` now; returns the refreshed row.

    `system=True` is passed only by code answering a bank (the actor, possibly None, is recorded).
    `fields` are other columns written by the same conditional UPDATE (e.g. released_by); they
    may not include the state. Raises machine.refusal with a stable code when refused."""
    reason = (reason or "").strip()
    extra = dict(fields or {})
    if "state" in extra or (machine.version_field and machine.version_field in extra):
        raise ValueError("the state and version are written by the engine only")
    with transaction.atomic():
        qs = machine.model.objects.select_for_update()
        if machine.lock_related:
            qs = qs.select_related(*machine.lock_related)
        obj = qs.get(pk=pk)
        tr = machine.require(obj, action)
        if tr.is_system:
            if not system:
                raise machine.refuse("SYSTEM_ONLY", label=tr.label, status=403)
        else:
            problem = machine.authorize(actor=actor, obj=obj, tr=tr)
            if problem is not None:
                raise machine.refuse(problem.code, problem.message, status=403)
        if tr.needs_reason and not reason:
            raise machine.refuse("REASON_REQUIRED", label=tr.label, status=400)
        problems = [p for name in tr.guards if (p := machine.guard(name=name, obj=obj, actor=actor)) is not None]
        if problems:
            raise machine.refuse(problems[0].code, "；".join(p.message for p in problems))
        before = obj.state
        where = {"pk": obj.pk, "state": before}
        values = {**machine.fields(obj=obj, tr=tr), **extra, "state": tr.target}
        if machine.version_field:
            where[machine.version_field] = getattr(obj, machine.version_field)
            values[machine.version_field] = F(machine.version_field) + 1
        if machine.model.objects.filter(**where).update(**values) != 1:
            raise machine.refuse("CONCURRENT_CHANGE", obj=machine.describe(obj))
        for name in tr.effects:
            problem = machine.effect(name=name, obj=obj, actor=actor)
            if problem is not None:
                raise machine.refuse(problem.code, problem.message)
        machine.after(obj=obj, tr=tr, before=before, actor=actor, reason=reason)
        after = {"state": tr.target, "reason": reason, **(audit_after or {})}
        machine.audit(actor=actor, action=tr.event or f"{machine.audit_prefix}.{action}", obj=obj,
                      before={"state": before}, after=after)
    obj.refresh_from_db()
    return obj


def _action_label(machine: Machine, obj, action: str) -> str:
    for tr in machine.table(obj):
        if tr.action == action:
            return tr.label
    return action
