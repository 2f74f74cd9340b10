"""Reads of the cross-checks, filtered by the actor's scope."""
from django.db.models import Q, QuerySet

from yikatong.accounts.scope import in_scope, scope_prefix

from .models import Finding, FindingState, Severity


def open_blocking_findings_count(batch) -> int:
    """Blocking findings of the batch not yet dealt with (the approval guard): open ones on active
    items, and confirmed or transferred ones whose item is still in the batch (it must be returned
    and removed)."""
    return Finding.objects.filter(batch=batch, severity=Severity.BLOCK).filter(
        Q(state=FindingState.OPEN, item__isnull=True)
        | Q(state__in=[FindingState.OPEN, FindingState.CONFIRMED, FindingState.TRANSFERRED], item__status="active")
    ).count()


def findings_for(actor, *, rule: str = "", severity: str = "", state: str = "", batch_id: int | None = None) -> QuerySet:
    qs = in_scope(Finding.objects.select_related("rule", "batch", "item"), actor, "batch__region")
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
