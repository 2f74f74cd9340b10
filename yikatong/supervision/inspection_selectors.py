"""Reads of inspections, filtered by the actor's region: plans whose region lies in the actor's subtree
(accounts.scope), for inspectors only (supervisors and finance reviewers)."""
from django.db.models import Count, Q, QuerySet

from yikatong.accounts.scope import in_scope

from .inspections import INSPECTORS
from .models_inspections import InspectionPlan, InspectionSample


def may_inspect(actor) -> bool:
    return actor.is_authenticated and actor.has_role(*INSPECTORS)


def plans_for(actor, *, state: str = "") -> QuerySet:
    if not may_inspect(actor):
        return InspectionPlan.objects.none()
    qs = in_scope(InspectionPlan.objects.select_related("region", "policy", "created_by"), actor)
    if state:
        qs = qs.filter(state=state)
    return qs.annotate(n_samples=Count("samples", distinct=True),
                       n_results=Count("samples__result", distinct=True),
                       n_failed=Count("samples__result", filter=Q(samples__result__outcome="fail"), distinct=True))


def samples_of(plan) -> QuerySet:
    return (InspectionSample.objects.filter(plan=plan)
            .select_related("item__batch__policy", "item__village", "result__recorded_by", "result__finding")
            .prefetch_related("result__evidence").order_by("rank"))


def sample_for(actor, sample_id: int) -> InspectionSample:
    """A sample of a plan in the actor's scope (DoesNotExist otherwise)."""
    plans = plans_for(actor).values("pk")
    return InspectionSample.objects.select_related("plan", "item__batch").get(pk=sample_id, plan__in=plans)
