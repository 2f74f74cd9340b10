"""The state machine of a recovery (追回) on the shared engine (core.statemachine): the only writer of
Recovery.state. open → partly_repaid → repaid by repayments; open/partly_repaid → written_off (核销) with a
reason, by a finance reviewer who did not open it (four eyes)."""
from yikatong.accounts.roles import Role
from yikatong.audit.services import record
from yikatong.core.refusals import Problem, Refusal
from yikatong.core.statemachine import Machine, Transition
from yikatong.rosters import scope

from . import errors  # noqa: F401  (registers the refusal messages)
from .recovery_models import Recovery, RecoveryState

S = RecoveryState
FINANCE = frozenset({str(Role.FINANCE_REVIEWER)})


class RecoveryRefused(Refusal):
    default_code = "RECOVERY_REFUSED"


TRANSITIONS = (
    Transition(S.OPEN, "repay", S.PARTLY_REPAID, FINANCE, "登记部分缴回"),
    Transition(S.PARTLY_REPAID, "repay", S.PARTLY_REPAID, FINANCE, "登记部分缴回"),
    Transition(S.OPEN, "settle", S.REPAID, FINANCE, "登记缴回（全部追回）"),
    Transition(S.PARTLY_REPAID, "settle", S.REPAID, FINANCE, "登记缴回（全部追回）"),
    Transition(S.OPEN, "write_off", S.WRITTEN_OFF, FINANCE, "核销", guards=("not_opener",), needs_reason=True),
    Transition(S.PARTLY_REPAID, "write_off", S.WRITTEN_OFF, FINANCE, "核销", guards=("not_opener",),
               needs_reason=True),
)


def _authorize(*, actor, obj: Recovery, tr: Transition) -> Problem | None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(*tr.roles):
        return Problem("RECOVERY_ROLE")
    if not scope.may_change_batch(actor, obj.batch, tr.roles):
        return Problem("RECOVERY_NOT_IN_SCOPE")
    return None


def _guard(*, name: str, obj: Recovery, actor) -> Problem | None:
    if name == "not_opener" and actor.pk == obj.opened_by_id:
        return Problem("RECOVERY_WRITE_OFF_FOUR_EYES")
    return None


RECOVERIES = Machine(
    name="recovery", model=Recovery, table=lambda obj: list(TRANSITIONS), refusal=RecoveryRefused, audit=record,
    audit_prefix="supervision.recovery", describe=lambda r: f"追回 {r.recovery_no} ", state_label=lambda s: S(s).label,
    authorize=_authorize, guard=_guard, lock_related=("batch",),
)
