"""The cross-check guard of money-moving transitions (issue 12 point 2): the batch is checked
again inside the transition, so a check that never ran, a check job stuck "running" or items changed
since the last run change nothing; and the claim of (policy, period, person) refuses a person
already approved in another batch even when no rule says so."""
import pytest
from django.utils import timezone

from tests.support.factories import add_item, bad_card, clone_batch
from tests.support.scenarios import do, walk_to_approved
from yikatong.checks import services
from yikatong.checks.models import Finding, Rule, RuleRun
from yikatong.jobs.models import Job, JobState
from yikatong.payments import claims
from yikatong.payments.models import PaymentClaim
from yikatong.rosters.errors import TransitionRefused
from yikatong.rosters.importer.run import roster_import
from yikatong.rosters.models import Batch, BatchItem
from yikatong.rosters.tests.files import card, good_rows, id_number, to_csv


def _import(batch, rw, n=3):
    run = roster_import(actor=rw.users["zhan"], batch_id=batch.pk, data=to_csv(good_rows(n)), filename="清册.csv",
                        mode="all_or_nothing")
    assert run.imported, run.message


def _in_flight_with(batch, regions, seq: int, state="paying") -> Batch:
    """Another batch of the same policy and period, already approved and paying, holding person `seq`."""
    other = clone_batch(batch, regions["town2"], "T2")
    add_item(other, 1, f"对象{seq}", id_number(seq), card(90 + seq))
    Batch.objects.filter(pk=other.pk).update(state=state)
    claims.claim(other.pk)
    return other


def _to(batch, state: str) -> None:
    """Put a batch at a step directly (the earlier steps are not what these tests are about)."""
    Batch.objects.filter(pk=batch.pk).update(state=state)


@pytest.mark.django_db
def test_a_batch_whose_check_never_ran_or_is_stuck_cannot_pass_finance_approval(rw, batch, regions):
    """Regression (issue 12): the approval guard only counted findings that already existed."""
    _import(batch, rw)
    other = _in_flight_with(batch, regions, 2)
    # the background check was queued, its worker killed: the job stays "running", the run never finished
    Job.objects.create(key=f"checks:batch:{batch.pk}", kind="yikatong.checks.tasks.batch_check_job",
                       title="批次大数据比对", params={"batch_id": batch.pk}, state=JobState.RUNNING)
    RuleRun.objects.create(scope="batch", batch=batch, started_at=timezone.now())
    assert not Finding.objects.filter(batch=batch).exists()
    _to(batch, "finance_review")
    with pytest.raises(TransitionRefused) as exc:
        do(batch, rw.users["fin"], "finance_approve")
    assert exc.value.code == "BLOCKING_FINDINGS_OPEN"
    item = batch.items.get(seq=2)
    assert f"第2条 {item.id_masked}" in exc.value.message and "重复发放" in exc.value.message
    assert id_number(2) not in exc.value.message
    batch.refresh_from_db()
    assert batch.state == "finance_review"
    assert not PaymentClaim.objects.filter(batch=batch).exists()
    assert PaymentClaim.objects.get(id_bidx=item.id_bidx).batch_id == other.pk


@pytest.mark.django_db
def test_a_person_already_in_another_in_flight_batch_is_refused_by_the_claim(rw, batch, regions):
    """Regression (issue 12): even with the duplicate rule switched off (or its run racing), the
    database claim refuses a second approval of the same person, policy and period."""
    _import(batch, rw)
    other = _in_flight_with(batch, regions, 3, state="approved")
    services.ensure_rules()
    Rule.objects.filter(code="DUP_PAYMENT").update(enabled=False)
    _to(batch, "finance_review")
    with pytest.raises(TransitionRefused) as exc:
        do(batch, rw.users["fin"], "finance_approve")
    assert exc.value.code == "DUPLICATE_PAYMENT"
    item = batch.items.get(seq=3)
    assert item.id_masked in exc.value.message and other.code in exc.value.message
    assert id_number(3) not in exc.value.message
    batch.refresh_from_db()
    assert batch.state == "finance_review"
    assert not PaymentClaim.objects.filter(batch=batch).exists()  # the approval rolled back, claims included


@pytest.mark.django_db
def test_items_changed_after_a_clean_check_are_checked_again(rw, batch, regions):
    _import(batch, rw)
    run = services.batch_checks_run(actor=None, batch_id=batch.pk)
    assert not Finding.objects.filter(batch=batch, severity="block").exists(), run
    bad = add_item(batch, 4, "对象4", id_number(4), bad_card(4))  # written after the check, from another path
    _to(batch, "finance_review")
    with pytest.raises(TransitionRefused) as exc:
        do(batch, rw.users["fin"], "finance_approve")
    assert exc.value.code == "BLOCKING_FINDINGS_OPEN" and "第4条" in exc.value.message
    # the refusal rolled back the findings of the inline run; transitions.batch_transition stores them again after it
    stored = set(Finding.objects.filter(batch=batch, item=bad).values_list("rule__code", flat=True))
    assert "CARD_INVALID" in stored, stored
    BatchItem.objects.filter(pk=bad.pk).update(status="removed")
    batch = do(batch, rw.users["fin"], "finance_approve")
    assert batch.state == "approved"
    assert set(PaymentClaim.objects.filter(batch=batch).values_list("item__seq", flat=True)) == {1, 2, 3}


@pytest.mark.django_db
def test_a_second_roster_with_approved_people_is_checked_at_submission_and_stopped_at_approval(rw, batch, regions):
    walk_to_approved(batch, rw, "000")
    assert PaymentClaim.objects.filter(batch=batch).count() == 3
    second = clone_batch(batch, regions["town1"], "B")
    for seq in (1, 2, 3):
        add_item(second, seq, f"对象{seq}", id_number(seq), card(seq))
    _to(second, "compared")
    second = do(second, rw.users["zhan"], "submit")  # checked inside the submission, findings stored for review
    assert second.state == "dept_review"
    dups = Finding.objects.filter(batch=second, rule__code="DUP_PAYMENT", state="open")
    assert sorted(dups.values_list("item__seq", flat=True)) == [1, 2, 3]
    _to(second, "finance_review")
    with pytest.raises(TransitionRefused) as exc:
        do(second, rw.users["fin"], "finance_approve")
    assert exc.value.code == "BLOCKING_FINDINGS_OPEN" and "3 条" in exc.value.message
    # the approved batch is the legitimate holder of the slots: checking it again finds nothing against it
    services.batch_checks_run(actor=None, batch_id=batch.pk)
    assert not Finding.objects.filter(batch=batch, rule__code="DUP_PAYMENT", state="open").exists()
