"""Batch transitions of the payment leg taken by the system on a bank answer (roles "system").

Same table as every other step (rosters.flows), same timeline and audit event; only the role
check is replaced by the check that the transition belongs to the system.
"""
from django.db.models import F
from django.utils import timezone

from yikatong.audit.services import record
from yikatong.core.profiles import get_profile
from yikatong.rosters import flows, guards
from yikatong.rosters.errors import TransitionRefused
from yikatong.rosters.models import Batch, BatchEvent


def system_apply(*, actor, batch_id: int, action: str, reason: str = "") -> Batch:
    """Run a system transition inside the caller's transaction. `actor` (may be None) is recorded."""
    batch = Batch.objects.select_for_update().get(pk=batch_id)
    profile = get_profile(batch.profile_code)
    tr = flows.find(profile, batch.state, action)
    if tr is None or tr.roles != flows.SYSTEM:
        raise TransitionRefused(f"批次 {batch.code} 当前为“{flows.state_label(batch.state)}”，不能由系统执行“{action}”")
    problems = [m for g in tr.guards if (m := guards.check(g, batch=batch, profile=profile, actor=actor))]
    if problems:
        raise TransitionRefused(problems[0].code, "；".join(m.message for m in problems))
    before = batch.state
    Batch.objects.filter(pk=batch.pk, state=before).update(
        state=tr.target, state_since=timezone.now(), due_date=None, version=F("version") + 1)
    user = actor if getattr(actor, "is_authenticated", False) else None
    BatchEvent.objects.create(batch=batch, action=action, label=tr.label, from_state=before, to_state=tr.target,
                              actor=user, reason=reason)
    record(actor=actor, action=f"rosters.{action}", obj=batch, before={"state": before},
           after={"state": tr.target, "reason": reason})
    batch.refresh_from_db()
    return batch


def try_close(*, actor, batch: Batch) -> bool:
    """Close a partly failed batch once every failure is paid by reissue or written off; then its parent."""
    closed = False
    while batch is not None:
        if batch.state == "partly_failed":
            profile = get_profile(batch.profile_code)
            if guards.check("failures_settled", batch=batch, profile=profile, actor=actor) is not None:
                return closed
            system_apply(actor=actor, batch_id=batch.pk, action="close", reason="失败明细均已补发成功或核销")
            closed = True
        elif batch.state not in ("paid", "closed"):
            return closed
        batch = batch.parent
    return closed
