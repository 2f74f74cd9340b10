"""The catalogue state machine: every state change is one named transition of this table."""
from collections.abc import Callable
from dataclasses import dataclass

from .models import CatalogueState as S
from .permissions import is_finance_above_or_at, is_finance_of, is_upper_finance_of


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    label: str
    who: str  # shown on the page
    allowed: Callable  # (actor, catalogue) -> bool
    needs_reason: bool = False
    button: str = "primary"


TRANSITIONS = (
    Transition(S.DRAFT, "submit", S.SUBMITTED, "报送备案", "本级财政部门",
               lambda actor, cat: is_finance_of(actor, cat.region_id)),
    Transition(S.SUBMITTED, "file", S.FILED, "备案", "上一级财政部门",
               lambda actor, cat: is_upper_finance_of(actor, cat.region)),
    Transition(S.SUBMITTED, "return", S.DRAFT, "退回修改", "上一级财政部门",
               lambda actor, cat: is_upper_finance_of(actor, cat.region), needs_reason=True, button="outline-danger"),
    Transition(S.FILED, "publish", S.PUBLISHED, "向社会公布", "本级或上级财政部门",
               lambda actor, cat: is_finance_above_or_at(actor, cat.region)),
)


def find(source: str, action: str) -> Transition | None:
    return next((t for t in TRANSITIONS if t.source == source and t.action == action), None)


def available_to(actor, catalogue) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == catalogue.state and t.allowed(actor, catalogue)]
