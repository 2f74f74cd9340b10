"""The state machine of a published list on the shared engine (core.statemachine):
    published ──withdraw (政务公开管理员, reason)──▶ withdrawn
A withdrawn list stays on the public pages, marked 已撤回 with its reason."""
from __future__ import annotations

from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.accounts.scope import region_in_scope
from yikatong.audit.services import record
from yikatong.core.refusals import Problem
from yikatong.core.statemachine import Machine, Transition

from .errors import DisclosureError
from .models import ListState, PublishedList

ADMINS = frozenset({str(Role.DISCLOSURE_ADMIN)})

TRANSITIONS = (
    Transition(ListState.PUBLISHED, "withdraw", ListState.WITHDRAWN, ADMINS, "撤回名单", needs_reason=True,
               event="disclosure.list.withdraw"),
)


def _authorize(*, actor, obj: PublishedList, tr: Transition) -> Problem | None:
    if actor is None or not actor.is_authenticated or not actor.has_role(*tr.roles):
        return Problem("LIST_ROLE_NOT_ALLOWED", what=tr.label)
    if not region_in_scope(actor, obj.batch.region.code):
        return Problem("LIST_NOT_FOUND")
    return None


MACHINE = Machine(
    name="published_list", model=PublishedList, table=lambda obj: list(TRANSITIONS), refusal=DisclosureError,
    audit=record, audit_prefix="disclosure.list", describe=lambda obj: f"名单 {obj.title}（第{obj.version}版）",
    state_label=lambda s: ListState(s).label, authorize=_authorize,
    fields=lambda obj, tr: {"withdrawn_at": timezone.now()}, lock_related=("batch__region",),
)
