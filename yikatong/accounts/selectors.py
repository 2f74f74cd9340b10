"""Reads on users and organizations, always filtered by the actor's scope and role."""
from django.db.models import Prefetch, QuerySet

from .models import ApiToken, RoleGrant, User
from .roles import Role
from .scope import in_scope


def users_for(actor: User) -> QuerySet[User]:
    """User administration list: system admins and supervisors see users of their subtree."""
    if not actor.has_role(Role.SYSADMIN, Role.SUPERVISOR):
        return User.objects.none()
    return in_scope(
        User.objects.select_related("organization", "organization__region").prefetch_related(
            Prefetch("role_grants", queryset=RoleGrant.objects.order_by("role"))
        ),
        actor,
        "organization__region",
    ).order_by("organization__region_id", "username")


def tokens_of(actor: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=actor).order_by("-created_at")
