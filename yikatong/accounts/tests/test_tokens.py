"""Issue 13: API tokens have a scope and an expiry, die with the password and the account, are
not subject to CSRF, and revoking someone else's token is a 403 with a code (not a 500)."""
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from yikatong.accounts import services
from yikatong.accounts.models import ApiToken, TokenRevocation, TokenScope
from yikatong.accounts.errors import AccountRefusal
from yikatong.accounts.roles import Role
from yikatong.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def _bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _me(client, raw):
    return client.get("/api/accounts/me", **_bearer(raw))


def _revoke_url(token_id):
    return f"/api/accounts/tokens/{token_id}/revoke"


def _token(raw):
    return ApiToken.objects.get(prefix=raw[4:12])


def test_issue_records_scope_and_expiry_and_is_audited(make_user, settings):
    settings.YKT_TOKEN_DEFAULT_DAYS = 30
    user = make_user("op", Role.TOWNSHIP_OPERATOR)
    raw = services.issue_api_token(user=user, name="交换", scope=TokenScope.READ)
    token = _token(raw)
    assert token.scope == "read"
    assert abs(token.expires_at - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    event = AuditEvent.objects.get(action="accounts.token_issue")
    assert event.after["scope"] == "read" and raw not in str(event.after)
    raw2 = services.issue_api_token(user=user, name="短期", days=1)
    assert _token(raw2).expires_at < timezone.now() + timedelta(days=1, minutes=1)


@pytest.mark.parametrize("kwargs,code", [
    ({"days": 0}, "TOKEN_LIFETIME"), ({"days": 10_000}, "TOKEN_LIFETIME"), ({"scope": "admin"}, "TOKEN_SCOPE_UNKNOWN"),
])
def test_issue_refuses_bad_lifetime_and_scope(make_user, kwargs, code):
    user = make_user("op", Role.TOWNSHIP_OPERATOR)
    with pytest.raises(AccountRefusal) as exc:
        services.issue_api_token(user=user, name="x", **kwargs)
    assert exc.value.code == code and not ApiToken.objects.exists()


def test_an_expired_token_no_longer_authenticates(client, make_user):
    user = make_user("op", Role.TOWNSHIP_OPERATOR)
    raw = services.issue_api_token(user=user, name="x", scope=TokenScope.READ)
    assert _me(client, raw).status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _me(client, raw).status_code == 401


def test_a_read_token_may_get_but_not_post(csrf_client, make_user):
    user = make_user("op", Role.TOWNSHIP_OPERATOR)
    raw = services.issue_api_token(user=user, name="x", scope=TokenScope.READ)
    assert _me(csrf_client, raw).status_code == 200
    resp = csrf_client.post(_revoke_url(_token(raw).pk), **_bearer(raw))
    assert resp.status_code == 403 and resp.json()["code"] == "TOKEN_SCOPE"
    assert _token(raw).revoked_at is None


def test_a_write_token_posts_without_any_csrf_cookie(csrf_client, make_user):
    """Issue 13: a POST with a bearer token was answered "CSRF failed"."""
    user = make_user("op", Role.TOWNSHIP_OPERATOR)
    raw = services.issue_api_token(user=user, name="x", scope=TokenScope.WRITE)
    assert not csrf_client.cookies
    resp = csrf_client.post(_revoke_url(_token(raw).pk), **_bearer(raw))
    assert resp.status_code == 200 and resp.json()["state"] == "本人作废"
    assert _token(raw).revoked_reason == TokenRevocation.USER


def test_bearer_wins_over_a_session_without_csrf_and_sessions_still_need_csrf(csrf_client, make_user):
    owner = make_user("op", Role.TOWNSHIP_OPERATOR)
    make_user("other", Role.TOWNSHIP_OPERATOR)
    raw = services.issue_api_token(user=owner, name="x", scope=TokenScope.WRITE)
    csrf_client.post(reverse("login"), {"username": "other", "password": PASSWORD})  # refused: no CSRF token
    csrf_client.force_login(owner)
    # a session POST without the CSRF token is still refused
    assert csrf_client.post(_revoke_url(_token(raw).pk)).status_code == 403
    assert _token(raw).revoked_at is None
    # the same POST with the bearer token passes, and a bad bearer is a plain 401 (no session fallback)
    assert csrf_client.post(_revoke_url(_token(raw).pk), **_bearer("ykt_not-a-token")).status_code == 401
    assert csrf_client.post(_revoke_url(_token(raw).pk), **_bearer(raw)).status_code == 200


def test_revoking_another_users_token_is_403_with_a_code(client, make_user):
    """Issue 13: this answered 500. Another's token and a missing one get the same answer."""
    owner = make_user("op", Role.TOWNSHIP_OPERATOR)
    thief = make_user("thief", Role.TOWNSHIP_OPERATOR)
    target = _token(services.issue_api_token(user=owner, name="x"))
    raw = services.issue_api_token(user=thief, name="y", scope=TokenScope.WRITE)
    for token_id in (target.pk, 999_999):
        resp = client.post(_revoke_url(token_id), **_bearer(raw))
        assert resp.status_code == 403 and resp.json()["code"] == "TOKEN_NOT_YOURS"
    target.refresh_from_db()
    assert target.revoked_at is None
    # the page does the same
    client.force_login(thief)
    for token_id in (target.pk, 999_999):
        resp = client.post(reverse("token_revoke", args=[token_id]))
        assert resp.status_code == 403 and 'data-code="TOKEN_NOT_YOURS"' in resp.content.decode()
    with pytest.raises(AccountRefusal) as exc:
        services.revoke_api_token(user=thief, token_id=target.pk)
    assert exc.value.code == "TOKEN_NOT_YOURS"


def _two_live_tokens(user):
    return [services.issue_api_token(user=user, name=n) for n in ("a", "b")]


def _assert_auto_revoked(client, raws, reason):
    for raw in raws:
        assert _me(client, raw).status_code == 401
        assert _token(raw).revoked_reason == reason
    event = AuditEvent.objects.get(action="accounts.token_revoke.auto")
    assert event.after["reason"] == reason and event.after["count"] == len(raws)


def test_password_change_revokes_every_token(client, make_user):
    user = make_user("op", Role.TOWNSHIP_OPERATOR)
    raws = _two_live_tokens(user)
    services.password_change(user=user, old_password=PASSWORD, new_password="Brand-new-99x")
    _assert_auto_revoked(client, raws, TokenRevocation.PASSWORD_CHANGE)


def test_password_reset_revokes_every_token(client, make_user):
    admin = make_user("admin", Role.SYSADMIN)
    user = make_user("op", Role.TOWNSHIP_OPERATOR)
    raws = _two_live_tokens(user)
    services.password_reset(actor=admin, user=user, new_password="Reset-by-admin-1")
    _assert_auto_revoked(client, raws, TokenRevocation.PASSWORD_RESET)


def test_deactivation_revokes_every_token(client, make_user):
    admin = make_user("admin", Role.SYSADMIN)
    user = make_user("op", Role.TOWNSHIP_OPERATOR)
    raws = _two_live_tokens(user)
    client.force_login(admin)
    client.post(reverse("user_admin_action", args=[user.pk, "deactivate"]))
    user.refresh_from_db()
    assert not user.is_active
    client.logout()
    _assert_auto_revoked(client, raws, TokenRevocation.DEACTIVATED)


def test_token_page_issues_read_by_default_and_shows_scope_and_expiry(client, make_user):
    make_user("op", Role.TOWNSHIP_OPERATOR)
    client.post(reverse("login"), {"username": "op", "password": PASSWORD})
    page = client.get(reverse("tokens")).content.decode()
    assert '<option value="read" selected>' in page and 'name="days"' in page
    resp = client.post(reverse("tokens"), {"name": "交换", "scope": "read", "days": "7"})
    token = ApiToken.objects.get()
    assert token.scope == "read" and token.expires_at < timezone.now() + timedelta(days=7, minutes=1)
    body = resp.content.decode()
    assert f'data-token="{token.prefix}"' in body and 'data-scope="read"' in body
    assert token.expires_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d %H:%M") in body
    resp = client.post(reverse("tokens"), {"name": "太长", "scope": "write", "days": "10000"})
    assert 'data-code="TOKEN_LIFETIME"' in resp.content.decode() and ApiToken.objects.count() == 1


def test_deactivation_is_scoped_and_never_of_oneself(make_user, regions):
    from django.core.exceptions import PermissionDenied

    admin = make_user("admin", Role.SYSADMIN)
    outsider = make_user("far", Role.TOWNSHIP_OPERATOR, region=regions["other_county"])
    with pytest.raises(AccountRefusal) as exc:
        services.user_deactivate(actor=admin, user=admin)
    assert exc.value.code == "USER_DEACTIVATE_SELF"
    with pytest.raises(PermissionDenied):
        services.user_deactivate(actor=admin, user=outsider)
    outsider.refresh_from_db()
    admin.refresh_from_db()
    assert outsider.is_active and admin.is_active
