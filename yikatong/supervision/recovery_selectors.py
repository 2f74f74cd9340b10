"""Reads of accountability (追回/问责): recoveries in the reader's scope (through the batch, rosters.scope),
the overdue ones by the working-day due date, and the publishable handled cases (masked)."""
import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from yikatong.accounts.roles import Role
from yikatong.core.masking import mask_name
from yikatong.core.profiles import PROFILES, current_profile
from yikatong.rosters.scope import scoped

from .models import Clue, ClueState, Conclusion
from .recovery_models import Recovery, RecoveryState

READERS = frozenset({Role.SUPERVISOR, Role.FINANCE_REVIEWER})
LIVE = (RecoveryState.OPEN, RecoveryState.PARTLY_REPAID)
CLOSED = (RecoveryState.REPAID, RecoveryState.WRITTEN_OFF)


def may_read(actor) -> bool:
    return getattr(actor, "is_authenticated", False) and actor.has_role(*READERS)


def is_overdue(recovery, today: datetime.date | None = None) -> bool:
    return recovery.state in LIVE and (today or timezone.localdate()) > recovery.due_on


def recoveries_for(actor, *, state: str = "", overdue: bool = False, q: str = "",
                   today: datetime.date | None = None) -> QuerySet:
    """Recoveries of the batches the reader sees; `overdue`: still owed after the due date."""
    if not may_read(actor):
        return Recovery.objects.none()
    qs = scoped(Recovery.objects.select_related("batch__policy", "region", "clue", "opened_by"), actor, "batch__",
                roles=READERS)
    if state in RecoveryState.values:
        qs = qs.filter(state=state)
    if overdue:
        qs = qs.filter(state__in=LIVE, due_on__lt=today or timezone.localdate())
    if q:
        qs = qs.filter(Q(recovery_no__icontains=q) | Q(clue__case_no__icontains=q))
    return qs


def _publishing_profiles() -> list[str]:
    return [code for code, p in PROFILES.items() if p.publish_handled_cases]


def public_cases(region_prefix: str) -> list[dict]:
    """Handled cases for the public where the batch's profile publishes them (publish_handled_cases): concluded
    recoveries (repaid or written off) and clues concluded as substantiated, in the region `region_prefix`,
    names masked, no ID, account, case number or person of staff; the sanctions by measure and position."""
    profiles = _publishing_profiles()
    if not profiles or not region_prefix:
        return []
    rows = []
    recoveries = (Recovery.objects.filter(state__in=CLOSED, batch__profile_code__in=profiles,
                                          region__code__startswith=region_prefix)
                  .select_related("batch__policy", "region").prefetch_related("sanctions").order_by("-closed_on", "pk"))
    for r in recoveries:
        rows.append({"kind": "recovery", "region": r.region.name, "policy": r.batch.policy.name,
                     "period": r.batch.period, "person": mask_name(r.debtor_name), "amount_fen": r.amount_fen,
                     "repaid_fen": r.repaid_fen, "outcome": r.get_state_display(), "closed_on": r.closed_on,
                     "sanctions": [(s.get_measure_display(), s.position) for s in r.sanctions.all()]})
    clues = (Clue.objects.filter(state=ClueState.CONCLUDED, conclusion=Conclusion.SUBSTANTIATED,
                                 region__code__startswith=region_prefix, recoveries__isnull=True)
             .filter(Q(finding__batch__profile_code__in=profiles) | Q(finding__isnull=True))
             .select_related("finding__item", "finding__batch__policy", "region").prefetch_related("sanctions")
             .order_by("-concluded_at", "pk"))
    for c in clues:
        if c.finding_id is None and current_profile().code not in profiles:
            continue  # a complaint's clue has no batch: the deployment's profile decides
        f = c.finding
        rows.append({"kind": "clue", "region": c.region.name, "policy": f.batch.policy.name if f else "",
                     "period": f.batch.period if f else "", "person": mask_name(f.item.name) if f and f.item else "",
                     "amount_fen": None, "repaid_fen": None, "outcome": "经核查属实",
                     "closed_on": timezone.localdate(c.concluded_at) if c.concluded_at else None,
                     "sanctions": [(s.get_measure_display(), s.position) for s in c.sanctions.all()]})
    return rows


def candidates(actor, limit: int = 50) -> list[tuple]:
    """For a finance reviewer: (finding, paid line) of confirmed or transferred findings in scope on a paid item
    and without a recovery yet — what may be opened (recovery.recovery_open)."""
    from yikatong.checks.models import Finding, FindingState
    from yikatong.rosters import hooks as roster_hooks

    from .recovery import may_open

    if not getattr(actor, "is_authenticated", False) or not actor.has_role(Role.FINANCE_REVIEWER):
        return []
    qs = scoped(Finding.objects.filter(state__in=(FindingState.CONFIRMED, FindingState.TRANSFERRED),
                                       item__isnull=False, recovery__isnull=True)
                .select_related("rule", "item", "batch__policy"), actor, "batch__", roles={Role.FINANCE_REVIEWER},
                write=True).order_by("-disposed_at", "pk")
    out = []
    for f in qs[:limit * 4]:
        line = roster_hooks.paid_line(f.item) if may_open(f) else None
        if line is not None:
            out.append((f, line))
        if len(out) >= limit:
            break
    return out
