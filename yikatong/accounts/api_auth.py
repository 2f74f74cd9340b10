"""Authentication of the JSON API: a bearer token, or the signed-in session.

A request that presents `Authorization: Bearer …` is authenticated by the token alone: the session
authenticator steps aside, so no CSRF check (a browser defence, meaningless for a header a page
cannot set cross-site) is applied to it, and an invalid token is a plain 401. Requests without a
bearer header use the session, with ninja's CSRF check on unsafe methods. A read token calling an
unsafe method is refused 403 TOKEN_SCOPE."""
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from . import tokens
from .middleware import needs_second_factor
from .errors import AccountRefusal


def presents_bearer(request: HttpRequest) -> bool:
    return request.headers.get("Authorization", "").split(" ", 1)[0].lower() == "bearer"


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = tokens.token_for_key(token)
        if found is None:
            return None
        if not tokens.allows(found, request.method):
            raise AccountRefusal("TOKEN_SCOPE")
        request.user = found.user
        request.api_token = found
        return found.user


class LoggedInSession(SessionAuth):
    """Session auth (CSRF enforced on unsafe methods by ninja). Where two-factor is required,
    a session that has not passed TOTP is not authenticated for the API either."""

    def __call__(self, request):
        if presents_bearer(request):
            return None
        return super().__call__(request)

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user and needs_second_factor(request):
            return None
        return user


def refusal_response(api):
    """Exception handler: an AccountRefusal answers its status with {"code", "detail"}."""

    def handle(request, exc: AccountRefusal):
        return api.create_response(request, {"code": exc.code, "detail": exc.message}, status=exc.status)

    return handle
