import pyotp
import pytest
from django.conf import settings
from django.urls import reverse

from conftest import PASSWORD
from yikatong.accounts import services
from yikatong.accounts.models import User
from yikatong.accounts.roles import Role
from yikatong.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _next_code(secret):
    import time

    return pyotp.TOTP(secret).at(time.time() + 30)


def _login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_passwords_are_hashed_with_argon2(make_user):
    from yikatong.settings import base  # production's hashers (tests use a cheap Argon2 subclass)

    user = make_user("op", Role.TOWNSHIP_OPERATOR)
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert user.password.startswith("argon2")


def test_login_success_redirects_home_and_is_audited(client, make_user):
    make_user("op", Role.TOWNSHIP_OPERATOR)
    resp = _login(client, "op")
    assert resp.status_code == 302 and resp.url == "/"
    assert AuditEvent.objects.filter(action="accounts.login", actor__username="op").exists()


def test_wrong_password_gives_login_failed(client, make_user):
    make_user("op", Role.TOWNSHIP_OPERATOR)
    resp = _login(client, "op", "wrong-password")
    assert resp.status_code == 200
    assert 'data-code="LOGIN_FAILED"' in resp.content.decode()


def test_lockout_after_repeated_failures_even_with_right_password(client, make_user):
    make_user("op", Role.TOWNSHIP_OPERATOR)
    for _ in range(settings.YKT_LOCKOUT_THRESHOLD):
        _login(client, "op", "wrong-password")
    user = User.objects.get(username="op")
    assert user.locked_until is not None
    resp = _login(client, "op")
    # the same answer as a wrong password or an unknown user: the lock is announced to nobody
    assert resp.status_code == 200 and 'data-code="LOGIN_FAILED"' in resp.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="accounts.login_failed.locked").count() == 1


def test_password_change_requires_old_password_and_validates_new(client, make_user):
    make_user("op", Role.TOWNSHIP_OPERATOR)
    _login(client, "op")
    url = reverse("password_change")
    resp = client.post(url, {"old_password": "nope-nope", "new_password": "Brand-new-99", "new_password2": "Brand-new-99"})
    assert 'data-code="PASSWORD_OLD_WRONG"' in resp.content.decode()
    resp = client.post(url, {"old_password": PASSWORD, "new_password": "1234567890", "new_password2": "1234567890"})
    assert 'data-code="PASSWORD_REJECTED"' in resp.content.decode()
    resp = client.post(url, {"old_password": PASSWORD, "new_password": "Brand-new-99", "new_password2": "Brand-new-98"})
    assert 'data-code="PASSWORD_CONFIRM_MISMATCH"' in resp.content.decode()
    assert User.objects.get(username="op").check_password(PASSWORD)
    resp = client.post(url, {"old_password": PASSWORD, "new_password": "Brand-new-99", "new_password2": "Brand-new-99"})
    assert resp.status_code == 302
    assert User.objects.get(username="op").check_password("Brand-new-99")
    # still logged in after the change
    assert client.get(reverse("home")).status_code == 200


def test_must_change_password_redirects_everywhere_else(client, make_user):
    user = make_user("op", Role.TOWNSHIP_OPERATOR)
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    _login(client, "op")
    resp = client.get(reverse("home"))
    assert resp.status_code == 302 and resp.url == reverse("password_change")


def test_sessions_expire():
    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_two_factor_required_for_approving_roles_when_enabled(client, make_user, settings):
    settings.YKT_REQUIRE_2FA = True
    make_user("head", Role.DEPT_HEAD)
    make_user("op", Role.TOWNSHIP_OPERATOR)
    _login(client, "head")
    resp = client.get(reverse("home"))
    assert resp.status_code == 302 and resp.url == reverse("totp_setup")
    client.get(reverse("totp_setup"))
    from yikatong.core import crypto

    secret = crypto.decrypt(client.session["totp_pending"])
    resp = client.post(reverse("totp_setup"), {"code": "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"})
    assert 'data-code="TOTP_INVALID"' in resp.content.decode()
    enrol_code = pyotp.TOTP(secret).now()
    resp = client.post(reverse("totp_setup"), {"code": enrol_code})
    assert resp.status_code == 302
    assert User.objects.get(username="head").totp_enabled
    assert client.get(reverse("home")).status_code == 200
    # secret is encrypted at rest
    assert secret not in User.objects.get(username="head").totp_secret
    # a new session must verify again
    client.post(reverse("logout"))
    _login(client, "head")
    assert client.get(reverse("home")).url == reverse("totp_verify")
    # the enrolment code cannot be replayed; the next step's code (within the drift window) passes
    resp = client.post(reverse("totp_verify"), {"code": enrol_code})
    assert 'data-code="TOTP_REPLAYED"' in resp.content.decode()
    resp = client.post(reverse("totp_verify"), {"code": _next_code(secret)})
    assert client.get(reverse("home")).status_code == 200
    # non-approving roles are not asked
    client.post(reverse("logout"))
    _login(client, "op")
    assert client.get(reverse("home")).status_code == 200


def test_production_settings_require_two_factor(monkeypatch):
    import importlib

    monkeypatch.setenv("YKT_SECRET_KEY", "x" * 50)
    monkeypatch.setenv("YKT_DATA_KEY", "y" * 44)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///:memory:")
    import yikatong.settings.production as prod

    prod = importlib.reload(prod)
    assert prod.YKT_REQUIRE_2FA is True and prod.DEBUG is False and prod.SESSION_COOKIE_SECURE


def test_production_settings_refuse_missing_secrets(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delenv("YKT_SECRET_KEY", raising=False)
    import yikatong.settings.production as prod

    with pytest.raises(ImproperlyConfigured, match="YKT_SECRET_KEY"):
        importlib.reload(prod)


def test_api_token_authenticates_and_revocation_stops_it(client, make_user):
    user = make_user("op", Role.TOWNSHIP_OPERATOR)
    raw = services.issue_api_token(user=user, name="交换")
    assert raw not in str(list(user.api_tokens.values()))
    resp = client.get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert resp.status_code == 200 and resp.json()["username"] == "op"
    assert resp.json()["region_code"] == "141024000000"
    services.revoke_api_token(user=user, token_id=user.api_tokens.get().pk)
    assert client.get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_password_alone_cannot_replace_an_active_authenticator_or_use_the_api(client, make_user, settings):
    settings.YKT_REQUIRE_2FA = True
    user = make_user("head", Role.DEPT_HEAD)
    secret = pyotp.random_base32()
    User.objects.filter(pk=user.pk).update(totp_secret=__import__("yikatong.core.crypto", fromlist=["x"]).encrypt(secret), totp_enabled=True)
    _login(client, "head")
    assert client.get(reverse("totp_setup")).url == reverse("totp_verify")
    assert client.get("/api/accounts/me").status_code == 401
    before = User.objects.get(pk=user.pk).totp_secret
    with pytest.raises(Exception):
        services.totp_enrolment_confirm(user=user, secret=pyotp.random_base32(), code="123456", second_factor_passed=False)
    assert User.objects.get(pk=user.pk).totp_secret == before
    client.post(reverse("totp_verify"), {"code": pyotp.TOTP(secret).now()})
    assert client.get("/api/accounts/me").status_code == 200


def test_admin_resets_a_lost_authenticator(make_user):
    admin = make_user("admin", Role.SYSADMIN)
    user = make_user("head", Role.DEPT_HEAD)
    User.objects.filter(pk=user.pk).update(totp_secret="v1:x", totp_enabled=True)
    services.totp_reset(actor=admin, user=User.objects.get(pk=user.pk))
    assert not User.objects.get(pk=user.pk).totp_enabled
    assert AuditEvent.objects.filter(action="accounts.totp_reset").exists()
