"""The only way a batch changes state: `apply` runs one transition of the profile's table
under a row lock, checks roles, scope and guards, and writes the timeline and the audit event."""
from django.apps import apps
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.accounts.scope import region_in_scope
from yikatong.audit.services import record
from yikatong.core import calendar
from yikatong.core.profiles import get_profile

from . import flows, guards
from .errors import TransitionRefused
from .models import Batch, BatchEvent

DEPARTMENT_ROLES = frozenset({Role.DEPT_REVIEWER, Role.DEPT_HEAD})
# Steps after which the batch's items are cross-checked (大数据比对) in the background.
CHECK_ON = frozenset({"send_compare", "submit", "resubmit"})


def may_act(actor, batch: Batch, tr: flows.Transition) -> str | None:
    """None if `actor` may run `tr` on `batch`, else the reason (Chinese)."""
    if not actor.has_role(*tr.roles):
        return f"您的角色不能执行“{tr.label}”"
    if not region_in_scope(actor, batch.region_id):
        return f"批次 {batch.code} 不在您的辖区内"
    acting_roles = actor.role_set & tr.roles
    if acting_roles and acting_roles <= DEPARTMENT_ROLES and actor.organization_id != batch.department_id:
        return f"批次 {batch.code} 由{batch.department.name}审核，您不是该部门人员"
    return None


def due_date_for(profile, state: str, today=None):
    days = flows.due_working_days(profile, state)
    if not days:
        return None
    return calendar.add_working_days(today or timezone.localdate(), days)


def apply(*, actor, batch_id: int, action: str, reason: str = "") -> Batch:
    reason = (reason or "").strip()
    with transaction.atomic():
        batch = Batch.objects.select_for_update().select_related("department").get(pk=batch_id)
        profile = get_profile(batch.profile_code)
        tr = flows.find(profile, batch.state, action)
        if tr is None:
            raise TransitionRefused(f"批次 {batch.code} 当前为“{flows.state_label(batch.state)}”，不能执行该操作（可能已被他人处理）")
        refusal = may_act(actor, batch, tr)
        if refusal:
            raise TransitionRefused(refusal)
        if tr.needs_reason and not reason:
            raise TransitionRefused("退回必须填写理由")
        problems = [m for g in tr.guards if (m := guards.check(g, batch=batch, profile=profile, actor=actor))]
        if problems:
            raise TransitionRefused(problems[0].code, "；".join(m.message for m in problems))
        before = batch.state
        updated = Batch.objects.filter(pk=batch.pk, state=before, version=batch.version).update(
            state=tr.target, state_since=timezone.now(), due_date=due_date_for(profile, tr.target),
            version=F("version") + 1,
        )
        if updated != 1:  # belt and braces: the row lock already serialises writers
            raise TransitionRefused(f"批次 {batch.code} 已被他人处理，请刷新后重试")
        for name in tr.effects:
            problem = guards.run_effect(name, batch=batch, profile=profile, actor=actor)
            if problem:
                raise TransitionRefused(problem.code, problem.message)
        BatchEvent.objects.create(
            batch=batch, action=action, label=tr.label, from_state=before, to_state=tr.target, actor=actor, reason=reason
        )
        if action in CHECK_ON and apps.is_installed("yikatong.checks"):
            from yikatong.checks.jobs import enqueue_batch_check  # incremental cross-checks, queued on commit

            enqueue_batch_check(actor=actor, batch_id=batch.pk)
        record(
            actor=actor, action=f"rosters.{action}", obj=batch,
            before={"state": before}, after={"state": tr.target, "reason": reason},
        )
        from yikatong.core.faults import fault_point  # crash tests: core/tests/test_faults.py
        fault_point("rosters.transition.after_update")
    batch.refresh_from_db()
    return batch


def actions_for(actor, batch: Batch) -> list[flows.Transition]:
    """Transitions the actor could try now (guards are checked when applied)."""
    profile = get_profile(batch.profile_code)
    return [tr for tr in flows.available(profile, batch.state) if may_act(actor, batch, tr) is None]
