"""Issue 13: Django's password validators (similarity to username/full name, length >= 10, common,
numeric) on every path that sets a password, with Chinese messages."""
import re

import pytest
from django.conf import settings

from conftest import PASSWORD
from yikatong.accounts import services
from yikatong.accounts.demo import DEMO_PASSWORD, DEMO_USERS
from yikatong.accounts.models import Organization, User
from yikatong.accounts.passwords import check_new_password
from yikatong.accounts.errors import AccountRefusal
from yikatong.accounts.roles import Role

pytestmark = pytest.mark.django_db


def _rules(call):
    with pytest.raises(AccountRefusal) as exc:
        call()
    assert exc.value.code == "PASSWORD_REJECTED"
    assert not re.search(r"[A-Za-z]{5,}", exc.value.message), exc.value.message  # Chinese, not Django's English
    return set(exc.value.params["rules"])


@pytest.fixture
def org(make_user):
    return make_user("seed", Role.TOWNSHIP_OPERATOR).organization


@pytest.mark.parametrize("password,rule", [
    ("zhangsan01", "password_too_similar"),  # the username with two digits
    ("Zhangsan", "password_too_similar"),
    ("Short-1a", "password_too_short"),
    ("password123", "password_too_common"),
    ("20261203123", "password_entirely_numeric"),
])
def test_create_user_applies_every_rule(make_user, org, password, rule):
    admin = make_user("admin", Role.SYSADMIN)
    rules = _rules(lambda: services.user_create(
        actor=admin, username="zhangsan", password=password, full_name="张三", organization=org,
        roles=[Role.TOWNSHIP_OPERATOR]))
    assert rule in rules
    assert not User.objects.filter(username="zhangsan").exists()


def test_password_equal_to_username_is_refused_on_change_and_reset(make_user):
    admin = make_user("admin", Role.SYSADMIN)
    user = make_user("wangxiaoming", Role.TOWNSHIP_OPERATOR)
    assert "password_too_similar" in _rules(
        lambda: services.password_change(user=user, old_password=PASSWORD, new_password="wangxiaoming"))
    assert "password_too_similar" in _rules(
        lambda: services.password_reset(actor=admin, user=user, new_password="wangxiaoming"))
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_password_like_the_full_name_is_refused(make_user):
    user = make_user("op", Role.TOWNSHIP_OPERATOR)
    User.objects.filter(pk=user.pk).update(full_name="liuyang")
    user.refresh_from_db()
    assert "password_too_similar" in _rules(lambda: check_new_password("liuyang2026", user))


def test_validators_are_configured():
    names = [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == ["UserAttributeSimilarityValidator", "MinimumLengthValidator", "CommonPasswordValidator",
                     "NumericPasswordValidator"]
    assert settings.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"]["min_length"] >= 10
    assert set(settings.AUTH_PASSWORD_VALIDATORS[0]["OPTIONS"]["user_attributes"]) == {"username", "full_name"}


def test_a_good_password_passes_everywhere(make_user, org):
    admin = make_user("admin", Role.SYSADMIN)
    user = services.user_create(actor=admin, username="lisi", password="Hongtong-Pay-7", full_name="李四",
                                organization=org, roles=[Role.TOWNSHIP_OPERATOR])
    services.password_change(user=user, old_password="Hongtong-Pay-7", new_password="Another-Good-8")
    services.password_reset(actor=admin, user=user, new_password="Reset-Good-9x")
    assert User.objects.get(pk=user.pk).check_password("Reset-Good-9x")


def test_admin_temporary_passwords_pass_the_validators(client, make_user):
    """The admin "reset password" action generates a password; it must itself be acceptable."""
    from django.urls import reverse

    make_user("admin", Role.SYSADMIN)
    target = make_user("op", Role.TOWNSHIP_OPERATOR)
    client.post(reverse("login"), {"username": "admin", "password": PASSWORD})
    from yikatong.audit.models import AuditEvent

    for _ in range(5):
        client.post(reverse("user_admin_action", args=[target.pk, "reset-password"]))
    assert AuditEvent.objects.filter(action="accounts.password_reset", object_id=str(target.pk)).count() == 5


def test_the_demo_password_passes_for_every_demo_user():
    """Demo users are created in code (set_password), but their password is one a user could choose."""
    for du in DEMO_USERS:
        check_new_password(DEMO_PASSWORD, User(username=du.username, full_name=du.full_name,
                                               organization=Organization()))
