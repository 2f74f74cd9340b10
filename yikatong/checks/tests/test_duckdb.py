"""The same rule SQL gives the same findings on the primary database and in DuckDB."""
import pytest

from yikatong.checks import duck, engine, services, sqlviews
from yikatong.checks.models import Finding
from yikatong.rosters.models import Batch

from .conftest import TRUTH

pytestmark = pytest.mark.django_db


def test_every_rule_gives_identical_hits_on_both_engines(planted):
    rules = services.ensure_rules()
    scope = sqlviews.scope_rows(Batch.objects.select_related("policy"))
    con = duck.extract()
    for rule in rules:
        db_hits = engine.run_rule(rule, scope)
        duck_hits = duck.run_rule(con, rule, scope)
        assert db_hits, rule.code
        assert [(h.fingerprint, h.message, h.evidence) for h in db_hits] == \
               [(h.fingerprint, h.message, h.evidence) for h in duck_hits], rule.code


def test_duckdb_sweep_finds_the_ground_truth_and_rerunning_duplicates_nothing(planted, rw):
    run = services.run_sweep(actor=rw.users["fin"], engine="duckdb")
    assert run.engine == "duckdb" and run.created > 0
    seqs: dict[str, set[int]] = {}
    for f in Finding.objects.filter(batch=planted["batch"]).select_related("rule", "item"):
        seqs.setdefault(f.rule.code, set()).add(f.item.seq)
    assert seqs == TRUTH
    count = Finding.objects.count()
    again = services.run_sweep(actor=rw.users["fin"], engine="db")
    assert again.created == 0 and again.closed == 0 and Finding.objects.count() == count
    again = services.run_sweep(actor=rw.users["fin"], engine="duckdb")
    assert again.created == 0 and again.closed == 0 and Finding.objects.count() == count


def test_sweep_job(planted, rw, django_capture_on_commit_callbacks):
    from yikatong.checks.jobs import enqueue_sweep

    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue_sweep(actor=rw.users["fin"], year="2026")
    job.refresh_from_db()
    assert job.state == "done", job.message
    assert job.result["created"] == Finding.objects.count() > 0
