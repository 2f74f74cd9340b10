"""Region scoping used by every selector: a user sees only their region subtree."""
from django.db.models import QuerySet

from .models import User


def in_scope(qs: QuerySet, actor: User, region_field: str = "region") -> QuerySet:
    """Filter `qs` to rows whose region (code) lies in the actor's subtree; nothing if no scope."""
    if actor is None or not actor.is_authenticated:
        return qs.none()
    if actor.is_superuser and actor.organization_id is None:
        return qs
    prefix = actor.scope_prefix
    if prefix is None:
        return qs.none()
    return qs.filter(**{f"{region_field}__code__startswith": prefix})


def region_in_scope(actor: User, region_code: str) -> bool:
    if actor is None or not actor.is_authenticated:
        return False
    if actor.is_superuser and actor.organization_id is None:
        return True
    prefix = actor.scope_prefix
    return prefix is not None and region_code.startswith(prefix)
