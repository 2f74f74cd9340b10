"""The only way an application changes state: `application_transition` runs one declared transition
through the shared engine (core.statemachine): row lock, role and scope, reason, guards on current
data, a conditional UPDATE on state and version, the timeline and one audit event.

    submitted ─village_review─▶ village_reviewed ─township_verify─▶ township_verified ─approve─▶ approved
        └──────────────── refuse (with a reason, at the level holding it) ───────────────▶ refused
"""
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.audit.services import record
from yikatong.core import calendar
from yikatong.core.identifiers import IdentifierError, parse_id_number
from yikatong.core.profiles import get_profile
from yikatong.core.refusals import Problem
from yikatong.core.statemachine import Machine, Transition
from yikatong.core.statemachine import apply as apply_transition

from . import errors, scope  # noqa: F401  (errors registers the messages)
from .errors import ApplicationRefused
from .models import Application, ApplicationEvent, State

VILLAGE = frozenset({Role.VILLAGE_CLERK})
TOWNSHIP = frozenset({Role.TOWNSHIP_OPERATOR})
DEPARTMENT = frozenset({Role.DEPT_REVIEWER, Role.DEPT_HEAD})

TABLE = [
    Transition(State.SUBMITTED, "village_review", State.VILLAGE_REVIEWED, VILLAGE, "村审核通过",
               guards=("id_valid", "democratic_review")),
    Transition(State.VILLAGE_REVIEWED, "township_verify", State.TOWNSHIP_VERIFIED, TOWNSHIP, "乡镇审核核实通过",
               guards=("id_valid",)),
    Transition(State.TOWNSHIP_VERIFIED, "approve", State.APPROVED, DEPARTMENT, "主管部门审批通过",
               guards=("id_valid", "approver_not_recorder")),
    Transition(State.SUBMITTED, "refuse", State.REFUSED, VILLAGE, "村审核不予通过", needs_reason=True, is_return=True),
    Transition(State.VILLAGE_REVIEWED, "refuse", State.REFUSED, TOWNSHIP, "乡镇审核不予通过", needs_reason=True,
               is_return=True),
    Transition(State.TOWNSHIP_VERIFIED, "refuse", State.REFUSED, DEPARTMENT, "主管部门审批不予通过", needs_reason=True,
               is_return=True),
]


def describe(app: Application) -> str:
    return f"申请 {app.pk}（{app.name}）"


def state_label(code: str) -> str:
    return State(code).label if code in State.values else code


def authorize(*, actor, obj: Application, tr: Transition) -> Problem | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return Problem("NOT_AUTHENTICATED")
    if not actor.has_role(*tr.roles):
        return Problem("ROLE_NOT_ALLOWED", what=f"办理“{tr.label}”")
    if not scope.applications_for(actor, roles=tr.roles).filter(pk=obj.pk).exists():
        return Problem("OUT_OF_SCOPE", obj=describe(obj))
    return None


# ---- guards: evaluated by the engine at the transition, on current data ---------------------------------

def _id_valid(obj, actor):
    from yikatong.core.crypto import vault

    try:
        parse_id_number(vault().decrypt(obj.id_enc))
    except IdentifierError:
        return Problem("APPLICATION_ID_NOW_INVALID")
    return None


def _democratic_review(obj, actor):
    if not obj.policy.democratic_review:
        return None
    from .models import DemocraticReview

    review = DemocraticReview.objects.filter(application_id=obj.pk).first()
    if review is None:
        return Problem("APPLICATION_REVIEW_REQUIRED", policy=obj.policy.name)
    if review.votes_for <= review.votes_against:
        return Problem("APPLICATION_REVIEW_NOT_PASSED", votes_for=review.votes_for, votes_against=review.votes_against)
    return None


def _approver_not_recorder(obj, actor):
    """Whoever recorded an application never approves it (四眼)."""
    if actor is not None and actor.pk == obj.created_by_id:
        return Problem("FOUR_EYES_RECORDER_APPROVES")
    return None


GUARDS = {"id_valid": _id_valid, "democratic_review": _democratic_review, "approver_not_recorder": _approver_not_recorder}


def _guard(*, name, obj, actor):
    return GUARDS[name](obj, actor)


def township_due_date(profile_code: str, today=None):
    """The township's deadline: the profile's township_verify_working_days counted in working days
    from `today` (the day the village passed the application); None when the profile sets none."""
    days = get_profile(profile_code).township_verify_working_days
    if not days:
        return None
    return calendar.add_working_days(today or timezone.localdate(), days)


def _fields(*, obj, tr):
    values = {"state_since": timezone.now(),
              "due_date": township_due_date(obj.profile_code) if tr.target == State.VILLAGE_REVIEWED else None}
    if tr.action == "refuse":
        values["refused_at"] = obj.state
    return values


def _after(*, obj, tr, before, actor, reason):
    user = actor if getattr(actor, "is_authenticated", False) else None
    ApplicationEvent.objects.create(application=obj, action=tr.action, label=tr.label, from_state=before,
                                    to_state=tr.target, actor=user, reason=reason)


APPLICATIONS = Machine(
    name="application", model=Application, table=lambda _obj: TABLE, refusal=ApplicationRefused, audit=record,
    audit_prefix="applications", describe=describe, state_label=state_label, authorize=authorize, guard=_guard,
    fields=_fields, after=_after, version_field="version", lock_related=("policy",),
)


def application_transition(*, actor, application_id: int, action: str, reason: str = "",
                           audit_after: dict | None = None) -> Application:
    """Run `action` on the application now; a refusal writes its reason with the state."""
    fields = {"refusal_reason": (reason or "").strip()} if action == "refuse" else None
    return apply_transition(APPLICATIONS, actor=actor, pk=application_id, action=action, reason=reason,
                            fields=fields, audit_after=audit_after)


def actions_for(actor, app: Application) -> list[Transition]:
    """Transitions the actor could try now (guards are checked when applied)."""
    return [tr for tr in APPLICATIONS.available(app) if authorize(actor=actor, obj=app, tr=tr) is None]
