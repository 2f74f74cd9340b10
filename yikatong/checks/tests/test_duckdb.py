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
    run = services.sweep_run(actor=rw.users["fin"], engine="duckdb")
    assert run.engine == "duckdb" and run.created > 0
    seqs: dict[str, set[int]] = {}
    for f in Finding.objects.filter(batch=planted["batch"]).select_related("rule", "item"):
        seqs.setdefault(f.rule.code, set()).add(f.item.seq)
    assert seqs == TRUTH
    count = Finding.objects.count()
    again = services.sweep_run(actor=rw.users["fin"], engine="db")
    assert again.created == 0 and again.closed == 0 and Finding.objects.count() == count
    again = services.sweep_run(actor=rw.users["fin"], engine="duckdb")
    assert again.created == 0 and again.closed == 0 and Finding.objects.count() == count


def test_sweep_job(planted, rw, django_capture_on_commit_callbacks):
    from yikatong.checks.tasks import sweep_start

    with django_capture_on_commit_callbacks(execute=True):
        job = sweep_start(actor=rw.users["fin"], year="2026")
    job.refresh_from_db()
    assert job.state == "done", job.message
    assert job.result["created"] == Finding.objects.count() > 0


def test_duckdb_sweep_applies_region_settings_like_the_database(planted, rw, regions):
    from yikatong.checks.setting_services import rule_setting_save

    town1 = regions["town1"].code
    rule_setting_save(actor=rw.users["fin"], rule_code="DUP_PAYMENT", region_code=town1, policy_code="", enabled=False,
                     params={}, reason="本镇另行核查")
    rule_setting_save(actor=rw.users["fin"], rule_code="SHARED_PHONE", region_code=town1, policy_code="DB01",
                     enabled=True, params={"max_per_phone": 2}, reason="从严")
    run = services.sweep_run(actor=rw.users["fin"], engine="duckdb")
    snapshot = set(Finding.objects.values_list("rule__code", "fingerprint", "state", "batch_id"))
    assert not any(code == "DUP_PAYMENT" and batch == planted["batch"].pk for code, _, _, batch in snapshot)
    assert {Finding.objects.get(fingerprint=fp).item.seq for code, fp, _, batch in snapshot
            if code == "SHARED_PHONE" and batch == planted["batch"].pk} == set(range(23, 30))
    again = services.sweep_run(actor=rw.users["fin"], engine="db")
    assert again.created == again.closed == again.reopened == 0
    assert set(Finding.objects.values_list("rule__code", "fingerprint", "state", "batch_id")) == snapshot
    assert run.setting_versions.keys() == {"DUP_PAYMENT", "SHARED_PHONE"}
