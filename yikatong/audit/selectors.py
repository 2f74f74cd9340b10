from django.db.models import QuerySet

from yikatong.accounts.roles import Role

from .models import AuditEvent


def events_for(actor) -> QuerySet[AuditEvent]:
    """Supervisors and system admins read the trail of actors in their subtree (system events included)."""
    if not actor.has_role(Role.SUPERVISOR, Role.SYSADMIN):
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.select_related("actor")
    prefix = actor.scope_prefix
    if actor.is_superuser and actor.organization_id is None:
        return qs
    from django.db.models import Q

    return qs.filter(Q(actor__isnull=True) | Q(actor__organization__region__code__startswith=prefix or "-"))
