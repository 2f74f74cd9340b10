"""The complaint's states through the one engine (core.statemachine):
received → assigned (受理) → answered (答复) → closed (办结); a reply may also close at once."""
from yikatong.audit.services import record
from yikatong.core.refusals import Problem
from yikatong.core.statemachine import Machine, Transition

from . import complaints_scope
from .errors import DisclosureError
from .models.complaints import Complaint, ComplaintState as S

_R = complaints_scope.HANDLER_ROLES
TRANSITIONS = [
    Transition(S.RECEIVED, "assign", S.ASSIGNED, _R, "受理"),
    Transition(S.RECEIVED, "answer", S.ANSWERED, _R, "答复"),
    Transition(S.ASSIGNED, "answer", S.ANSWERED, _R, "答复"),
    Transition(S.ANSWERED, "answer", S.ANSWERED, _R, "补充答复"),
    Transition(S.ANSWERED, "close", S.CLOSED, _R, "办结"),
]


def _authorize(*, actor, obj, tr):
    if actor is None or not actor.has_role(*tr.roles):
        return Problem("COMPLAINT_HANDLER_ROLE")
    if not complaints_scope.may_handle(actor, obj):
        return Problem("OUT_OF_SCOPE", obj=f"受理编号 {obj.tracking_no}")
    return None


COMPLAINTS = Machine(
    name="complaint", model=Complaint, table=lambda _obj: TRANSITIONS, refusal=DisclosureError, audit=record,
    audit_prefix="disclosure.complaint", describe=lambda c: f"受理编号 {c.tracking_no}",
    state_label=lambda s: S(s).label, authorize=_authorize,
)
