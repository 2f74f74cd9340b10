"""A batch through payment with the simulated bank: failures with several codes, reissue until
paid, replays that change nothing, tampered answers refused, every fen accounted for."""
import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Sum

from tests.support.scenarios import answered_by_bank, do, pay_round, send_and_answer, walk_reissue_to_approved
from yikatong.audit.models import AuditEvent
from yikatong.banksim.options import SimOptions
from yikatong.core.crypto import vault
from yikatong.funds.models import FundCommitment, FundQuota
from yikatong.payments import services
from yikatong.payments.errors import IngestRefused, PaymentError
from yikatong.payments.exchange.paymentfile import parse_payment_file
from yikatong.payments.tests.support import KEY, reseal
from yikatong.payments.models import BankFile, ItemStatus, OrderState, PaymentOrder, PaymentOrderItem
from yikatong.rosters.errors import TransitionRefused
from yikatong.rosters.models import Batch
from yikatong.rosters.tests.files import card


def _snapshot():
    return (
        list(PaymentOrderItem.objects.order_by("pk").values_list("pk", "status", "reason_code", "bank_txn_id")),
        list(PaymentOrder.objects.order_by("pk").values_list("pk", "state", "paid_fen", "failed_fen")),
        list(FundQuota.objects.order_by("pk").values_list("committed_fen", "paid_fen")),
        list(Batch.objects.order_by("pk").values_list("pk", "state")),
        BankFile.objects.count(), AuditEvent.objects.count(),
    )


@pytest.mark.django_db
def test_payment_file_is_written_per_spec_and_never_sent_twice(pw, approved):
    u = pw.users
    order = services.order_create(actor=u["fin"], batch_id=approved.pk)
    assert order.batch_no.startswith("141024-") and order.item_count == 3 and order.total_fen == approved.total_fen
    assert FundCommitment.objects.get(ref=f"batch:{approved.code}").committed_fen == approved.total_fen
    with pytest.raises(PaymentError):
        services.order_create(actor=u["fin"], batch_id=approved.pk)
    with pytest.raises(TransitionRefused) as exc:  # the batch cannot be paid around the order
        do(approved, u["gk"], "pay")
    assert exc.value.code == "ORDER_NOT_RELEASED"
    with pytest.raises(PermissionDenied):
        services.order_release(actor=u["fin"], order_id=order.pk)
    with pytest.raises(PaymentError) as exc:
        services.order_send(actor=u["gk"], order_id=order.pk)  # not released yet
    assert exc.value.code == "TRANSITION_NOT_ALLOWED"
    services.order_release(actor=u["gk"], order_id=order.pk)
    assert Batch.objects.get(pk=approved.pk).state == "paying"
    order = services.order_send(actor=u["gk"], order_id=order.pk)
    data = (pw.connector.outbox / order.payment_file.filename).read_bytes()
    assert order.payment_file.data() == data
    assert order.payment_file.filename == f"YKT1_ABC01_{order.batch_no}_P.txt"
    parsed = parse_payment_file(data, KEY, filename=order.payment_file.filename)
    items = list(approved.items.order_by("seq"))
    assert [(ln.item_ref, ln.account_no, ln.id_no, ln.amount_fen) for ln in parsed.lines] == [
        (i.item_ref, vault().decrypt(i.account_enc), vault().decrypt(i.id_enc), i.amount_fen) for i in items]
    assert parsed.header.total_fen == approved.total_fen and data.endswith(b"\r\n")
    with pytest.raises(PaymentError):
        services.order_send(actor=u["gk"], order_id=order.pk)
    assert BankFile.objects.filter(kind="P").count() == 1


@pytest.mark.django_db
def test_failures_reissued_until_each_item_paid_exactly_once(pw, approved):
    u = pw.users
    refs = list(approved.items.order_by("seq").values_list("item_ref", flat=True))
    total = approved.total_fen
    order, name, data = pay_round(approved, pw, SimOptions(fail_ref={refs[1]: "E01", refs[2]: "E05"}))
    approved.refresh_from_db()
    assert approved.state == "partly_failed"
    assert (order.state, order.paid_count, order.failed_count) == (OrderState.ANSWERED, 1, 2)
    assert order.paid_fen + order.failed_fen == total
    failed = {i.item_ref: i.reason_code for i in order.items.filter(status=ItemStatus.FAILED)}
    assert failed == {refs[1]: "E01", refs[2]: "E05"}
    commitment = FundCommitment.objects.get(ref=f"batch:{approved.code}")
    assert (commitment.paid_fen, commitment.released_fen, commitment.outstanding_fen) == (
        order.paid_fen, order.failed_fen, 0)

    # replaying the result file changes nothing
    before = _snapshot()
    again = services.bank_answer_ingest(actor=u["gk"], filename=name, data=data)
    assert not again.created and _snapshot() == before

    # round 2: the E01 account is corrected; the E05 card is activated and the item paid again;
    # the bank now fails the corrected account with E03
    reissue = services.reissue_create(actor=u["zhan"], batch_id=approved.pk,
                                      corrections={refs[1]: {"account": card(77)}})
    assert (reissue.kind, reissue.parent_id, reissue.item_count) == ("reissue", approved.pk, 2)
    new_refs = list(reissue.items.order_by("seq").values_list("item_ref", flat=True))
    assert not set(new_refs) & set(refs)
    assert vault().decrypt(reissue.items.get(seq=1).account_enc) == card(77)
    with pytest.raises(PaymentError):  # the same failures are not reissued twice
        services.reissue_create(actor=u["zhan"], batch_id=approved.pk)
    reissue = walk_reissue_to_approved(reissue, pw)
    order2, _, _ = pay_round(reissue, pw, SimOptions(fail_ref={new_refs[0]: "E03"}))
    assert (order2.paid_count, order2.failed_count) == (1, 1)
    assert order2.batch_no != order.batch_no
    approved.refresh_from_db()
    assert approved.state == "partly_failed"  # one person still unpaid

    # round 3: a reissue of the reissue, paid
    reissue2 = services.reissue_create(actor=u["zhan"], batch_id=reissue.pk,
                                       corrections={new_refs[0]: {"account": card(78)}})
    reissue2 = walk_reissue_to_approved(reissue2, pw)
    order3, _, _ = pay_round(reissue2, pw)
    assert (order3.paid_count, order3.failed_count) == (1, 0)
    states = dict(Batch.objects.filter(pk__in=[approved.pk, reissue.pk, reissue2.pk]).values_list("pk", "state"))
    assert states == {approved.pk: "closed", reissue.pk: "closed", reissue2.pk: "paid"}

    # each person paid exactly once; every fen accounted for
    paid = PaymentOrderItem.objects.filter(status=ItemStatus.PAID)
    assert sorted(paid.values_list("origin__item_ref", flat=True)) == sorted(refs)
    assert paid.aggregate(s=Sum("amount_fen"))["s"] == total
    orders = PaymentOrder.objects.filter(state=OrderState.ANSWERED)
    assert all(o.paid_fen + o.failed_fen == o.total_fen for o in orders)
    returned = sum(o.failed_fen for o in orders)
    assert sum(o.total_fen for o in orders) == sum(o.paid_fen for o in orders) + returned  # approved = paid + returned
    assert sum(o.paid_fen for o in orders) == total
    commitments = FundCommitment.objects.all()
    assert sum(c.paid_fen for c in commitments) == total
    assert sum(c.released_fen for c in commitments) == returned
    assert all(c.outstanding_fen == 0 for c in commitments)
    assert sum(FundQuota.objects.values_list("paid_fen", flat=True)) == total
    assert sum(FundQuota.objects.values_list("committed_fen", flat=True)) == 0


@pytest.mark.django_db
def test_tampered_or_unknown_result_refused_and_nothing_changes(pw, approved):
    u = pw.users
    order = services.order_create(actor=u["fin"], batch_id=approved.pk)
    order, answer = answered_by_bank(order, pw)
    before = _snapshot()
    flipped = answer.data.replace(b"|S|", b"|F|", 1)
    bad_amount = reseal(answer.data, lambda body: body.replace(b"|50000|S|", b"|50001|S|", 1))
    other_key = reseal(answer.data, lambda body: body, key=b"x" * 32)
    for data, words in [(flipped, "F0"), (other_key, "F02"), (bad_amount, "F01")]:
        with pytest.raises(IngestRefused, match=words):
            services.bank_answer_ingest(actor=u["gk"], filename=answer.filename, data=data)
    unknown = answer.filename.replace(order.batch_no, order.batch_no[:-6] + "999999")
    with pytest.raises(IngestRefused) as exc:
        services.bank_answer_ingest(actor=u["gk"], filename=unknown, data=answer.data)
    assert exc.value.code == "INGEST_UNKNOWN_BATCH"
    with pytest.raises(PermissionDenied):
        services.bank_answer_ingest(actor=u["zhan"], filename=answer.filename, data=answer.data)
    assert _snapshot() == before
    assert services.bank_answer_ingest(actor=None, filename=answer.filename, data=answer.data).created
    approved.refresh_from_db()
    assert approved.state == "paid"


@pytest.mark.django_db
def test_rejection_leaves_order_resendable_under_a_new_batch_no(pw, approved):
    u = pw.users
    order = services.order_create(actor=u["fin"], batch_id=approved.pk)
    order, answer = answered_by_bank(order, pw, SimOptions(reject="F05"))
    got = services.bank_answer_ingest(actor=u["gk"], filename=answer.filename, data=answer.data)
    assert (got.order.state, got.order.rejection_code) == (OrderState.REJECTED, "F05")
    before = _snapshot()
    assert not services.bank_answer_ingest(actor=u["gk"], filename=answer.filename, data=answer.data).created
    assert _snapshot() == before
    with pytest.raises(PaymentError) as exc:  # X files carry no MAC
        services.order_resend(actor=u["fin"], order_id=order.pk)
    assert exc.value.code == "REJECTION_UNCONFIRMED"
    services.rejection_confirm(actor=u["fin"], order_id=order.pk, note="已致电银行确认")
    new = services.order_resend(actor=u["fin"], order_id=order.pk)
    assert new.batch_no != order.batch_no and new.replaces_id == order.pk
    with pytest.raises(PaymentError):
        services.order_resend(actor=u["fin"], order_id=order.pk)
    new, _, _ = send_and_answer(new, pw)
    assert (new.paid_count, new.paid_fen) == (3, approved.total_fen)
    assert Batch.objects.get(pk=approved.pk).state == "paid"
    assert FundCommitment.objects.get(ref=f"batch:{approved.code}").paid_fen == approved.total_fen


@pytest.mark.django_db
def test_e08_duplicate_is_never_reissued_and_is_written_off(pw, approved):
    u = pw.users
    refs = list(approved.items.order_by("seq").values_list("item_ref", flat=True))
    order, _, _ = pay_round(approved, pw, SimOptions(fail_ref={refs[0]: "E08"}))
    line = order.items.get(item_ref=refs[0])
    assert line.do_not_repay and line.status == ItemStatus.FAILED
    with pytest.raises(PaymentError, match="E08"):
        services.reissue_create(actor=u["zhan"], batch_id=approved.pk)
    with pytest.raises(PaymentError):
        services.order_item_write_off(actor=u["fin"], order_item_id=line.pk, reason=" ")
    services.order_item_write_off(actor=u["fin"], order_item_id=line.pk, reason="经核查，银行已于上一批次发放")
    approved.refresh_from_db()
    assert approved.state == "closed"


@pytest.mark.django_db
def test_an_origin_already_paid_refuses_the_answer_and_the_database_enforces_it(pw, approved):
    """Paid once (DESIGN §6.2) is held by PaidOrigin's primary key: an answer paying an origin that
    already has a paid line is refused as a whole, and a second PaidOrigin row never fits."""
    from django.db import IntegrityError, transaction

    from yikatong.payments.models import PaidOrigin

    u = pw.users
    order = services.order_create(actor=u["fin"], batch_id=approved.pk)
    order, answer = answered_by_bank(order, pw)
    line = order.items.order_by("seq").first()
    PaidOrigin.objects.create(origin_id=line.origin_id, line=line)  # as if paid through another line
    before = _snapshot()
    with pytest.raises(IngestRefused) as exc:
        services.bank_answer_ingest(actor=u["gk"], filename=answer.filename, data=answer.data)
    assert exc.value.code == "INGEST_ALREADY_PAID_ELSEWHERE"
    assert _snapshot() == before and PaidOrigin.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        PaidOrigin.objects.create(origin_id=line.origin_id, line=order.items.order_by("seq").last())
    PaidOrigin.objects.all().delete()
    assert services.bank_answer_ingest(actor=u["gk"], filename=answer.filename, data=answer.data).created
    paid = order.items.filter(status=ItemStatus.PAID)
    assert sorted(PaidOrigin.objects.values_list("line_id", flat=True)) == sorted(paid.values_list("pk", flat=True))
