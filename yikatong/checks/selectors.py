"""Reads of the cross-checks, filtered by the actor's scope."""
from django.db.models import Q, QuerySet

from yikatong.accounts.scope import in_scope

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
