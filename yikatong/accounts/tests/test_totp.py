"""Issue 13: wrong TOTP codes are limited (lock after the threshold, counted atomically, audited)
and an accepted code cannot be used again."""
import time

import pyotp
import pytest
from django.db import connection
from django.urls import reverse

from conftest import PASSWORD
from tests.support.concurrency import code_or_ok, failed, race
from yikatong.accounts import services
from yikatong.accounts.models import User
from yikatong.accounts.errors import AccountRefusal
from yikatong.accounts.roles import Role
from yikatong.audit.models import AuditEvent
from yikatong.core import crypto


def _enrolled(make_user, username="head"):
    user = make_user(username, Role.DEPT_HEAD)
    secret = pyotp.random_base32()
    User.objects.filter(pk=user.pk).update(totp_secret=crypto.encrypt(secret), totp_enabled=True)
    return User.objects.get(pk=user.pk), secret


def _wrong(secret):
    """A six-digit code that is none of the codes of the drift window."""
    totp, now = pyotp.TOTP(secret), time.time()
    valid = {totp.at(now + d) for d in (-60, -30, 0, 30, 60)}
    return next(c for c in (f"{i:06d}" for i in range(1000)) if c not in valid)


def _code(user, secret, offset=0):
    return pyotp.TOTP(secret).at(time.time() + offset)


def _refusal(user, code):
    with pytest.raises(AccountRefusal) as exc:
        services.verify_second_factor(user=user, code=code)
    return exc.value.code


@pytest.mark.django_db
def test_wrong_codes_lock_the_second_factor_at_the_threshold(make_user, settings):
    settings.YKT_TOTP_LOCKOUT_THRESHOLD = 3
    user, secret = _enrolled(make_user)
    assert [_refusal(user, _wrong(secret)) for _ in range(3)] == ["TOTP_INVALID", "TOTP_INVALID", "TOTP_LOCKED"]
    # locked: even the right code is refused, and not counted or audited again
    assert _refusal(user, _code(user, secret)) == "TOTP_LOCKED"
    actions = list(AuditEvent.objects.filter(action__startswith="accounts.totp_failed").values_list("action", flat=True))
    assert actions == ["accounts.totp_failed", "accounts.totp_failed", "accounts.totp_failed.locked"]
    assert User.objects.get(pk=user.pk).totp_locked_until is not None


@pytest.mark.django_db
def test_admin_unlock_reopens_the_second_factor(make_user, settings):
    settings.YKT_TOTP_LOCKOUT_THRESHOLD = 1
    admin = make_user("admin", Role.SYSADMIN)
    user, secret = _enrolled(make_user)
    assert _refusal(user, _wrong(secret)) == "TOTP_LOCKED"
    services.user_unlock(actor=admin, user=user)
    services.verify_second_factor(user=user, code=_code(user, secret))
    assert AuditEvent.objects.filter(action="accounts.totp_verified").count() == 1


@pytest.mark.django_db
def test_a_right_code_resets_the_count(make_user, settings):
    settings.YKT_TOTP_LOCKOUT_THRESHOLD = 3
    user, secret = _enrolled(make_user)
    _refusal(user, _wrong(secret))
    _refusal(user, _wrong(secret))
    services.verify_second_factor(user=user, code=_code(user, secret))
    assert User.objects.get(pk=user.pk).totp_failures == 0
    assert _refusal(user, _wrong(secret)) == "TOTP_INVALID"  # a fresh budget, not the third strike


@pytest.mark.django_db
def test_a_code_is_accepted_once(make_user):
    user, secret = _enrolled(make_user)
    code = _code(user, secret)
    services.verify_second_factor(user=user, code=code)
    assert _refusal(user, code) == "TOTP_REPLAYED"
    # an earlier step's code is refused too once a later one was used
    services.verify_second_factor(user=user, code=_code(user, secret, 30))
    assert _refusal(user, code) == "TOTP_REPLAYED"


@pytest.mark.django_db
def test_verify_page_says_locked_with_the_code(client, make_user, settings):
    settings.YKT_REQUIRE_2FA = True
    settings.YKT_TOTP_LOCKOUT_THRESHOLD = 2
    user, secret = _enrolled(make_user)
    client.post(reverse("login"), {"username": "head", "password": PASSWORD})
    pages = [client.post(reverse("totp_verify"), {"code": _wrong(secret)}).content.decode() for _ in range(2)]
    assert 'data-code="TOTP_INVALID"' in pages[0] and 'data-code="TOTP_LOCKED"' in pages[1]
    page = client.post(reverse("totp_verify"), {"code": _code(user, secret)}).content.decode()
    assert 'data-code="TOTP_LOCKED"' in page
    assert client.get(reverse("home")).url == reverse("totp_verify")


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_codes_lock_at_exactly_the_threshold(make_user, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs row-level concurrency (PostgreSQL); SQLite serialises every writer")
    settings.YKT_TOTP_LOCKOUT_THRESHOLD = 5
    user, secret = _enrolled(make_user)
    wrong, n = _wrong(secret), 12
    outcomes = race(n, lambda i: services.verify_second_factor(user=user, code=wrong))
    codes = [o.code for o in failed(outcomes, AccountRefusal)]
    errors = [o for o in failed(outcomes) if not isinstance(o, AccountRefusal)]
    assert not errors
    assert codes.count("TOTP_INVALID") == 4 and codes.count("TOTP_LOCKED") == 8
    assert AuditEvent.objects.filter(action__startswith="accounts.totp_failed").count() == 5


@pytest.mark.django_db(transaction=True)
def test_one_code_used_twice_in_parallel_passes_once(make_user, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs row-level concurrency (PostgreSQL); SQLite serialises every writer")
    settings.YKT_TOTP_LOCKOUT_THRESHOLD = 5  # more than the replays, so none of them locks
    user, secret = _enrolled(make_user)
    code, n = _code(user, secret), 4
    outcomes = [code_or_ok(o) for o in race(n, lambda i: services.verify_second_factor(user=user, code=code))]
    assert sorted(outcomes) == ["TOTP_REPLAYED"] * (n - 1) + ["ok"]
