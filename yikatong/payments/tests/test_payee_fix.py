"""Issue 12 point 8: payee data a bank file cannot carry never reaches one, and a batch whose file the
bank rejected has an audited path to correct the offending items and resend, ending paid."""
import pytest
from django.core.exceptions import PermissionDenied

from tests.support.concurrency import code_or_ok, race
from tests.support.scenarios import answered_by_bank, send_and_answer, walk_to_approved
from yikatong.audit.models import AuditEvent
from yikatong.banksim.options import SimOptions
from yikatong.banksim.services import payment_file_process
from yikatong.core.crypto import vault
from yikatong.payments import services
from yikatong.payments.errors import PaymentError
from yikatong.payments.exchange.paymentfile import parse_payment_file
from yikatong.payments.tests.support import KEY
from yikatong.payments.models import OrderState, PaymentOrder
from yikatong.rosters.models import Batch, BatchEvent, BatchItem
from yikatong.rosters.tests.files import card

pytestmark = pytest.mark.django_db


def _reject(order, pw, code="F04"):
    u = pw.users
    order, answer = answered_by_bank(order, pw, SimOptions(reject=code))
    got = services.bank_answer_ingest(actor=u["gk"], filename=answer.filename, data=answer.data)
    assert got.order.state == OrderState.REJECTED
    return got.order


def test_rejected_batch_is_corrected_and_resent_and_ends_paid(pw, approved, with_bans):
    """Regression (issue 12): a batch whose file the bank rejected was stuck in 支付中 with no way out."""
    u = pw.users
    second = approved.items.order_by("seq")[1]
    order = _reject(services.order_create(actor=u["fin"], batch_id=approved.pk), pw)
    assert Batch.objects.get(pk=approved.pk).state == "paying"
    fix = {second.item_ref: {"account_holder": "对象2", "account": card(88)}}
    with pytest.raises(PaymentError) as exc:  # an X file has no MAC: nothing changes before finance confirms it
        services.payee_items_correct(actor=u["zhan"], batch_id=approved.pk, corrections=fix, reason="银行拒收 F04")
    assert exc.value.code == "PAYEE_FIX_AT_BANK"
    services.rejection_confirm(actor=u["fin"], order_id=order.pk, note="致电银行确认第2条户名无法识别")
    with pytest.raises(PermissionDenied):  # the station corrects the roll, not finance
        services.payee_items_correct(actor=u["fin"], batch_id=approved.pk, corrections=fix, reason="x")
    for change, code in [({"account_holder": "对象|二"}, "PAYEE_DELIMITER"), ({"name": "对象\r\n二"}, "PAYEE_LINE_BREAK"),
                         ({"amount_fen": 1}, "PAYEE_FIX_FIELD")]:
        with pytest.raises(PaymentError) as exc:
            services.payee_items_correct(actor=u["zhan"], batch_id=approved.pk, corrections={second.item_ref: change},
                                         reason="银行拒收 F04")
        assert exc.value.code == code
    with pytest.raises(PaymentError) as exc:
        services.payee_items_correct(actor=u["zhan"], batch_id=approved.pk, corrections=fix, reason=" ")
    assert exc.value.code == "PAYEE_FIX_REASON"
    with pytest.raises(PaymentError) as exc:  # seed 004 bans: the correction may not pay into someone else's account
        services.payee_items_correct(actor=u["zhan"], batch_id=approved.pk,
                                     corrections={second.item_ref: {"account_holder": "王五"}}, reason="x")
    assert exc.value.code == "PAYEE_FIX_BANNED"
    with pytest.raises(PaymentError) as exc:
        services.payee_items_correct(actor=u["zhan"], batch_id=approved.pk, corrections={"NOPE": {}}, reason="x")
    assert exc.value.code == "PAYEE_FIX_UNKNOWN_ITEMS"
    assert BatchItem.objects.get(pk=second.pk).account_holder == second.account_holder  # nothing changed yet

    services.payee_items_correct(actor=u["zhan"], batch_id=approved.pk, corrections=fix, reason="银行拒收 F04：户名无法识别")
    second.refresh_from_db()
    assert (second.account_holder, vault().decrypt(second.account_enc)) == ("对象2", card(88))
    event = AuditEvent.objects.get(action="payments.payee.correct")
    assert event.after["items"][second.item_ref]["account_holder"] == "对象2"
    assert card(88) not in str(event.after) and card(88) not in str(event.before)  # accounts masked
    assert BatchEvent.objects.filter(batch=approved, action="correct_payee").exists()

    new = services.order_resend(actor=u["fin"], order_id=order.pk)
    services.order_release(actor=u["gk"], order_id=new.pk)
    services.order_send(actor=u["gk"], order_id=new.pk, connector=pw.connector)
    with pytest.raises(PaymentError) as exc:  # the new file is at the bank once sent: no more corrections
        services.payee_items_correct(actor=u["zhan"], batch_id=approved.pk, corrections=fix, reason="再改")
    assert exc.value.code == "PAYEE_FIX_AT_BANK"
    new.refresh_from_db()
    sent = (pw.connector.outbox / new.payment_file.filename).read_bytes()
    line = parse_payment_file(sent, KEY).lines[1]
    assert (line.account_name, line.account_no) == ("对象2", card(88))
    answer = payment_file_process(actor=None, filename=new.payment_file.filename, data=sent, options=SimOptions())
    services.bank_answer_ingest(actor=u["gk"], filename=answer.filename, data=answer.data)
    new.refresh_from_db()
    assert (new.state, new.paid_fen) == (OrderState.ANSWERED, approved.total_fen)
    assert Batch.objects.get(pk=approved.pk).state == "paid"


def test_delimiter_left_by_an_old_import_is_refused_before_any_file_and_fixed(pw, approved):
    """A name with "|" (written before import refused it) stops the order naming the item, not the bank."""
    u = pw.users
    second = approved.items.order_by("seq")[1]
    BatchItem.objects.filter(pk=second.pk).update(name="对象|2", account_holder="")
    with pytest.raises(PaymentError) as exc:
        services.order_create(actor=u["fin"], batch_id=approved.pk)
    assert exc.value.code == "PAYEE_UNFIT_FOR_BANK" and exc.value.params["first"] == "PAYEE_DELIMITER"
    assert second.item_ref in exc.value.message and "姓名" in exc.value.message
    assert not PaymentOrder.objects.exists()
    services.payee_items_correct(actor=u["zhan"], batch_id=approved.pk,
                                 corrections={second.item_ref: {"name": "对象2"}}, reason="姓名含分隔符")
    order = services.order_create(actor=u["fin"], batch_id=approved.pk)
    order, _, _ = send_and_answer(order, pw)
    assert order.paid_fen == approved.total_fen and Batch.objects.get(pk=approved.pk).state == "paid"


def test_order_that_could_not_be_written_is_corrected_then_sent(pw, approved):
    """An order released (batch 支付中) holding data the file cannot carry is refused at send by code,
    not stuck: its items are corrected while no file exists, then it is sent."""
    u = pw.users
    order = services.order_create(actor=u["fin"], batch_id=approved.pk)
    services.order_release(actor=u["gk"], order_id=order.pk)
    third = approved.items.order_by("seq")[2]
    BatchItem.objects.filter(pk=third.pk).update(account_holder="对象\x073")  # as data of an old import
    with pytest.raises(PaymentError) as exc:  # refused by code before the file is begun
        services.order_send(actor=u["gk"], order_id=order.pk, connector=pw.connector)
    assert exc.value.code == "PAYEE_UNFIT_FOR_BANK" and exc.value.params["first"] == "PAYEE_CONTROL_CHAR"
    assert third.item_ref in exc.value.message and "账户户名" in exc.value.message
    assert Batch.objects.get(pk=approved.pk).state == "paying"
    with pytest.raises(PaymentError) as exc:  # no quiet redirect of money after approval
        services.payee_items_correct(actor=u["zhan"], batch_id=approved.pk,
                                     corrections={third.item_ref: {"account": card(66)}}, reason="换卡")
    assert exc.value.code == "PAYEE_FIX_ACCOUNT"
    services.payee_items_correct(actor=u["zhan"], batch_id=approved.pk,
                                 corrections={third.item_ref: {"account_holder": "对象3"}}, reason="户名含控制字符")
    order = services.order_send(actor=u["gk"], order_id=order.pk, connector=pw.connector)
    sent = (pw.connector.outbox / order.payment_file.filename).read_bytes()
    answer = payment_file_process(actor=None, filename=order.payment_file.filename, data=sent, options=SimOptions())
    services.bank_answer_ingest(actor=u["gk"], filename=answer.filename, data=answer.data)
    assert Batch.objects.get(pk=approved.pk).state == "paid"


def test_resend_refuses_data_still_unfit_for_the_bank(pw, approved):
    u = pw.users
    order = _reject(services.order_create(actor=u["fin"], batch_id=approved.pk), pw)
    services.rejection_confirm(actor=u["fin"], order_id=order.pk, note="已核实")
    first = approved.items.order_by("seq")[0]
    BatchItem.objects.filter(pk=first.pk).update(account_holder="张|三")
    with pytest.raises(PaymentError) as exc:
        services.order_resend(actor=u["fin"], order_id=order.pk)
    assert exc.value.code == "PAYEE_UNFIT_FOR_BANK" and first.item_ref in exc.value.message
    assert not PaymentOrder.objects.filter(replaces=order).exists()


def test_payee_fix_through_the_batch_page(client, pw, approved):
    from django.urls import reverse

    from conftest import PASSWORD

    u = pw.users
    second = approved.items.order_by("seq")[1]
    BatchItem.objects.filter(pk=second.pk).update(name="对象|2", account_holder="")
    assert client.login(username="zhan", password=PASSWORD)
    page = client.get(reverse("batch_detail", args=[approved.pk])).content.decode()
    assert 'data-testid="payee-fix"' in page
    url = reverse("payee_fix", args=[approved.pk])
    resp = client.post(url, {"seq": "2", "f_name": "对象|2", "reason": "姓名含分隔符"}, follow=True)
    assert 'data-code="PAYEE_DELIMITER"' in resp.content.decode()
    resp = client.post(url, {"seq": "2", "f_name": "对象2", "reason": "姓名含分隔符"}, follow=True)
    assert "已更正第 2 条的收款信息" in resp.content.decode()
    assert BatchItem.objects.get(pk=second.pk).name == "对象2"
    assert services.order_create(actor=u["fin"], batch_id=approved.pk).item_count == 3


@pytest.mark.django_db(transaction=True)
def test_correction_racing_a_send_never_changes_data_already_in_the_file(pw, batch):
    """Either the correction lands before the file is written (and the file carries it), or it waits for
    the send and is refused because the file is at the bank (PostgreSQL row locks)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row-lock races are exercised on PostgreSQL; SQLite serialises all writers")
    walk_to_approved(batch, pw, "000")
    u = pw.users
    order = services.order_create(actor=u["fin"], batch_id=batch.pk)
    services.order_release(actor=u["gk"], order_id=order.pk)
    second = batch.items.order_by("seq")[1]
    calls = {
        "send": lambda: services.order_send(actor=u["gk"], order_id=order.pk, connector=pw.connector),
        "fix": lambda: services.payee_items_correct(
            actor=u["zhan"], batch_id=batch.pk, corrections={second.item_ref: {"name": "对象二", "account_holder": "对象二"}},
            reason="更正"),
    }
    outcomes = race(2, lambda i: list(calls.values())[i]())
    results = {name: code_or_ok(o) for name, o in zip(calls, outcomes)}
    assert results["send"] == "ok" and results["fix"] in ("ok", "PAYEE_FIX_AT_BANK"), results
    order.refresh_from_db()
    sent = parse_payment_file(order.payment_file.data(), KEY).lines[1].account_name
    stored = BatchItem.objects.get(pk=second.pk).account_holder
    assert sent == stored  # the file and the roster agree, whichever came first
