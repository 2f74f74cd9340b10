"""Two approvals of the same batch at the same moment: exactly one succeeds (PostgreSQL)."""
import threading

import pytest
from django.db import connection

from tests.support.scenarios import do
from yikatong.rosters.errors import TransitionRefused
from yikatong.rosters.models import Batch, BatchEvent


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_exactly_one_wins(batch, rw):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races are exercised on PostgreSQL; SQLite serialises all writers")
    Batch.objects.filter(pk=batch.pk).update(state="dept_review", item_count=1)
    from .files import good_rows, to_csv
    from yikatong.rosters.importer.run import import_roster

    Batch.objects.filter(pk=batch.pk).update(state="draft")
    import_roster(actor=rw.users["zhan"], batch_id=batch.pk, data=to_csv(good_rows(1)), filename="a.csv", mode="all_or_nothing")
    Batch.objects.filter(pk=batch.pk).update(state="dept_review")
    results, barrier = [], threading.Barrier(2)

    def approve(user):
        try:
            barrier.wait()
            do(batch, user, "approve_notice")
            results.append("ok")
        except TransitionRefused as exc:
            results.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(rw.users[u],)) for u in ("mz_rev", "mz_head")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r == "ok" for r in results) == [False, True], results
    assert BatchEvent.objects.filter(batch_id=batch.pk, action="approve_notice").count() == 1
    assert Batch.objects.get(pk=batch.pk).state == "notice"
