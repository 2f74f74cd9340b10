"""Every reason code, and random sequences of results, rejections, corrections and replays:
each person is paid at most once and every fen is accounted for (DESIGN §6.2, §6.3)."""
import tempfile

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.support.scenarios import pay_round, send_and_answer, walk_reissue_to_approved
from yikatong.banksim.options import SimOptions
from yikatong.funds.models import FundCommitment
from yikatong.payments import services
from yikatong.payments.exchange.codes import REASON_CODES
from yikatong.payments.exchange.connector import OutboxConnector
from yikatong.payments.models import ItemStatus, OrderState, PaymentOrder, PaymentOrderItem
from yikatong.rosters.models import Batch
from yikatong.rosters.tests.files import card

REPAYABLE = [code for code in REASON_CODES if code != "E08"]


class _Rollback(Exception):
    pass


def _check_invariants(root):
    paid = PaymentOrderItem.objects.filter(status=ItemStatus.PAID)
    origins = list(paid.values_list("origin_id", flat=True))
    assert len(origins) == len(set(origins)), "a person was paid twice"
    assert set(origins) <= set(root.items.values_list("pk", flat=True))
    for order in PaymentOrder.objects.filter(state=OrderState.ANSWERED):
        assert order.paid_fen + order.failed_fen == order.total_fen
        lines = order.items.aggregate(s=Sum("amount_fen"))["s"]
        assert lines == order.total_fen and not order.items.filter(status=ItemStatus.PENDING).exists()
    for batch in Batch.objects.all():
        commitment = FundCommitment.objects.filter(ref=f"batch:{batch.code}")
        if not commitment.exists():
            continue
        c = commitment.aggregate(p=Sum("paid_fen"), r=Sum("released_fen"), o=Sum("outstanding_fen"), t=Sum("committed_fen"))
        answered = PaymentOrder.objects.filter(batch=batch, state=OrderState.ANSWERED)
        assert c["p"] == sum(o.paid_fen for o in answered)
        assert c["r"] == sum(o.failed_fen for o in answered)
        assert c["p"] + c["r"] + c["o"] == c["t"] == batch.total_fen  # approved = paid + returned + in flight


def _round_to_paid(pw, batch, codes_per_round, connector=None):
    """Pay `batch`, failing items with the given codes round after round, reissuing the failures."""
    u = pw.users
    seen_codes = []
    for codes in codes_per_round:
        refs = list(batch.items.order_by("seq").values_list("item_ref", flat=True))
        fail = {ref: code for ref, code in zip(refs, codes) if code}
        order, _, _ = pay_round(batch, pw, SimOptions(fail_ref=fail), connector)
        seen_codes += list(order.items.filter(status=ItemStatus.FAILED).values_list("reason_code", flat=True))
        batch.refresh_from_db()
        if batch.state == "paid":
            return seen_codes
        fixes = {ref: {"account": card(500 + n)} for n, ref in enumerate(fail)}
        batch = walk_reissue_to_approved(services.reissue_create(actor=u["zhan"], batch_id=batch.pk,
                                                                 corrections=fixes), pw)
    raise AssertionError("not paid within the rounds given")


@pytest.mark.django_db
def test_every_reason_code_then_all_paid_exactly_once(pw, approved):
    codes = REPAYABLE  # E01 … E07, E99 over three people: three rounds of failures, then paid
    rounds = [codes[0:3], codes[3:6], codes[6:8], []]
    seen = _round_to_paid(pw, approved, rounds)
    assert sorted(seen) == sorted(REPAYABLE)
    _check_invariants(approved)
    assert Batch.objects.filter(kind="reissue").count() == 3
    assert set(Batch.objects.values_list("state", flat=True)) == {"closed", "paid"}
    assert PaymentOrderItem.objects.filter(status=ItemStatus.PAID).aggregate(s=Sum("amount_fen"))["s"] == \
        approved.total_fen


step = st.tuples(
    st.lists(st.sampled_from(["", "", *REASON_CODES]), min_size=3, max_size=3),  # per-line outcome
    st.sampled_from([None, None, "F01", "F05"]),  # a file-level rejection first
    st.booleans(),  # replay the answer
)


@pytest.mark.django_db
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=4))
def test_random_results_rejections_corrections_and_replays(pw, approved, steps):
    u = pw.users
    try:
        with transaction.atomic():
            connector = OutboxConnector(tempfile.mkdtemp(), tempfile.mkdtemp())
            batch = Batch.objects.get(pk=approved.pk)
            for outcomes, reject, replay in steps:
                order = services.order_create(actor=u["fin"], batch_id=batch.pk)
                if reject:
                    rejected, name, data = send_and_answer(order, pw, SimOptions(reject=reject), connector)
                    assert rejected.state == OrderState.REJECTED
                    if replay:
                        assert not services.bank_answer_ingest(actor=u["gk"], filename=name, data=data).created
                    services.rejection_confirm(actor=u["fin"], order_id=order.pk, note="已与银行核实")
                    order = services.order_resend(actor=u["fin"], order_id=order.pk)
                refs = list(order.items.order_by("seq").values_list("item_ref", flat=True))
                fail = {ref: code for ref, code in zip(refs, outcomes) if code}
                order, name, data = send_and_answer(order, pw, SimOptions(fail_ref=fail), connector)
                if replay:
                    assert not services.bank_answer_ingest(actor=u["gk"], filename=name, data=data).created
                _check_invariants(approved)
                batch.refresh_from_db()
                if batch.state == "paid":
                    break
                for line in order.items.filter(status=ItemStatus.FAILED, do_not_repay=True):
                    services.order_item_write_off(actor=u["fin"], order_item_id=line.pk, reason="核查：重复明细")
                batch.refresh_from_db()
                if batch.state == "closed":
                    break
                batch = walk_reissue_to_approved(services.reissue_create(actor=u["zhan"], batch_id=batch.pk), pw)
            _check_invariants(approved)
            raise _Rollback
    except _Rollback:
        pass
