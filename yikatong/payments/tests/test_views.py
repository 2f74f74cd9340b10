"""Payment pages: finance creates, treasury releases, sends and downloads; everyone else is refused
and nothing changes (anonymous / wrong role / wrong region / right role)."""
import pytest
from django.urls import reverse

from yikatong.accounts.roles import Role
from yikatong.banksim.options import SimOptions
from yikatong.banksim.runner import run as bank_run
from yikatong.payments.models import OrderState, PaymentOrder
from yikatong.rosters.models import Batch


def _as(client, user):
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_whole_cycle_through_the_pages(client, pw, approved):
    u = pw.users
    _as(client, u["fin"])
    page = client.get(reverse("payments_orders")).content.decode()
    assert approved.code in page
    resp = client.post(reverse("payments_order_create"), {"batch_id": approved.pk})
    order = PaymentOrder.objects.get(batch=approved)
    assert resp.status_code == 302 and resp.url == reverse("payments_order", args=[order.pk])
    assert client.post(reverse("payments_order_release", args=[order.pk])).status_code == 403
    _as(client, u["gk"])
    assert "国库支付" in client.get(reverse("payments_order", args=[order.pk])).content.decode()
    client.post(reverse("payments_order_release", args=[order.pk]))
    client.post(reverse("payments_order_send", args=[order.pk]))
    order.refresh_from_db()
    assert order.state == OrderState.SENT
    download = client.get(reverse("payments_order_file", args=[order.pk]))
    assert download.status_code == 200 and bytes(download.content) == order.payment_file.data()
    bank_run(options=SimOptions(fail_seq={2: "E02"}))
    client.post(reverse("payments_collect"))
    order.refresh_from_db()
    assert (order.state, order.paid_count, order.failed_count) == (OrderState.ANSWERED, 2, 1)
    detail = client.get(reverse("payments_order", args=[order.pk])).content.decode()
    assert "E02" in detail and "更正户名或账号" in detail
    assert Batch.objects.get(pk=approved.pk).state == "partly_failed"


@pytest.mark.django_db
def test_permission_matrix_refuses_and_changes_nothing(client, pw, approved, make_user, regions):
    from yikatong.payments import services

    order = services.order_create(actor=pw.users["fin"], batch_id=approved.pk)
    outsider = make_user("other_gk", Role.TREASURY, region=regions["other_county"])
    posts = [reverse(n, args=[order.pk]) for n in ("payments_order_release", "payments_order_send",
                                                   "payments_order_resend")]
    for user, expect, listing in [(None, 302, 302), (pw.users["zhan"], 404, 403), (outsider, 404, 200),
                                  (pw.users["fin"], 403, 200)]:
        if user is not None:
            _as(client, user)
        for url in posts[:2]:  # release and send are the treasury's, of its own county
            assert client.post(url).status_code == expect, (user, url)
        assert client.get(reverse("payments_order_file", args=[order.pk])).status_code == expect
        listed = client.get(reverse("payments_orders"))
        assert listed.status_code == listing
        if listing == 200 and user is outsider:
            assert order.batch_no not in listed.content.decode()
        client.logout()
    order.refresh_from_db()
    assert order.state == OrderState.CREATED and order.payment_file_id is None
    assert Batch.objects.get(pk=approved.pk).state == "approved"


@pytest.mark.django_db
def test_reconciliation_balances_and_lists_a_tampered_record(client, pw, approved):
    from django.utils import timezone

    from yikatong.payments.reconcile import statement
    from yikatong.payments.selectors import orders_for

    from tests.support.scenarios import pay_round

    order, _, _ = pay_round(approved, pw, SimOptions(fail_seq={1: "E06"}))
    today = timezone.localdate()
    st = statement(orders_for(pw.users["fin"]), year=today.year, month=today.month)
    (row,) = st.rows
    assert (row.sent_fen, row.paid_fen, row.returned_fen, row.pending_fen) == (
        approved.total_fen, order.paid_fen, order.failed_fen, 0)
    assert st.balanced
    _as(client, pw.users["fin"])
    page = client.get(reverse("payments_reconciliation")).content.decode()
    assert "账平" in page and "账不平" not in page
    assert client.get(reverse("payments_sms")).status_code == 200
    PaymentOrder.objects.filter(pk=order.pk).update(paid_fen=order.paid_fen - 1, failed_fen=order.failed_fen + 1)
    st = statement(orders_for(pw.users["fin"]), year=today.year, month=None)
    assert not st.balanced and any(order.batch_no in m for m in st.mismatches)
    _as(client, pw.users["zhan"])
    assert client.get(reverse("payments_reconciliation")).status_code == 403


@pytest.mark.django_db
def test_todo_lists_orders_and_flags_an_overdue_bank(pw, approved):
    import datetime

    from django.utils import timezone

    from yikatong.payments import services
    from yikatong.web.todo import todos_for

    u = pw.users
    order = services.order_create(actor=u["fin"], batch_id=approved.pk)
    assert any("待国库支付" in t.title for t in todos_for(u["gk"]))
    assert not any("待国库支付" in t.title for t in todos_for(u["fin"]))
    services.order_release(actor=u["gk"], order_id=order.pk)
    services.order_send(actor=u["gk"], order_id=order.pk)
    (item,) = [t for t in todos_for(u["fin"]) if "待银行回盘" in t.title]
    assert item.due is not None and not item.overdue  # profile 000: 3 working days + 2 days
    PaymentOrder.objects.filter(pk=order.pk).update(sent_at=timezone.now() - datetime.timedelta(days=30))
    (item,) = [t for t in todos_for(u["gk"]) if "银行逾期未回盘" in t.title]
    assert item.overdue


@pytest.mark.django_db
def test_station_sees_failures_with_the_fix_and_reissues_with_a_correction(client, pw, approved, make_user, regions):
    from yikatong.core.crypto import vault
    from yikatong.rosters.tests.files import card

    from tests.support.scenarios import pay_round

    order, _, _ = pay_round(approved, pw, SimOptions(fail_seq={1: "E01", 2: "E08"}))
    e01 = order.items.get(seq=1)
    _as(client, pw.users["zhan"])
    page = client.get(reverse("payments_failures", args=[approved.pk])).content.decode()
    assert "E01" in page and "更正账号" in page and "不得再次发放" in page
    resp = client.post(reverse("payments_reissue", args=[approved.pk]), {f"account_{e01.pk}": card(91)})
    reissue = Batch.objects.get(parent=approved)
    assert resp.url == reverse("batch_detail", args=[reissue.pk])
    (item,) = reissue.items.all()  # the E08 duplicate is not reissued
    assert vault().decrypt(item.account_enc) == card(91)
    outsider = make_user("other_op", Role.TOWNSHIP_OPERATOR, region=regions["town2"])
    _as(client, outsider)
    assert client.get(reverse("payments_failures", args=[approved.pk])).status_code == 403
    assert client.post(reverse("payments_reissue", args=[approved.pk])).status_code == 403
    assert Batch.objects.filter(parent=approved).count() == 1
