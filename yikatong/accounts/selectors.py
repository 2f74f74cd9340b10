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


def organization_tree(actor: User) -> list[dict]:
    """The organizations of the actor's region subtree grouped by region (in code order, regions
    with no organization left out), each with its count of active and of all users. System admins
    and supervisors only (others: empty)."""
    from django.db.models import Count, Q

    from .models import Organization

    if not actor.has_role(Role.SYSADMIN, Role.SUPERVISOR):
        return []
    orgs = (in_scope(Organization.objects.select_related("region"), actor, "region")
            .annotate(users_total=Count("users"), users_active=Count("users", filter=Q(users__is_active=True)))
            .order_by("region_id", "kind", "name"))
    tree: list[dict] = []
    for org in orgs:
        if not tree or tree[-1]["region"].code != org.region_id:
            tree.append({"region": org.region, "organizations": []})
        tree[-1]["organizations"].append(org)
    return tree
