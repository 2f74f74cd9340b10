"""Deny by default, and two-factor enforcement for approving roles."""
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import resolve
from django.urls.exceptions import Resolver404

from .public import PUBLIC_URL_NAMES

# URL names on PUBLIC_URL_NAMES are reachable without login. Everything else redirects
# to the login page (HTML) or answers 401 (the JSON API, which authenticates itself).
PUBLIC_PATH_PREFIXES = ("/static/",)
API_PREFIX = "/api/"
# Pages under /api/ served by django-ninja that are HTML for people: login required.
API_HTML_URL_NAMES = frozenset({"api:openapi-view", "api:api-root"})
# Reachable while logged in but before a required second factor / password change.
PRE_2FA_URL_NAMES = frozenset({"login", "logout", "totp_setup", "totp_verify", "password_change", "healthz"})


def _url_name(path: str) -> str | None:
    """Namespace-qualified URL name ("api:me"), or None."""
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


class DenyByDefaultMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if request.user.is_authenticated or path.startswith(PUBLIC_PATH_PREFIXES):
            return self.get_response(request)
        if path.startswith(API_PREFIX) and _url_name(path) not in API_HTML_URL_NAMES:
            # django-ninja applies auth on every operation (NinjaAPI(auth=...)); the
            # URL-walk test proves no operation is open unless allow-listed.
            return self.get_response(request)
        if _url_name(path) in PUBLIC_URL_NAMES:
            return self.get_response(request)
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)


def needs_second_factor(request) -> bool:
    """True while a signed-in user must still pass TOTP in this session."""
    user = request.user
    return bool(
        settings.YKT_REQUIRE_2FA and user.is_authenticated and user.needs_two_factor and not request.session.get("otp_ok")
    )


class TwoFactorMiddleware:
    """Where settings require it, approving roles must pass TOTP each session; everyone
    flagged `must_change_password` must change it first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated or request.path_info.startswith(PUBLIC_PATH_PREFIXES + (API_PREFIX,)):
            return self.get_response(request)
        name = _url_name(request.path_info)
        if name in PRE_2FA_URL_NAMES:
            return self.get_response(request)
        if needs_second_factor(request):
            return redirect("totp_verify" if user.totp_enabled else "totp_setup")
        if user.must_change_password:
            return redirect("password_change")
        return self.get_response(request)
