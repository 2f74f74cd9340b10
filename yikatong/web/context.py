from django.conf import settings

from .navigation import nav_for


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    org = user.organization
    return {
        "nav": nav_for(user),
        "shell_org": org,
        "shell_region": org.region if org else None,
        "shell_roles": [g.get_role_display() for g in user.role_grants.all()],
        "require_2fa": settings.YKT_REQUIRE_2FA,
    }
