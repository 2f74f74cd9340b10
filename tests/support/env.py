"""The test environment around the objects: uploaded files and the bank drop box in a temporary folder,
the schema at a given migration, a test client logged in as someone, the URL patterns."""
from __future__ import annotations


def media_in(settings, location) -> None:
    """Uploaded files (the default storage) go to `location`, a temporary folder, for this test."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": location}}}


def migrate(target: tuple[str, str]):
    """Migrate the test database to `target` (app label, migration name); returns the historical apps
    of that state (for writing rows as they were then)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def migrate_to_latest() -> None:
    """Migrate the test database forward to every app's latest migration: a test that went back to an old
    state leaves the database whole for the tests after it (a migration back unapplies every app that
    depends on the target — with several test workers, any test may come next)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def bank_boxes(settings, location):
    """The bank drop box (outbox and inbox) in `location`; returns the connector that uses them."""
    from yikatong.payments.exchange.connector import OutboxConnector

    settings.YKT_BANK_OUTBOX = location / "outbox"
    settings.YKT_BANK_INBOX = location / "inbox"
    return OutboxConnector()


def login(client, user, password: str | None = None):
    """`client` logged in as `user` through the real authentication (the password of the factories by
    default); for None, the client as it is (anonymous on a fresh client)."""
    from .factories import PASSWORD

    if user is not None:
        assert client.login(username=user.username, password=password or PASSWORD)
    return client


def walk_urls(patterns, prefix="", ns=None):
    """(route, name) of every URL pattern under `patterns`, namespaced names as "ns:name"."""
    from django.urls import URLPattern, URLResolver

    for p in patterns:
        if isinstance(p, URLResolver):
            yield from walk_urls(p.url_patterns, prefix + str(p.pattern), p.namespace or ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{ns}:{p.name}" if ns else p.name


def as_user(client, user):
    """`client` logged in as `user` (left as it is for None: anonymous on a fresh client)."""
    if user is not None:
        client.force_login(user)
    return client
