"""Reads on batches, scoped to the actor's region subtree and role."""
from django.db.models import Q, QuerySet

from yikatong.accounts.roles import Role
from yikatong.accounts.scope import in_scope

from . import flows
from .models import Batch

DEPT_ROLES = (Role.DEPT_REVIEWER, Role.DEPT_HEAD)


def batches_for(actor) -> QuerySet[Batch]:
    """Department staff see their department's batches; everyone else their region subtree."""
    qs = in_scope(Batch.objects.select_related("policy", "region", "department"), actor)
    if actor.has_role(*DEPT_ROLES) and not actor.has_role(Role.FINANCE_REVIEWER, Role.SUPERVISOR, Role.SYSADMIN, Role.TREASURY):
        qs = qs.filter(department_id=actor.organization_id)
    return qs


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
