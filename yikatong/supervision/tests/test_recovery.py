"""Recovery of an improper payment (追回, issue 16 §4): opened only on a confirmed finding of a paid item,
repayments reconciled into the quota ledger, overpaying refused, write-off by a second person, overdue by the
working-day calendar, scope refusals."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.utils import timezone

from yikatong.audit.models import AuditEvent
from yikatong.core import calendar
from yikatong.core.refusals import code_of
from yikatong.funds.models import FundMovement, FundQuota, MovementKind
from yikatong.funds.services import batch_ref
from yikatong.supervision import recovery, recovery_selectors
from yikatong.supervision.models import Recovery, RecoveryState
from yikatong.web.todo import todos_for

from .recovery_support import EVIDENCE, confirmed_on, fin2, jiwei, paid  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _open(pw, paid, **kw):
    batch, lines = paid
    f = confirmed_on(lines[0].batch_item, pw)
    return recovery.recovery_open(actor=pw.users["fin"], finding_id=f.pk, reason="死亡后冒领", **kw), lines[0]


def _repay(actor, r, amount, voucher="JK-1", day=None):
    return recovery.repayment_record(actor=actor, recovery_id=r.pk, amount_fen=amount, repaid_on=day or TODAY(),
                                     voucher_no=voucher, evidence_name="凭证.png", evidence_data=EVIDENCE)


def _quota_balance(batch) -> int:
    ids = FundMovement.objects.filter(ref=batch_ref(batch)).values("quota_id")
    return sum(q.balance_fen for q in FundQuota.objects.filter(pk__in=ids))


def test_repayments_reconcile_into_the_quota_ledger(pw, paid, fin2):
    batch, _ = paid
    before = _quota_balance(batch)
    r, line = _open(pw, paid)
    assert (r.paid_fen, r.amount_fen, r.state, r.fund_ref) == (line.amount_fen, line.amount_fen, "open", batch_ref(batch))
    assert r.debtor_masked != r.debtor_name and r.recovery_no.startswith("ZH-141024-")
    part = r.amount_fen // 3
    _repay(pw.users["fin"], r, part)
    r.refresh_from_db()
    assert (r.state, r.repaid_fen) == (RecoveryState.PARTLY_REPAID, part)
    _repay(fin2, r, r.amount_fen - part, voucher="JK-2")
    r.refresh_from_db()
    assert (r.state, r.repaid_fen, r.closed_on) == (RecoveryState.REPAID, r.amount_fen, TODAY())
    ledger = FundMovement.objects.filter(ref=r.fund_ref, kind=MovementKind.RECOVERY).aggregate(s=Sum("amount_fen"))["s"]
    assert ledger == sum(p.amount_fen for p in r.repayments.all()) == r.amount_fen
    assert _quota_balance(batch) == before + r.amount_fen  # the balance is restored by what came back
    assert r.repayments.first().evidence() == EVIDENCE and bytes(r.repayments.first().evidence_enc) != EVIDENCE
    assert AuditEvent.objects.filter(action__in=("supervision.recovery.repay", "supervision.recovery.settle")).count() == 2


def test_overpaying_is_refused(pw, paid):
    r, _ = _open(pw, paid)
    with pytest.raises(ValidationError) as exc:
        _repay(pw.users["fin"], r, r.amount_fen + 1)
    assert exc.value.code == "REPAYMENT_EXCEEDS_OUTSTANDING"
    _repay(pw.users["fin"], r, r.amount_fen)
    with pytest.raises(ValidationError) as exc:
        _repay(pw.users["fin"], Recovery.objects.get(pk=r.pk), 1, voucher="JK-9")
    assert exc.value.code == "RECOVERY_STATE_NOT_ALLOWED"
    assert not FundMovement.objects.filter(ref=r.fund_ref, kind=MovementKind.RECOVERY).exclude(amount_fen=r.amount_fen)


def test_amount_is_within_what_was_paid_and_inputs_are_checked(pw, paid):
    batch, lines = paid
    f = confirmed_on(lines[0].batch_item, pw)
    with pytest.raises(ValidationError) as exc:
        recovery.recovery_open(actor=pw.users["fin"], finding_id=f.pk, reason="x", amount_fen=lines[0].amount_fen + 1)
    assert exc.value.code == "RECOVERY_AMOUNT_INVALID"
    r = recovery.recovery_open(actor=pw.users["fin"], finding_id=f.pk, reason="x", amount_fen=100)
    with pytest.raises(ValidationError) as exc:
        recovery.recovery_open(actor=pw.users["fin"], finding_id=f.pk, reason="x")
    assert exc.value.code == "RECOVERY_EXISTS"
    for kw, code in (({"evidence_data": None}, "REPAYMENT_EVIDENCE_REQUIRED"),
                     ({"evidence_data": b"MZ"}, "REPAYMENT_EVIDENCE_TYPE"),
                     ({"voucher_no": " "}, "REPAYMENT_VOUCHER_REQUIRED"),
                     ({"repaid_on": TODAY() + datetime.timedelta(days=1)}, "REPAYMENT_DATE_INVALID")):
        args = dict(actor=pw.users["fin"], recovery_id=r.pk, amount_fen=10, repaid_on=TODAY(), voucher_no="V1",
                    evidence_name="a.png", evidence_data=EVIDENCE)
        with pytest.raises(ValidationError) as exc:
            recovery.repayment_record(**{**args, **kw})
        assert exc.value.code == code
    _repay(pw.users["fin"], r, 10, voucher="V1")
    with pytest.raises(ValidationError) as exc:
        _repay(pw.users["fin"], r, 10, voucher="V1")
    assert exc.value.code == "REPAYMENT_VOUCHER_DUPLICATE"


def test_only_confirmed_findings_on_paid_items_open_recoveries(pw, paid, approved):
    from yikatong.checks.manual import finding_open_manual
    from yikatong.checks.models import Finding

    batch, lines = paid
    open_one = finding_open_manual(actor=pw.users["fin"], item_id=lines[1].batch_item_id, reason="r", source_ref="TS-2")
    with pytest.raises(ValidationError) as exc:
        recovery.recovery_open(actor=pw.users["fin"], finding_id=open_one.pk, reason="x")
    assert exc.value.code == "RECOVERY_FINDING_NOT_CONFIRMED"
    # a confirmed finding on an item no bank line paid
    Finding.objects.filter(pk=open_one.pk).update(state="confirmed")
    from yikatong.payments.models import PaidOrigin, PaymentOrderItem
    PaidOrigin.objects.filter(origin_id=lines[1].batch_item_id).delete()
    PaymentOrderItem.objects.filter(pk=lines[1].pk).update(status="failed")
    with pytest.raises(ValidationError) as exc:
        recovery.recovery_open(actor=pw.users["fin"], finding_id=open_one.pk, reason="x")
    assert exc.value.code == "RECOVERY_ITEM_NOT_PAID"
    # transferred as a clue counts as confirmed, and the recovery joins the clue
    f = confirmed_on(lines[2].batch_item, pw, decision="transferred", source="TS-3")
    r = recovery.recovery_open(actor=pw.users["fin"], finding_id=f.pk, reason="x")
    assert r.clue is not None and r.clue.finding_id == f.pk


def test_write_off_needs_a_reason_and_a_second_person(pw, paid, fin2):
    r, _ = _open(pw, paid)
    with pytest.raises(ValidationError) as exc:
        recovery.recovery_write_off(actor=fin2, recovery_id=r.pk, reason=" ")
    assert exc.value.code == "RECOVERY_WRITE_OFF_REASON_REQUIRED"
    with pytest.raises(Exception) as exc:
        recovery.recovery_write_off(actor=pw.users["fin"], recovery_id=r.pk, reason="对象死亡无遗产")
    assert code_of(exc.value) == "RECOVERY_WRITE_OFF_FOUR_EYES"
    r = recovery.recovery_write_off(actor=fin2, recovery_id=r.pk, reason="对象死亡无遗产")
    assert (r.state, r.written_off_by, r.write_off_reason) == (RecoveryState.WRITTEN_OFF, fin2, "对象死亡无遗产")


def test_due_and_overdue_follow_the_working_day_calendar(pw, paid, settings):
    r, _ = _open(pw, paid)
    opened = timezone.localdate(r.opened_at)
    assert r.due_on == calendar.add_working_days(opened, 20)  # profile 000: recovery_due_working_days
    assert not recovery_selectors.is_overdue(r, today=r.due_on)
    day_after = r.due_on + datetime.timedelta(days=1)
    assert recovery_selectors.is_overdue(r, today=day_after)
    assert list(recovery_selectors.recoveries_for(pw.users["fin"], overdue=True, today=day_after)) == [r]
    assert not recovery_selectors.recoveries_for(pw.users["fin"], overdue=True, today=r.due_on).exists()
    Recovery.objects.filter(pk=r.pk).update(due_on=opened - datetime.timedelta(days=1))
    todo = [t for t in todos_for(pw.users["fin"]) if r.recovery_no in t.title]
    assert todo and todo[0].overdue


def test_scope_refusals(pw, paid, jiwei):
    batch, lines = paid
    f = confirmed_on(lines[0].batch_item, pw)
    other = pw.users["other_fin"]
    with pytest.raises(PermissionDenied) as exc:
        recovery.recovery_open(actor=other, finding_id=f.pk, reason="x")
    assert exc.value.code == "RECOVERY_NOT_IN_SCOPE"
    for who in (jiwei, pw.users["mz_rev"], pw.users["city_fin"]):  # the city's finance sees it, the county acts
        with pytest.raises(PermissionDenied) as exc:
            recovery.recovery_open(actor=who, finding_id=f.pk, reason="x")
        assert exc.value.code == "RECOVERY_ROLE"
    r = recovery.recovery_open(actor=pw.users["fin"], finding_id=f.pk, reason="x")
    with pytest.raises(PermissionDenied) as exc:
        _repay(other, r, 1)
    assert exc.value.code == "RECOVERY_NOT_IN_SCOPE"
    with pytest.raises(PermissionDenied) as exc:
        _repay(jiwei, r, 1)
    assert exc.value.code == "RECOVERY_ROLE"
    assert list(recovery_selectors.recoveries_for(jiwei)) == [r]  # supervisors read all in their region
    assert not recovery_selectors.recoveries_for(other).exists()
    assert not recovery_selectors.recoveries_for(pw.users["mz_rev"]).exists()
