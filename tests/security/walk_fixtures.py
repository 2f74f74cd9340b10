"""Fixtures of the walk (imported by its test modules, not a conftest: other parts of tests/security
have their own). County A built once per module, inside a transaction rolled back after the module; one logged-in
client per identity, reused by every test (each test runs in its own savepoint, rolled back too)."""
import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings

from .world import build


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bank")
    with django_db_blocker.unblock(), override_settings(YKT_BANK_OUTBOX=tmp / "outbox", YKT_BANK_INBOX=tmp / "inbox"):
        with transaction.atomic():
            w = build()
            w.clients, w.cookies = {}, {}
            for name, user in w.identities.items():
                c = Client(raise_request_exception=True)
                if user is not None:
                    c.force_login(user)
                    w.cookies[name] = c.cookies[settings.SESSION_COOKIE_NAME].value
                w.clients[name] = c
            yield w
            transaction.set_rollback(True)


@pytest.fixture
def as_identity(world, db):
    """as_identity(name) -> the identity's client, its session cookie restored (a test may log it out)."""
    def get(name: str) -> Client:
        c = world.clients[name]
        c.cookies.clear()
        if name in world.cookies:
            c.cookies[settings.SESSION_COOKIE_NAME] = world.cookies[name]
        return c
    return get
