"""Ground truth: each built-in rule finds its planted case and nothing on the clean rows."""
from collections import defaultdict

import pytest

from yikatong.audit.models import AuditEvent
from yikatong.checks import services
from yikatong.checks.models import Finding, FindingState, Rule, RuleRun
from yikatong.checks.rules import BUILTIN
from yikatong.checks.selectors import blocking_findings
from yikatong.rosters.models import BatchItem

from .conftest import BLOCKING, TRUTH

pytestmark = pytest.mark.django_db


def found(batch) -> dict[str, set[int]]:
    out = defaultdict(set)
    for f in Finding.objects.filter(batch=batch).select_related("rule", "item"):
        out[f.rule.code].add(f.item.seq)
    return dict(out)


def test_every_rule_finds_its_planted_case_and_nothing_else(planted, rw):
    run = services.batch_checks_run(actor=rw.users["czs"], batch_id=planted["batch"].pk)
    assert found(planted["batch"]) == TRUTH
    assert set(TRUTH) == {r.code for r in BUILTIN}
    assert run.created == sum(len(s) for s in TRUTH.values()) and run.finished_at is not None
    assert AuditEvent.objects.filter(action="checks.run_batch", object_id=str(run.pk)).exists()
    # only the scoped batch's items get findings (the other batch is not checked incrementally)
    assert not Finding.objects.exclude(batch=planted["batch"]).exists()


def test_messages_and_evidence_name_the_case(planted, rw):
    services.batch_checks_run(actor=None, batch_id=planted["batch"].pk)
    dup = Finding.objects.get(rule__code="DUP_PAYMENT")
    assert "重复发放" in dup.message and "T2" in dup.message and dup.severity == "block"
    dead = {f.evidence["source"]: f for f in Finding.objects.filter(rule__code="DECEASED")}
    assert dead["register"].evidence["death_date"] == "2026-06-01"
    assert dead["reference"].evidence["death_date"] == "2026-09-01" and "共享死亡数据" in dead["reference"].message
    inactive = Finding.objects.get(rule__code="ACCOUNT_INACTIVE")
    assert "冻结" in inactive.message
    assert all("bidx" not in k for f in Finding.objects.all() for k in f.evidence)


def test_rerunning_creates_no_duplicate(planted, rw):
    services.batch_checks_run(actor=None, batch_id=planted["batch"].pk)
    before = set(Finding.objects.values_list("pk", "fingerprint"))
    again = services.batch_checks_run(actor=None, batch_id=planted["batch"].pk)
    assert again.created == 0 and again.closed == 0 and again.hits == len(before)
    assert set(Finding.objects.values_list("pk", "fingerprint")) == before
    assert RuleRun.objects.count() == 2


def test_a_fixed_cause_closes_the_finding_and_a_returning_one_reopens_it(planted, rw):
    batch, item = planted["batch"], planted["items"][8]
    services.batch_checks_run(actor=None, batch_id=batch.pk)
    f = Finding.objects.get(rule__code="AMOUNT_STANDARD")
    BatchItem.objects.filter(pk=item.pk).update(amount_fen=50000)
    run = services.batch_checks_run(actor=None, batch_id=batch.pk)
    f.refresh_from_db()
    assert f.state == FindingState.CLOSED and run.closed == 1
    BatchItem.objects.filter(pk=item.pk).update(amount_fen=70000)
    run = services.batch_checks_run(actor=None, batch_id=batch.pk)
    f.refresh_from_db()
    assert f.state == FindingState.OPEN and run.reopened == 1 and "700.00 元" in f.message
    assert Finding.objects.filter(rule__code="AMOUNT_STANDARD").count() == 1


def test_disabled_rule_and_parameters(planted, rw):
    services.ensure_rules()
    Rule.objects.filter(code="AGE_LIMIT").update(enabled=False)
    Rule.objects.filter(code="AMOUNT_STANDARD").update(params={"tolerance_fen": 20000})
    services.batch_checks_run(actor=None, batch_id=planted["batch"].pk)
    codes = set(found(planted["batch"]))
    assert "AGE_LIMIT" not in codes and "AMOUNT_STANDARD" not in codes and "DUP_PAYMENT" in codes


def test_sweep_checks_every_batch_and_then_the_batch_run_adds_nothing(planted, rw):
    run = services.sweep_run(actor=rw.users["fin"], year="2026")
    # the other side of the duplicate and the borrowed card, and the other township paying 1..3, who are
    # registered in town1 (2 not at all), 2 and 3 into cards registered to others (对象3, 对象5)
    assert found(planted["other"]) == {"DUP_PAYMENT": {1}, "SHARED_ACCOUNT": {2}, "NOT_RESIDENT": {1, 2, 3},
                                       "HOLDER_MISMATCH": {2, 3}}
    assert found(planted["batch"]) == TRUTH and run.scope == "sweep"
    assert services.batch_checks_run(actor=None, batch_id=planted["batch"].pk).created == 0


def test_blocking_count_ignores_removed_items(planted, rw):
    batch = planted["batch"]
    services.batch_checks_run(actor=None, batch_id=batch.pk)
    assert blocking_findings(batch).count() == BLOCKING  # duplicate, 2 deceased, amount, ID, card, exclusive
    BatchItem.objects.filter(pk=planted["items"][8].pk).update(status="removed")
    assert blocking_findings(batch).count() == BLOCKING - 1
