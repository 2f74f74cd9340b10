from django.db.models import QuerySet

from yikatong.accounts.roles import Role
from yikatong.accounts.scope import in_scope, scope_prefix
from yikatong.audit.models import AuditEvent


def events_for(actor) -> QuerySet[AuditEvent]:
    """Supervisors and system admins read the trail of actors in their region subtree. System events
    (no actor: background jobs, data loads — they may concern any county) and events of actors outside
    every region are seen only by a system-wide reader (scope_prefix ""), never by a county's auditor."""
    if actor is None or not actor.is_authenticated or not actor.has_role(Role.SUPERVISOR, Role.SYSADMIN):
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.select_related("actor")
    prefix = scope_prefix(actor)
    if prefix == "":
        return qs
    return in_scope(qs.filter(actor__isnull=False), actor, "actor__organization__region")
