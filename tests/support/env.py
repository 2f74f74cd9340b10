"""The test environment around the objects: uploaded files and the bank drop box in a temporary folder,
the schema at a given migration, a test client logged in as someone."""
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


def bank_boxes(settings, location):
    """The bank drop box (outbox and inbox) in `location`; returns the connector that uses them."""
    from yikatong.payments.exchange.connector import OutboxConnector

    settings.YKT_BANK_OUTBOX = location / "outbox"
    settings.YKT_BANK_INBOX = location / "inbox"
    return OutboxConnector()


def as_user(client, user):
    """`client` logged in as `user` (left as it is for None: anonymous on a fresh client)."""
    if user is not None:
        client.force_login(user)
    return client
