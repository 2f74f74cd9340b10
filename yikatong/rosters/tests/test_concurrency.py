"""Two approvals of the same batch at the same moment: exactly one succeeds (PostgreSQL)."""
import pytest
from django.db import connection

from tests.support.concurrency import race
from tests.support.scenarios import do
from yikatong.rosters.models import Batch, BatchEvent


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_exactly_one_wins(batch, rw):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races are exercised on PostgreSQL; SQLite serialises all writers")
    Batch.objects.filter(pk=batch.pk).update(state="dept_review", item_count=1)
    from .files import good_rows, to_csv
    from yikatong.rosters.importer.run import roster_import

    Batch.objects.filter(pk=batch.pk).update(state="draft")
    roster_import(actor=rw.users["zhan"], batch_id=batch.pk, data=to_csv(good_rows(1)), filename="a.csv", mode="all_or_nothing")
    Batch.objects.filter(pk=batch.pk).update(state="dept_review")
    reviewers = [rw.users[u] for u in ("mz_rev", "mz_head")]
    outcomes = race(2, lambda i: do(batch, reviewers[i], "approve_notice"))
    results = ["ok" if not isinstance(o, Exception) else str(o) for o in outcomes]
    assert sorted(r == "ok" for r in results) == [False, True], results
    assert BatchEvent.objects.filter(batch_id=batch.pk, action="approve_notice").count() == 1
    assert Batch.objects.get(pk=batch.pk).state == "notice"
