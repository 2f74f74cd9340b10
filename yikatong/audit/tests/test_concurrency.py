"""Concurrent writers on PostgreSQL extend the chain one at a time (SQLite serialises writes anyway)."""
import threading

import pytest
from django.db import connection, transaction

from yikatong.audit.models import AuditEvent
from yikatong.audit.services import record
from yikatong.audit.verify import verify_chain


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_keep_the_chain_intact():
    if connection.vendor != "postgresql":
        pytest.skip("row-lock concurrency is exercised on PostgreSQL; SQLite has a single writer")
    errors = []

    def writer(n):
        try:
            for i in range(10):
                with transaction.atomic():
                    record(actor=None, action="test.parallel", object_id=f"{n}-{i}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert AuditEvent.objects.count() == 40
    assert verify_chain().ok
