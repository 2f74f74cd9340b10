"""失败资金原渠道退回 (issue 14 point 5): the bank (or finance on its behalf) records the return of an answered
order's failed lines with its receipt; the amount must equal the failed lines not yet reissued; the deadline
is the profile's failed_funds_return_working_days from the result file's arrival, flagged on both to-do lists
and in the reconciliation."""
import datetime

import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.urls import reverse
from django.utils import timezone

from tests.support.scenarios import PNG
from yikatong.accounts.models import Organization
from yikatong.accounts.roles import Role
from yikatong.audit.models import AuditEvent
from yikatong.core import calendar
from yikatong.funds.models import FundMovement, MovementKind
from yikatong.funds.services import batch_ref
from yikatong.payments import reconcile, returns, selectors, services
from yikatong.payments.errors import PaymentError
from yikatong.payments.models import FundReturn, ItemStatus, PaymentOrder
from yikatong.rosters.models import Batch
from yikatong.web.todo import todos_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(sent, pw):
    """The answered order with one failed line (seq 2), ingested: (order, failed fen)."""
    order, answer = sent
    result = services.bank_answer_ingest(actor=pw.users["gk"], filename=answer.filename, data=answer.data)
    order = result.order
    line = order.items.get(status=ItemStatus.FAILED)
    return order, line.amount_fen


def _bank_user(pw):
    pw.orgs["bank"] = Organization.objects.get(code="B1")
    return pw.user("bank1", "bank", Role.BANK)


def test_bank_records_the_return_with_its_receipt(failed, pw):
    order, owed = failed
    bank = _bank_user(pw)
    assert returns.expected(order) == (1, owed)
    ret = returns.fund_return_record(actor=bank, order_id=order.pk, amount_fen=owed, returned_on=timezone.localdate(),
                                     receipt_name="回单.png", receipt_data=PNG)
    assert (ret.amount_fen, ret.line_count, ret.on_behalf) == (owed, 1, False)
    assert ret.receipt() == PNG and bytes(ret.receipt_enc) != PNG  # sealed at rest
    event = AuditEvent.objects.get(action="payments.fund_return.record")
    assert event.after["amount_fen"] == owed
    # the quota ledger traces the returned fen under the batch's ref, without moving any balance again
    ref = batch_ref(order.batch)
    entries = FundMovement.objects.filter(ref=ref, kind=MovementKind.RETURN)
    assert sum(e.amount_fen for e in entries) == owed
    released = FundMovement.objects.filter(ref=ref, kind=MovementKind.RELEASE)
    assert sum(e.amount_fen for e in released) == owed and {e.quota_id for e in entries} <= {e.quota_id for e in released}
    with pytest.raises(PaymentError) as exc:
        returns.fund_return_record(actor=bank, order_id=order.pk, amount_fen=owed, returned_on=timezone.localdate(),
                                   receipt_name="回单.png", receipt_data=PNG)
    assert exc.value.code == "FUND_RETURN_RECORDED"


def test_amount_must_equal_the_failed_lines_not_reissued(failed, pw):
    order, owed = failed
    fin = pw.users["fin"]
    with pytest.raises(PaymentError) as exc:
        returns.fund_return_record(actor=fin, order_id=order.pk, amount_fen=owed - 1, returned_on=timezone.localdate(),
                                   receipt_name="回单.png", receipt_data=PNG)
    assert exc.value.code == "FUND_RETURN_AMOUNT_MISMATCH"
    assert str(owed) in str(exc.value) and str(owed - 1) in str(exc.value)
    for data, code in ((None, "FUND_RETURN_RECEIPT_REQUIRED"), (b"MZ not a receipt", "FUND_RETURN_RECEIPT_TYPE")):
        with pytest.raises(PaymentError) as exc:
            returns.fund_return_record(actor=fin, order_id=order.pk, amount_fen=owed, returned_on=timezone.localdate(),
                                       receipt_name="x", receipt_data=data)
        assert exc.value.code == code
    with pytest.raises(PaymentError) as exc:
        returns.fund_return_record(actor=fin, order_id=order.pk, amount_fen=owed,
                                   returned_on=timezone.localdate() + datetime.timedelta(days=1),
                                   receipt_name="回单.png", receipt_data=PNG)
    assert exc.value.code == "FUND_RETURN_DATE_INVALID"
    ret = returns.fund_return_record(actor=fin, order_id=order.pk, amount_fen=owed, returned_on=timezone.localdate(),
                                     receipt_name="回单.png", receipt_data=PNG)
    assert ret.on_behalf  # finance recorded it on the bank's behalf


def test_nothing_owed_once_the_failed_line_is_reissued(failed, pw):
    from yikatong.payments.models import Reissue

    order, _ = failed
    line = order.items.get(status=ItemStatus.FAILED)
    Reissue.objects.create(source=line, new_item=line.batch_item, created_by=pw.users["fin"])  # as reissue.py links it
    with pytest.raises(PaymentError) as exc:
        returns.fund_return_record(actor=pw.users["fin"], order_id=order.pk, amount_fen=line.amount_fen,
                                   returned_on=timezone.localdate(), receipt_name="回单.png", receipt_data=PNG)
    assert exc.value.code == "FUND_RETURN_NOTHING_OWED"


def test_others_are_refused_or_do_not_see_the_order(failed, pw, make_user, regions):
    order, owed = failed
    args = dict(order_id=order.pk, amount_fen=owed, returned_on=timezone.localdate(), receipt_name="回单.png",
                receipt_data=PNG)
    with pytest.raises(PermissionDenied) as exc:
        returns.fund_return_record(actor=pw.users["gk"], **args)  # treasury reads the order but may not record
    assert exc.value.code == "FUND_RETURN_ROLE_NOT_ALLOWED"
    other = make_user("fin_other", Role.FINANCE_REVIEWER, region=regions["other_county"])
    with pytest.raises(ObjectDoesNotExist):
        returns.fund_return_record(actor=other, **args)


def test_deadline_follows_the_profile_and_is_flagged_for_finance_and_bank(failed, pw, client):
    order, owed = failed
    bank = _bank_user(pw)
    # profile 000 sets no limit: nothing is due
    assert returns.return_due(order) is None
    Batch.objects.filter(pk=order.batch_id).update(profile_code="001")  # 001: the next working day
    order = PaymentOrder.objects.get(pk=order.pk)
    arrived = timezone.localdate(order.answered_at)
    assert returns.return_due(order) == calendar.add_working_days(arrived, 1)
    late = returns.return_due(order) + datetime.timedelta(days=1)
    assert not returns.is_overdue(order, returns.return_due(order)) and returns.is_overdue(order, late)
    # back-date the answer so that today is after the deadline
    PaymentOrder.objects.filter(pk=order.pk).update(answered_at=order.answered_at - datetime.timedelta(days=10))
    for user in (pw.users["fin"], bank):
        (item,) = [t for t in todos_for(user) if order.batch_no in t.title and "退回" in t.title]
        assert item.overdue and "逾期" in item.title
    st = reconcile.statement(selectors.orders_for(pw.users["fin"]), year=order.business_date.year)
    assert any("原渠道退回" in m for m in st.mismatches)
    ret = returns.fund_return_record(actor=bank, order_id=order.pk, amount_fen=owed, returned_on=timezone.localdate(),
                                     receipt_name="回单.png", receipt_data=PNG)
    st = reconcile.statement(selectors.orders_for(pw.users["fin"]), year=order.business_date.year)
    assert not any("原渠道退回" in m for m in st.mismatches)
    assert sum(r.refunded_fen for r in st.rows) == owed
    assert not [t for t in todos_for(bank) if order.batch_no in t.title and "退回" in t.title]
    # the receipt is served as an uploaded file (sniffed type, nosniff)
    client.force_login(pw.users["fin"])
    resp = client.get(reverse("payments_fund_return_receipt", args=[ret.order_id]))
    assert resp.status_code == 200 and resp.content == PNG and resp["X-Content-Type-Options"] == "nosniff"
    assert FundReturn.objects.count() == 1
