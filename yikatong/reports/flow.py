"""The report's life cycle through the one engine (core.statemachine):

draft (filled from the data; remarks editable) → submitted (by the filer, by the profile's day)
→ approved (locked: content frozen with its SHA-256) | returned to draft with a reason, by county finance;
a county report, once approved, is sent up (上报) to the level outside the install as its export file.
Four eyes: whoever approves or returns is not whoever submitted."""
from yikatong.accounts.models import OrgKind
from yikatong.accounts.scope import region_in_scope
from yikatong.audit.services import record
from yikatong.core.refusals import Problem
from yikatong.core.statemachine import Machine, Transition

from .definitions import APPROVER_ROLES, COUNTY, FILER_ROLES
from .errors import ReportRefusal
from .models import MonitoringReport, ReportState as S

_A = frozenset(APPROVER_ROLES)


def _table(obj) -> list[Transition]:
    filers = frozenset(FILER_ROLES.get(obj.level, ()))
    table = [
        Transition(S.DRAFT, "submit", S.SUBMITTED, filers, "报送"),
        Transition(S.SUBMITTED, "approve", S.APPROVED, _A, "审核通过", guards=("four_eyes",)),
        Transition(S.SUBMITTED, "return", S.DRAFT, _A, "退回修改", guards=("four_eyes",), needs_reason=True,
                   is_return=True),
    ]
    if obj.level == COUNTY:
        table.append(Transition(S.APPROVED, "send_up", S.SENT_UP, filers, "上报上级"))
    return table


def _authorize(*, actor, obj, tr):
    if actor is None or not actor.has_role(*tr.roles):
        return Problem("ROLE_NOT_ALLOWED", what=tr.label)
    own = actor.organization_id == obj.organization_id
    if tr.action in ("submit", "send_up") and not own:
        return Problem("OUT_OF_SCOPE", obj=_describe(obj))
    if tr.action in ("approve", "return") and not _county_finance_of(actor, obj):
        return Problem("OUT_OF_SCOPE", obj=_describe(obj))
    return None


def _county_finance_of(actor, obj) -> bool:
    """The finance bureau of the report's own county (not a level above reaching down through its scope)."""
    org = actor.organization
    return (org is not None and org.kind == OrgKind.FINANCE_BUREAU and org.region_id == obj.region_id
            and region_in_scope(actor, obj.region_id))


def _guard(*, name, obj, actor):
    if name == "four_eyes" and actor is not None and actor.pk == obj.submitted_by_id:
        return Problem("REPORT_SAME_PERSON")
    return None


def _describe(obj) -> str:
    return f"{obj.title}（{obj.period}）"


REPORTS = Machine(
    name="report", model=MonitoringReport, table=_table, refusal=ReportRefusal, audit=record,
    audit_prefix="reports.report", describe=_describe, state_label=lambda s: S(s).label, authorize=_authorize,
    guard=_guard, version_field="version",
)
