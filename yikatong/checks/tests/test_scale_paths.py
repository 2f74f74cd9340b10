"""The mechanics that make sweeps scale: the scope table with many batches, the extraction into
DuckDB (COPY on PostgreSQL) keeping NULL apart from the empty string, and the set-based writing of
findings (reopen / refresh / keep disposition / close stale)."""
import pytest
from django.db import connection
from django.utils import timezone

from yikatong.checks import duck, engine, services, sqlviews
from yikatong.checks.models import Finding, FindingState
from yikatong.rosters.models import Batch, BatchItem

from .conftest import TRUTH

pytestmark = pytest.mark.django_db

MANY = 1_234  # more than two INSERT chunks of the scope table


def _many_batches(planted) -> list[Batch]:
    b = planted["batch"]
    now = timezone.now()
    Batch.objects.bulk_create([
        Batch(code=f"MANY-{n}", policy=b.policy, period=b.period, region=b.region, department=b.department,
              profile_code=b.profile_code, state="draft", state_since=now, created_by=b.created_by)
        for n in range(MANY)])
    return list(Batch.objects.filter(code__startswith="MANY-").select_related("policy"))


def _key(hits):
    return [(h.fingerprint, h.message, h.evidence) for h in hits]


def test_scope_with_many_batches_gives_the_same_hits_on_both_engines(planted):
    rules = services.ensure_rules()
    real = list(Batch.objects.exclude(code__startswith="MANY-").select_related("policy"))
    small = sqlviews.scope_rows(real)
    big = sqlviews.scope_rows(_many_batches(planted)) + small  # the real batches in the last chunk
    con = duck.extract()
    engine.load_scope(big)
    duck.load_scope(con, big)
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*), count(DISTINCT batch_id) FROM {sqlviews.SCOPE_TABLE}")
        assert cur.fetchone() == (len(big), len(big))
    assert con.execute(f"SELECT count(*) FROM {sqlviews.SCOPE_TABLE}").fetchone()[0] == len(big)
    for rule in rules:
        db_big = engine.run_rule(rule, None, scope_loaded=True)
        duck_big = duck.run_rule(con, rule, None, scope_loaded=True)
        assert db_big, rule.code
        assert _key(db_big) == _key(engine.run_rule(rule, small)) == _key(duck_big), rule.code


def test_sweep_over_many_batches_finds_the_ground_truth(planted, rw):
    _many_batches(planted)
    run = services.sweep_run(actor=rw.users["fin"], engine="db")
    seqs: dict[str, set[int]] = {}
    for f in Finding.objects.filter(batch=planted["batch"]).select_related("rule", "item"):
        seqs.setdefault(f.rule.code, set()).add(f.item.seq)
    assert seqs == TRUTH
    assert run.created == Finding.objects.count()


def test_extract_keeps_null_apart_from_empty_and_takes_the_copy_path_on_postgresql(planted, monkeypatch):
    if connection.vendor == "postgresql":
        def refuse(*a, **k):
            raise AssertionError("PostgreSQL must be extracted with COPY")
        monkeypatch.setattr(duck, "_load_rows", refuse)
    BatchItem.objects.filter(pk=planted["items"][1].pk).update(village=None, standard_fen=None, household_no="")
    BatchItem.objects.filter(pk=planted["items"][2].pk).update(household_no='H "1", 2\n')
    con = duck.extract()
    items = BatchItem.objects.all()
    got = con.execute("SELECT count(*) FILTER (WHERE village_id IS NULL), count(*) FILTER (WHERE standard_fen IS NULL), "
                      "count(*) FILTER (WHERE household_no = ''), count(*) FILTER (WHERE household_no IS NULL), "
                      "count(*) FROM rosters_batchitem").fetchone()
    assert got == (items.filter(village=None).count(), items.filter(standard_fen=None).count(),
                   items.filter(household_no="").count(), 0, items.count())
    assert got[0] >= 1 and got[2] >= 1
    assert con.execute("SELECT household_no FROM rosters_batchitem WHERE id = ?",
                       [planted["items"][2].pk]).fetchone()[0] == 'H "1", 2\n'
    for label, columns in duck.TABLES.items():  # every listed column, nothing else, every row
        from django.apps import apps

        model = apps.get_model(label)
        table = model._meta.db_table
        assert [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall()] == columns
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == model.objects.count()


def test_rerun_keeps_dispositions_reopens_closed_and_closes_fixed(planted, rw):
    fin = rw.users["fin"]
    services.sweep_run(actor=fin, engine="duckdb")
    by_rule = {f.rule.code: f for f in Finding.objects.filter(batch=planted["batch"]).select_related("rule")}
    cleared, closed, fixed = by_rule["STATE_PAID"], by_rule["CADRE"], by_rule["AMOUNT_STANDARD"]
    Finding.objects.filter(pk=cleared.pk).update(state=FindingState.CLEARED, reason="核实无误")
    Finding.objects.filter(pk=closed.pk).update(state=FindingState.CLOSED, message="旧描述")
    BatchItem.objects.filter(pk=planted["items"][8].pk).update(amount_fen=50000)  # the cause is gone
    count = Finding.objects.count()
    run = services.sweep_run(actor=fin, engine="duckdb")
    assert (run.created, run.reopened, run.closed) == (0, 1, 1)
    assert Finding.objects.count() == count
    cleared.refresh_from_db(), closed.refresh_from_db(), fixed.refresh_from_db()
    assert cleared.state == FindingState.CLEARED and cleared.last_run_id == run.pk and cleared.reason == "核实无误"
    assert closed.state == FindingState.OPEN and closed.message != "旧描述" and closed.last_run_id == run.pk
    assert fixed.state == FindingState.CLOSED and fixed.last_run_id == run.pk
    assert closed.evidence and isinstance(closed.evidence, dict)
    again = services.sweep_run(actor=fin, engine="db")
    assert (again.created, again.reopened, again.closed) == (0, 0, 0)


def test_a_failing_duckdb_reader_raises_instead_of_hanging(planted, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the COPY stream through a named pipe is the PostgreSQL path")
    import duckdb

    monkeypatch.setattr(duck, "_read_csv", lambda table, types: "INSERT INTO no_such_table SELECT 1 WHERE ? IS NULL")
    with pytest.raises(duckdb.Error):
        duck.extract()
