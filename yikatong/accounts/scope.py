"""Region scoping used by every selector: a user sees only their region subtree."""
from django.db.models import QuerySet

from .models import User
from .roles import Role


def scope_prefix(actor: User | None) -> str | None:
    """The region code prefix of what the actor sees: "" for everything (a superuser with no
    organization), None for nothing (anonymous, or no region)."""
    if actor is None or not actor.is_authenticated:
        return None
    if actor.is_superuser and actor.organization_id is None:
        return ""
    return actor.scope_prefix


def in_scope(qs: QuerySet, actor: User, region_field: str = "region") -> QuerySet:
    """Filter `qs` to rows whose region (code) lies in the actor's subtree; nothing if no scope."""
    prefix = scope_prefix(actor)
    if prefix is None:
        return qs.none()
    return qs.filter(**{f"{region_field}__code__startswith": prefix}) if prefix else qs


def is_system_wide_admin(actor: User | None) -> bool:
    """A system administrator (or superuser) whose scope is the whole system — not a county's
    administrator. Plugged into core.holiday_access at start-up (AccountsConfig.ready)."""
    if actor is None or not actor.is_authenticated:
        return False
    return scope_prefix(actor) == "" and (actor.is_superuser or actor.has_role(Role.SYSADMIN))


def region_in_scope(actor: User, region_code: str) -> bool:
    if actor is None or not actor.is_authenticated:
        return False
    if actor.is_superuser and actor.organization_id is None:
        return True
    prefix = actor.scope_prefix
    return prefix is not None and region_code.startswith(prefix)
