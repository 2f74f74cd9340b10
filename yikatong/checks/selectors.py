"""Reads of the cross-checks, filtered by the actor's scope."""
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from yikatong.accounts.scope import scope_prefix

from . import hooks
from .models import Finding, FindingState, Severity


# Findings not yet dealt with: a proposed clearing (四眼) still blocks until a second person confirms it.
UNDECIDED = (FindingState.OPEN, FindingState.CLEAR_PENDING)


def holding_q(prefix: str = "") -> Q:
    """Findings that keep their item out of payment (DESIGN §6.9), whatever their severity: confirmed
    ones, and ones transferred as a clue (线索移送) until the case is closed as unsubstantiated (不属实)."""
    confirmed = Q(**{f"{prefix}state": FindingState.CONFIRMED})
    transferred = Q(**{f"{prefix}state": FindingState.TRANSFERRED})
    released = hooks.released_findings()  # filled by supervision (supervision.selectors.released_findings)
    if released is not None:
        transferred &= ~Q(**{f"{prefix}pk__in": released})
    return confirmed | transferred


def held_items(batch) -> QuerySet:
    """Active items of the batch that a confirmed or transferred finding holds out of payment, with the
    finding's rule name as the reason (one row per item: the earliest such finding)."""
    from yikatong.rosters.models import BatchItem

    holding = Finding.objects.filter(holding_q(), item_id=OuterRef("pk")).order_by("pk")
    return (BatchItem.objects.filter(batch=batch, status="active").filter(Exists(holding))
            .annotate(held_rule=Subquery(holding.values("rule__name")[:1]),
                      held_state=Subquery(holding.values("state")[:1]))
            .order_by("seq"))


def held_item_ids(batch) -> QuerySet:
    """Ids of `held_items` (a subquery for payments.orders._insert_lines)."""
    return Finding.objects.filter(holding_q(), batch=batch, item__isnull=False).values("item_id")


def blocking_findings(batch) -> QuerySet:
    """Blocking findings of the batch not yet dealt with (the approval guard, checks.guards): open ones
    and those whose clearing awaits the second person (四眼), and confirmed or transferred ones whose
    item is still in the batch (it must be returned and removed). The batch's active items are a
    subquery: a join on the item (item__status) makes PostgreSQL merge-join the whole item table (0.4 s
    at 10^6 items) inside every money-moving transition."""
    from yikatong.rosters.models import BatchItem

    active = BatchItem.objects.filter(batch_id=batch.pk, status="active").values("id")
    return Finding.objects.filter(batch=batch, severity=Severity.BLOCK).filter(
        Q(state__in=UNDECIDED, item__isnull=True)
        | Q(state__in=UNDECIDED, item_id__in=active)
        | (holding_q() & Q(item_id__in=active))
    )


def findings_for(actor, *, rule: str = "", severity: str = "", state: str = "", batch_id: int | None = None) -> QuerySet:
    """Findings under the batches the actor sees (rosters.scope: region AND owning department, or the
    actor's station / township)."""
    from yikatong.rosters.scope import scoped

    qs = scoped(Finding.objects.select_related("rule", "batch", "item"), actor, "batch__")
    if rule:
        qs = qs.filter(rule__code=rule)
    if severity:
        qs = qs.filter(severity=severity)
    if state:
        qs = qs.filter(state=state)
    if batch_id:
        qs = qs.filter(batch_id=batch_id)
    return qs


def rule_settings_for(actor) -> QuerySet:
    """Setting versions (history) visible to the actor: policy-wide ones (no region) and those of
    regions in the actor's subtree or above it (they apply to the actor's batches)."""
    from .models import RuleSetting

    qs = RuleSetting.objects.select_related("rule", "region", "changed_by").order_by("rule__code", "-changed_at", "-pk")
    prefix = scope_prefix(actor)
    if prefix is None:
        return qs.none()
    if not prefix:
        return qs
    above = [prefix[:n] for n in (2, 4, 6, 9, 12) if n <= len(prefix)]
    ancestors = Q()
    for p in above:
        ancestors |= Q(region__code=p.ljust(12, "0"))
    return qs.filter(Q(region__isnull=True) | Q(region__code__startswith=prefix) | ancestors)


def rule_catalogue() -> list:
    """The rules as stored, and the built-in ones not stored yet (as unsaved Rule objects)."""
    from .models import Rule
    from .rules import BUILTIN

    stored = {r.code: r for r in Rule.objects.all()}
    for d in BUILTIN:
        stored.setdefault(d.code, Rule(code=d.code, name=d.name, description=d.description, severity=d.severity,
                                       datasets=list(d.datasets), params=dict(d.params), sql=d.sql,
                                       key_columns=list(d.key), message=d.message, version=d.version))
    return [stored[c] for c in sorted(stored)]
