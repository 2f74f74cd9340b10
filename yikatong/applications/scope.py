"""Who sees and who acts on an application, through the region scope of accounts.scope:

- village clerk (村): the actor's region subtree (a village clerk's village, or a town-level clerk's township);
- township operator / finance office / head (乡镇): the actor's township (a 9-digit prefix);
- department reviewer / head (主管部门): region subtree AND the application's approving department is
  the actor's organization;
- finance reviewer, supervisor, system admin: region subtree, read only except the system admin;
- anyone else: nothing.

    scope_q(actor, roles=None)          Q over Application
    applications_for(actor, roles=None) QuerySet of what the actor sees (with `roles`: may act as)
"""
from __future__ import annotations

from django.db.models import Q, QuerySet

from yikatong.accounts.roles import Role
from yikatong.accounts.scope import scope_prefix

VILLAGE = frozenset({Role.VILLAGE_CLERK})
TOWNSHIP = frozenset({Role.TOWNSHIP_OPERATOR, Role.TOWNSHIP_FINANCE, Role.TOWNSHIP_HEAD})
DEPARTMENT = frozenset({Role.DEPT_REVIEWER, Role.DEPT_HEAD})
REGION = frozenset({Role.FINANCE_REVIEWER, Role.SUPERVISOR, Role.SYSADMIN})

_NOTHING = Q(pk__in=[])


def _role_q(actor, role: str, prefix: str) -> Q | None:
    if role in TOWNSHIP:
        prefix = prefix[:9] if len(prefix) > 9 else prefix
    region = Q(village__code__startswith=prefix) if prefix else Q()
    if role in DEPARTMENT:
        return region & Q(department_id=actor.organization_id)
    if role in VILLAGE or role in TOWNSHIP or role in REGION:
        return region
    return None


def scope_q(actor, roles=None) -> Q:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return _NOTHING
    prefix = scope_prefix(actor)
    if prefix is None:
        return _NOTHING
    if actor.is_superuser and actor.organization_id is None:
        return Q()
    held = actor.role_set if roles is None else actor.role_set & frozenset(str(r) for r in roles)
    q = None
    for role in sorted(held):
        rq = _role_q(actor, role, prefix)
        if rq is not None:
            q = rq if q is None else q | rq
    return q if q is not None else _NOTHING


def applications_for(actor, roles=None) -> QuerySet:
    from .models import Application

    return Application.objects.filter(scope_q(actor, roles)).select_related("policy", "village", "department")
