"""Reads of supervision, filtered by the actor's region (and role: supervision readers only)."""
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.accounts.scope import scope_prefix
from yikatong.rosters.scope import batch_scope_q, scoped
from yikatong.checks.models import Finding, FindingState, Severity

from .models import Clue, ClueSource, ClueState, Conclusion

READERS = frozenset({Role.SUPERVISOR, Role.FINANCE_REVIEWER})
DIMENSIONS = {
    "rule": ("规则", "rule__code", "rule__name"),
    "township": ("乡镇", "batch__region__code", "batch__region__name"),
    "policy": ("补贴项目", "batch__policy__code", "batch__policy__name"),
}
DISPOSED = (FindingState.CONFIRMED, FindingState.CLEARED, FindingState.TRANSFERRED)


def may_read(actor) -> bool:
    return actor.is_authenticated and actor.has_role(*READERS)


def findings_in_scope(actor, *, year: str = "") -> QuerySet:
    if not may_read(actor):
        return Finding.objects.none()
    qs = scoped(Finding.objects.all(), actor, "batch__", roles=READERS)
    if year:
        qs = qs.filter(batch__period__startswith=year)
    return qs


def findings_by(actor, by: str, *, year: str = "") -> list[dict]:
    """One row per rule / township / policy: counts by state and severity, total, and the amount
    of the items concerned (fen; an item hit by two rules counts in both rules' rows)."""
    _, key, label = DIMENSIONS[by]
    counts = {f"state_{s}": Count("pk", filter=Q(state=s)) for s in FindingState.values}
    counts.update({f"sev_{s}": Count("pk", filter=Q(severity=s)) for s in Severity.values})
    rows = (findings_in_scope(actor, year=year).values(key, label)
            .annotate(total=Count("pk"), amount_fen=Sum("item__amount_fen"), **counts).order_by(key))
    return [{"key": r[key], "label": r[label], "total": r["total"], "amount_fen": r["amount_fen"] or 0,
             "states": [r[f"state_{s}"] for s in FindingState.values],
             "severities": [r[f"sev_{s}"] for s in Severity.values]} for r in rows]


def trends(actor, *, year: str = "") -> list[dict]:
    """Per month: findings raised (first seen) and disposed (confirmed, cleared or transferred)."""
    qs = findings_in_scope(actor, year=year)
    tz = timezone.get_current_timezone()
    raised = _per_month(qs, "first_seen_at", tz)
    disposed = _per_month(qs.filter(state__in=DISPOSED, disposed_at__isnull=False), "disposed_at", tz)
    raised = {_month(m): n for m, n in raised.items()}
    disposed = {_month(m): n for m, n in disposed.items()}
    months = sorted(set(raised) | set(disposed))
    return [{"month": m, "raised": raised.get(m, 0), "disposed": disposed.get(m, 0)} for m in months]


def _per_month(qs, field: str, tz) -> dict:
    rows = qs.order_by().annotate(m=TruncMonth(field, tzinfo=tz)).values("m").annotate(n=Count("pk"))
    return {r["m"]: r["n"] for r in rows}


def _month(value) -> str:
    return value.strftime("%Y-%m")


def clue_scope_q(actor) -> Q:
    """The clues the actor (a reader) sees: a finding's through its batch (rosters.scope), the same answer
    as for the batch itself; a complaint's, which has no batch, through its region (accounts.scope)."""
    prefix = scope_prefix(actor)
    by_region = Q(pk__in=[]) if prefix is None else Q(finding__isnull=True, region__code__startswith=prefix)
    return (Q(finding__isnull=False) & batch_scope_q(actor, "finding__batch__", roles=READERS)) | by_region


def clues_for(actor, *, state: str = "", rule: str = "", township: str = "", q: str = "", source: str = "") -> QuerySet:
    """Clues in the actor's scope; `rule` filters a finding's clues by rule code, `source` by origin
    (finding / complaint); `q` matches the case number or a complaint's tracking number."""
    if not may_read(actor):
        return Clue.objects.none()
    qs = Clue.objects.select_related("finding__rule", "finding__item", "finding__batch__policy", "region",
                                     "transferred_by").filter(clue_scope_q(actor))
    if state:
        qs = qs.filter(state=state)
    if rule:
        qs = qs.filter(finding__rule__code=rule)
    if source in ClueSource.values:
        qs = qs.filter(source=source)
    if township:
        qs = qs.filter(region__code=township)
    if q:
        qs = qs.filter(Q(case_no__icontains=q) | Q(source_ref__icontains=q))
    return qs


def clues_waiting(actor) -> QuerySet:
    """Clues the supervisor has not yet closed: transferred (to start) or under investigation."""
    if not actor.is_authenticated or not actor.has_role(Role.SUPERVISOR):
        return Clue.objects.none()
    return clues_for(actor).filter(state__in=[ClueState.TRANSFERRED, ClueState.INVESTIGATING])


def released_findings() -> QuerySet:
    """Ids of findings transferred as a clue whose case was closed as unsubstantiated (不属实): they no
    longer hold their item out of payment (checks.selectors.holding_q, through checks.hooks)."""
    released = Clue.objects.filter(state=ClueState.CONCLUDED, conclusion=Conclusion.UNSUBSTANTIATED,
                                   finding__isnull=False)  # a NULL in a NOT IN list would release nothing
    return released.values("finding_id")


def public_cases(region_prefix: str) -> list[dict]:
    """Handled cases (追回、问责) publishable for the public in `region_prefix`, names masked; empty unless the
    profile says publish_handled_cases (supervision.recovery_selectors.public_cases)."""
    from .recovery_selectors import public_cases as cases

    return cases(region_prefix)
