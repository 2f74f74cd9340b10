"""core.bulk, the one bulk writer: rows go in (and are updated) exactly as the ORM would store them."""
import datetime as dt

import pytest
from django.db import connection, transaction
from django.utils import timezone

from yikatong.core import bulk
from yikatong.core.models import Holiday, RateCounter

pytestmark = pytest.mark.django_db(transaction=True)

START = dt.date(2031, 1, 1)


def _days(n: int, start: int = 0):
    """A generator on purpose: the writer must not need a list."""
    return ((START + dt.timedelta(days=i), i % 2 == 0, f"节\t{i}\\n") for i in range(start, start + n))


def test_insert_rows_takes_the_tables_ids_and_keeps_values_exact(monkeypatch):
    monkeypatch.setattr(bulk, "CHUNK", 7)
    monkeypatch.setattr(bulk, "COPY_CHUNK", 7)
    with transaction.atomic():
        assert bulk.insert_rows(Holiday, ("date", "is_workday", "name"), _days(20)) == 20
    got = list(Holiday.objects.order_by("date").values_list("date", "is_workday", "name"))
    assert got == list(_days(20))
    assert len({pk for pk in Holiday.objects.values_list("pk", flat=True)}) == 20


def test_copy_rows_reserves_a_block_of_ids_in_row_order():
    with transaction.atomic():
        Holiday.objects.create(date=START - dt.timedelta(days=1), name="先有")
        ids = bulk.copy_rows(Holiday, ("date", "is_workday", "name"), _days(5))
        assert ids == list(range(ids[0], ids[0] + 5))
        later = Holiday.objects.create(date=START - dt.timedelta(days=2), name="之后")
    assert later.pk > ids[-1]
    assert [Holiday.objects.get(pk=pk).date for pk in ids] == [START + dt.timedelta(days=i) for i in range(5)]


def test_update_rows_sets_only_the_given_columns_and_datetimes_round_trip():
    now = timezone.now().replace(microsecond=123456)
    with transaction.atomic():
        a = RateCounter.objects.create(key="a", window_start=now, count=1)
        b = RateCounter.objects.create(key="b", window_start=now, count=2)
        later = now + dt.timedelta(hours=1)
        assert bulk.update_rows(RateCounter, ("window_start", "count"), iter([(a.pk, later, 10), (b.pk, later, 20)])) == 2
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.key, a.window_start, a.count) == ("a", later, 10)
    assert (b.key, b.count) == ("b", 20)


def test_every_writer_refuses_to_run_outside_a_transaction():
    for call in (lambda: bulk.insert_rows(Holiday, ("date",), [(START,)]),
                 lambda: bulk.copy_rows(Holiday, ("date",), [(START,)]),
                 lambda: bulk.update_rows(Holiday, ("name",), [(1, "x")])):
        with pytest.raises(RuntimeError):
            call()
    assert not Holiday.objects.exists()


def test_pipeline_writes_every_batch_before_wait_returns():
    with transaction.atomic():
        ids = bulk.reserve_ids(Holiday, 3)
        pipe = bulk.CopyPipeline()
        pipe.submit([(Holiday, ("date", "is_workday", "name"), list(_days(3)), ids)])
        pipe.wait()
        assert sorted(Holiday.objects.values_list("pk", flat=True)) == ids


def test_copy_text_escapes_and_marks_null():
    assert bulk.copy_text([7], [("a\tb", None, True, START)]) == b"7\ta\\tb\t\\N\tt\t2031-01-01\n"


def test_lock_for_import_is_harmless_inside_a_transaction():
    with transaction.atomic():
        bulk.lock_for_import(Holiday, RateCounter)
        assert bulk.insert_rows(Holiday, ("date", "is_workday", "name"), _days(1)) == 1
    assert connection.vendor in ("sqlite", "postgresql")
