"""The only way a batch (roster or reissue) changes state: `batch_transition` runs one transition of the
profile's table (rosters.flows) through the shared engine (core.statemachine): row lock, roles,
scope and department, reason, guards, a conditional UPDATE on the current state and version whose
row count is checked, effects, the timeline and one audit event — all in one transaction.

Transitions taken by the system on a bank's answer (roles ``SYSTEM``) go through the same `batch_transition`
with ``system=True``; no screen can run them."""
from django.utils import timezone

from yikatong.audit.services import record
from yikatong.core import calendar
from yikatong.core.profiles import get_profile
from yikatong.core.refusals import Problem
from yikatong.core.statemachine import Machine
from yikatong.core.statemachine import apply as apply_transition

from . import errors, flows, guards, hooks, scope  # noqa: F401  (errors registers the messages)
from .errors import TransitionRefused
from .models import Batch, BatchEvent


def describe(batch: Batch) -> str:
    return f"批次 {batch.code} "


def authorize(*, actor, obj: Batch, tr: flows.Transition) -> Problem | None:
    """None if `actor` may run `tr` on batch `obj`, else the Problem: NOT_AUTHENTICATED, ROLE_NOT_ALLOWED, or
    the one scoping answer (rosters.scope: region AND owning department / own station / township)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return Problem("NOT_AUTHENTICATED")
    if not actor.has_role(*tr.roles):
        return Problem("ROLE_NOT_ALLOWED", what=f"执行“{tr.label}”")
    answer = scope.refusal(actor, obj, tr.roles, what=f"执行“{tr.label}”")
    return Problem(answer.code, answer.message) if answer is not None else None


def due_date_for(profile, state: str, today=None):
    days = flows.due_working_days(profile, state)
    if not days:
        return None
    return calendar.add_working_days(today or timezone.localdate(), days)


def _table(batch: Batch):
    return flows.transitions_for(get_profile(batch.profile_code))


def _guard(*, name, obj, actor):
    return guards.check(name, batch=obj, profile=get_profile(obj.profile_code), actor=actor)


def _effect(*, name, obj, actor):
    return guards.run_effect(name, batch=obj, profile=get_profile(obj.profile_code), actor=actor)


def _fields(*, obj, tr):
    return {"state_since": timezone.now(), "due_date": due_date_for(get_profile(obj.profile_code), tr.target)}


def _after(*, obj, tr, before, actor, reason):
    user = actor if getattr(actor, "is_authenticated", False) else None
    BatchEvent.objects.create(batch=obj, action=tr.action, label=tr.label, from_state=before, to_state=tr.target,
                              actor=user, reason=reason)
    hooks.after_transition(actor=actor, batch=obj, action=tr.action)  # e.g. checks queues its incremental run
    from yikatong.core.faults import fault_point  # crash tests: core/tests/test_faults.py

    fault_point("rosters.transition.after_update")  # killed here: the transaction, state included, is lost


BATCHES = Machine(
    name="batch", model=Batch, table=_table, refusal=TransitionRefused, audit=record, audit_prefix="rosters",
    describe=describe, state_label=flows.state_label, authorize=authorize, guard=_guard, effect=_effect,
    fields=_fields, after=_after, version_field="version", lock_related=("department",),
)


def batch_transition(*, actor, batch_id: int, action: str, reason: str = "", system: bool = False) -> Batch:
    """Run `action` on the batch now. `system=True` only from code answering a bank."""
    try:
        return apply_transition(BATCHES, actor=actor, pk=batch_id, action=action, reason=reason, system=system)
    except TransitionRefused as exc:
        # e.g. BLOCKING_FINDINGS_OPEN: the refused step rolled back the findings its inline check wrote;
        # checks stores them again, outside it, so the department can dispose of them
        hooks.after_refusal(code=exc.code, batch_id=batch_id)
        raise


def actions_for(actor, batch: Batch) -> list[flows.Transition]:
    """Transitions the actor could try now (guards are checked when applied)."""
    return [tr for tr in BATCHES.available(batch)
            if not tr.is_system and authorize(actor=actor, obj=batch, tr=tr) is None]
