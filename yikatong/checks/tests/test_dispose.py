"""Dispositions, the approval guard and the background job."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.support.factories import add_item, clone_batch
from tests.support.scenarios import do, walk_to_dept_approval
from yikatong.audit.models import AuditEvent
from yikatong.checks import services
from yikatong.checks.tasks import enqueue_batch_check
from yikatong.checks.models import Finding, FindingState
from yikatong.checks.selectors import blocking_findings, findings_for
from yikatong.jobs.models import JobState
from yikatong.rosters.errors import TransitionRefused
from yikatong.rosters.models import BatchItem
from yikatong.rosters.tests.files import card, id_number

from .conftest import BLOCKING, TRUTH


def _finding(code: str) -> Finding:
    return Finding.objects.get(rule__code=code)


@pytest.mark.django_db
def test_confirmed_removes_the_item_from_an_editable_batch(planted, rw):
    batch = planted["batch"]
    services.batch_checks_run(actor=None, batch_id=batch.pk)
    f = _finding("AMOUNT_STANDARD")
    out = services.finding_dispose(actor=rw.users["zhan"], finding_id=f.pk, decision="confirmed", reason="核实金额填错")
    assert out.state == FindingState.CONFIRMED and out.disposed_by == rw.users["zhan"] and out.disposed_at
    item = BatchItem.objects.get(pk=f.item_id)
    assert item.status == "removed" and "金额与标准不符" in item.removed_reason
    assert AuditEvent.objects.filter(action="checks.finding_confirmed", object_id=str(f.pk)).exists()
    # the removed item is no longer checked; the confirmed finding keeps its disposition
    services.batch_checks_run(actor=None, batch_id=batch.pk)
    assert _finding("AMOUNT_STANDARD").state == FindingState.CONFIRMED
    with pytest.raises(ValidationError):
        services.finding_dispose(actor=rw.users["zhan"], finding_id=f.pk, decision="cleared", reason="再处置",
                         evidence_text="说明")


@pytest.mark.django_db
def test_cleared_needs_a_reason_and_stays_cleared(planted, rw):
    services.batch_checks_run(actor=None, batch_id=planted["batch"].pk)
    f = _finding("STATE_PAID")
    with pytest.raises(ValidationError) as exc:
        services.finding_dispose(actor=rw.users["czs"], finding_id=f.pk, decision="cleared", reason="  ")
    assert exc.value.code == "FINDING_CLEAR_REASON_REQUIRED"
    with pytest.raises(ValidationError) as exc:
        services.finding_dispose(actor=rw.users["czs"], finding_id=f.pk, decision="maybe", reason="x")
    assert exc.value.code == "FINDING_DECISION_UNKNOWN"
    assert _finding("STATE_PAID").state == FindingState.OPEN
    with pytest.raises(ValidationError) as exc:  # a reason alone is not enough
        services.finding_dispose(actor=rw.users["czs"], finding_id=f.pk, decision="cleared", reason="已退休")
    assert exc.value.code == "FINDING_CLEAR_EVIDENCE_REQUIRED"
    assert _finding("STATE_PAID").state == FindingState.OPEN and not f.evidence_items.exists()
    services.finding_dispose(actor=rw.users["czs"], finding_id=f.pk, decision="cleared", reason="已退休，退休金低于标准，附证明",
                     evidence_text="人社局退休证明 洪人社〔2026〕12号")
    services.batch_checks_run(actor=None, batch_id=planted["batch"].pk)
    f.refresh_from_db()
    assert f.state == FindingState.CLEARED and f.reason.startswith("已退休")
    assert [e.text for e in f.evidence_items.all()] == ["人社局退休证明 洪人社〔2026〕12号"]
    assert Finding.objects.filter(rule__code="STATE_PAID").count() == 1


@pytest.mark.django_db
def test_dispose_is_denied_by_role_and_region_and_changes_nothing(planted, rw, make_user, regions):
    services.batch_checks_run(actor=None, batch_id=planted["batch"].pk)
    f = _finding("DUP_PAYMENT")
    events = AuditEvent.objects.count()
    for user in [rw.users["other_fin"], make_user("jj", "supervisor"), make_user("t2op", "township_operator",
                                                                                 region=regions["town2"])]:
        with pytest.raises(PermissionDenied):
            services.finding_dispose(actor=user, finding_id=f.pk, decision="cleared", reason="不是重复",
                             evidence_text="核对记录")
        with pytest.raises(PermissionDenied):
            services.batch_checks_run(actor=user, batch_id=planted["batch"].pk)
    f.refresh_from_db()
    assert f.state == FindingState.OPEN and AuditEvent.objects.count() == events
    assert findings_for(rw.users["other_fin"]).count() == 0
    assert findings_for(rw.users["fin"], rule="DUP_PAYMENT").count() == 1
    assert findings_for(rw.users["fin"], severity="block", state="open").count() == BLOCKING


def _walk_to_dept_approval(batch, rw):
    batch = walk_to_dept_approval(batch, rw)
    assert batch.state == "dept_approval"
    return batch


@pytest.mark.django_db
def test_approval_is_refused_while_a_blocking_finding_is_open(rw, batch, regions):
    batch = _walk_to_dept_approval(batch, rw)
    other = clone_batch(batch, regions["town2"], "T2")
    add_item(other, 1, "对象1", id_number(1), card(98))  # paid twice for 2026-11
    services.batch_checks_run(actor=None, batch_id=batch.pk)
    assert blocking_findings(batch).count() == 1
    with pytest.raises(TransitionRefused) as exc:
        do(batch, rw.users["mz_head"], "dept_approve")
    assert exc.value.code == "BLOCKING_FINDINGS_OPEN"
    batch.refresh_from_db()
    assert batch.state == "dept_approval"
    f = _finding("DUP_PAYMENT")
    # clearing proposed with a reason by the reviewer (四眼): still blocks until the head confirms it
    services.finding_dispose(actor=rw.users["mz_rev"], finding_id=f.pk, decision="cleared", reason="另一批次已作废，附说明",
                     evidence_text="作废通知")
    assert _finding("DUP_PAYMENT").state == FindingState.CLEAR_PENDING
    with pytest.raises(TransitionRefused) as refused:
        do(batch, rw.users["mz_head"], "dept_approve")
    assert refused.value.code == "BLOCKING_FINDINGS_OPEN"
    services.finding_clear_confirm(actor=rw.users["mz_head"], finding_id=f.pk)
    assert _finding("DUP_PAYMENT").state == FindingState.CLEARED
    batch = do(batch, rw.users["mz_head"], "dept_approve")
    assert batch.state == "finance_review"


@pytest.mark.django_db
def test_confirmed_on_a_submitted_batch_is_recorded_and_still_blocks(planted, rw):
    batch = planted["batch"]
    type(batch).objects.filter(pk=batch.pk).update(state="dept_approval")
    services.batch_checks_run(actor=None, batch_id=batch.pk)
    f = _finding("DUP_PAYMENT")
    out = services.finding_dispose(actor=rw.users["mz_head"], finding_id=f.pk, decision="confirmed", reason="重复，退回剔除")
    assert "退回" in out.outcome and BatchItem.objects.get(pk=f.item_id).status == "active"
    assert blocking_findings(batch).count() == BLOCKING  # confirmed, item still in the batch
    BatchItem.objects.filter(pk=f.item_id).update(status="removed")
    assert blocking_findings(batch).count() == BLOCKING - 1


@pytest.mark.django_db
def test_the_job_runs_the_batch_check_on_commit(planted, rw, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = enqueue_batch_check(actor=rw.users["zhan"], batch_id=planted["batch"].pk)
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.state == JobState.DONE, job.message
    planted_count = sum(len(seqs) for seqs in TRUTH.values())
    assert job.result["created"] == planted_count and "比对完成" in job.message
    assert Finding.objects.filter(batch=planted["batch"]).count() == planted_count
