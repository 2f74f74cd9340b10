"""Reads on batches, scoped through rosters.scope (region subtree AND owning department, or the
actor's station / township; DESIGN §6.7)."""
from django.db.models import Q, QuerySet

from yikatong.accounts.roles import Role

from . import flows, scope
from .models import Batch

DEPT_ROLES = (Role.DEPT_REVIEWER, Role.DEPT_HEAD)


def batches_for(actor) -> QuerySet[Batch]:
    """The batches the actor sees (rosters.scope.batches_for: one answer for every selector)."""
    return scope.batches_for(actor)


def filtered(actor, *, policy: str = "", period: str = "", region: str = "", state: str = "") -> QuerySet[Batch]:
    qs = batches_for(actor)
    if policy:
        qs = qs.filter(Q(policy__code=policy) | Q(policy__name__contains=policy))
    if period:
        qs = qs.filter(period=period)
    if region:
        qs = qs.filter(region__code__startswith=region)
    if state:
        qs = qs.filter(state=state)
    return qs


def waiting_on(actor) -> QuerySet[Batch]:
    """Batches in a state whose holders include one of the actor's roles."""
    states = [code for code, st in flows.STATES.items() if st.holders & actor.role_set]
    return batches_for(actor).filter(state__in=states)
