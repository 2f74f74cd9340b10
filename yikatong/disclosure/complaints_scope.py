"""Who sees and who answers a complaint: through the region scope (accounts.scope) and the routing.

- the owning department's staff (dept_reviewer, dept_head): complaints routed to their organization;
- township staff (township_operator, township_head): complaints from places in their township;
- county finance (finance_reviewer): complaints escalated by the overdue scan, and those with neither a
  department nor a township (a county-level place and no policy);
- supervisors: everything in their region, read only.
Everything is also limited to the actor's region subtree; outside it a complaint is 404, never named."""
from django.db.models import Q, QuerySet

from yikatong.accounts.roles import Role
from yikatong.accounts.scope import scope_prefix

from .models.complaints import Complaint

DEPARTMENT_ROLES = frozenset({Role.DEPT_REVIEWER, Role.DEPT_HEAD})
TOWNSHIP_ROLES = frozenset({Role.TOWNSHIP_OPERATOR, Role.TOWNSHIP_HEAD})
ESCALATION_ROLES = frozenset({Role.FINANCE_REVIEWER})
HANDLER_ROLES = DEPARTMENT_ROLES | TOWNSHIP_ROLES | ESCALATION_ROLES
READER_ROLES = HANDLER_ROLES | {Role.SUPERVISOR}


def _handler_q(actor) -> Q:
    q = Q(pk__in=[])
    if actor.has_role(*DEPARTMENT_ROLES) and actor.organization_id:
        q |= Q(department_id=actor.organization_id)
    if actor.has_role(*TOWNSHIP_ROLES):
        q |= Q(township__isnull=False)  # limited to the actor's township by the region prefix
    if actor.has_role(*ESCALATION_ROLES):
        q |= Q(escalation__gt=0) | Q(department__isnull=True, township__isnull=True)
    return q


def handled_by(actor) -> QuerySet:
    """Complaints the actor may answer."""
    prefix = scope_prefix(actor)
    if prefix is None or not actor.has_role(*HANDLER_ROLES):
        return Complaint.objects.none()
    return Complaint.objects.filter(_handler_q(actor), region__code__startswith=prefix)


def visible_to(actor) -> QuerySet:
    """Complaints the actor may read: those they handle, and for supervisors all in their region."""
    prefix = scope_prefix(actor)
    if prefix is None:
        return Complaint.objects.none()
    if actor.has_role(Role.SUPERVISOR):
        return Complaint.objects.filter(region__code__startswith=prefix)
    return handled_by(actor)


def may_handle(actor, complaint) -> bool:
    return handled_by(actor).filter(pk=complaint.pk).exists()
