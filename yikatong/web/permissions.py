"""The one refusal path for pages: a view that refuses raises PermissionDenied (or a Refusal that is
one); Django's handler403 (web.errors.permission_denied) renders the Chinese 403 page carrying the
refusal's code (`data-error-code`). No view renders a forbidden page itself.

    @requires_roles(Role.SUPERVISOR, Role.SYSADMIN)
    def event_list(request): ...

    @requires(selectors.may_read)
    def findings(request): ...

    if not manages(request.user, quota.region_id):
        raise Forbidden()          # after a lookup that must answer 404 first
"""
from __future__ import annotations

from functools import wraps


from yikatong.core.refusals import Forbidden

__all__ = ["Forbidden", "requires", "requires_roles"]


def requires(allowed, code: str = "FORBIDDEN"):
    """Refuse (403 with `code`) unless `allowed(request.user)` holds."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not allowed(request.user):
                raise Forbidden(code)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def requires_roles(*roles, code: str = "FORBIDDEN"):
    """Refuse (403 with `code`) unless the user holds one of `roles`."""
    return requires(lambda user: user.has_role(*roles), code)
