"""The payments demo: on an empty database the demo county's approved batch goes through the whole
cycle with the simulated bank, failed items reissued and paid; running the demo again changes nothing."""
import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from yikatong.accounts.demo import DEMO_PASSWORD
from yikatong.audit.models import AuditEvent
from yikatong.banksim.models import SimReceivedFile
from yikatong.banksim.demo import FAILURES
from yikatong.payments.models import (
    BankFile, ItemStatus, OrderState, PaymentOrder, PaymentOrderItem, Reissue, SmsNotice, SmsState,
)
from yikatong.payments.reconcile import statement
from yikatong.payments.selectors import orders_for
from yikatong.rosters.models import Batch, BatchItem

pytestmark = pytest.mark.django_db

COUNTY = "650121"


@pytest.fixture
def dropbox(settings, tmp_path):
    settings.YKT_BANK_OUTBOX = tmp_path / "outbox"
    settings.YKT_BANK_INBOX = tmp_path / "inbox"
    return tmp_path


def _state():
    return (
        list(PaymentOrder.objects.order_by("pk").values_list("pk", "state", "paid_fen", "failed_fen")),
        list(PaymentOrderItem.objects.order_by("pk").values_list("pk", "status", "reason_code")),
        list(Batch.objects.order_by("pk").values_list("pk", "state")),
        BankFile.objects.count(), SmsNotice.objects.count(), SimReceivedFile.objects.count(),
        AuditEvent.objects.count(),
    )


def test_demo_pays_a_batch_through_the_whole_cycle_once(dropbox, django_user_model):
    call_command("demo", "--county", COUNTY, "--size", "600")
    orders = list(PaymentOrder.objects.order_by("pk"))
    assert len(orders) == 2 and all(o.state == OrderState.ANSWERED for o in orders)
    first, second = orders
    batch, reissue = first.batch, second.batch
    assert (reissue.kind, reissue.parent_id) == ("reissue", batch.pk)
    failed = dict(first.items.filter(status=ItemStatus.FAILED).values_list("seq", "reason_code"))
    assert failed == {seq: code for seq, code in FAILURES.items() if seq <= first.item_count}
    assert len(set(failed.values())) >= 3  # different reason codes
    assert (second.item_count, second.failed_count) == (len(failed), 0)
    assert Reissue.objects.filter(source__order=first).count() == len(failed)
    # the E01 item went out with a corrected account
    e01 = Reissue.objects.get(source__order=first, source__reason_code="E01")
    assert e01.corrected == ["account"] and e01.new_item.account_enc != e01.source.batch_item.account_enc
    # every item of the original batch paid exactly once, the reissued ones through the reissue
    paid = PaymentOrderItem.objects.filter(status=ItemStatus.PAID)
    origins = paid.values("origin").annotate(n=Count("id"))
    assert all(row["n"] == 1 for row in origins)
    assert set(paid.values_list("origin", flat=True)) == set(BatchItem.objects.filter(batch=batch, status="active")
                                                           .values_list("pk", flat=True))
    assert paid.aggregate(s=Sum("amount_fen"))["s"] == batch.total_fen
    batch.refresh_from_db(), reissue.refresh_from_db()
    assert (batch.state, reissue.state) == ("closed", "paid")
    # the files went through the drop box and the simulator
    assert (dropbox / "outbox" / "processed" / first.payment_file.filename).exists()
    assert SimReceivedFile.objects.filter(answer_kind="R").count() == 2
    # SMS notices sent, without full numbers; reconciliation balanced
    notices = list(SmsNotice.objects.all())
    with_phone = paid.exclude(batch_item__phone_enc="").count()
    assert with_phone and len(notices) == with_phone and all(n.state == SmsState.SENT for n in notices)
    assert all("尾号" in n.text and not any(c.isdigit() for c in n.text.split("尾号")[1][4:]) for n in notices)
    fin = django_user_model.objects.get(username="czj_ks")
    day = first.business_date
    report = statement(orders_for(fin), year=day.year, month=day.month)
    assert report.balanced and report.rows and report.rows[0].paid_fen == batch.total_fen

    before = _state()
    call_command("demo", "--county", COUNTY, "--size", "600")
    assert _state() == before


@pytest.mark.parametrize("username,urls", [
    ("guoku", ["/payments/", "/payments/{order}/", "/payments/reconciliation/", "/payments/sms/"]),
    ("czj_ks", ["/payments/", "/payments/{order}/", "/payments/reconciliation/",
                "/payments/batch/{batch}/failures/"]),
    ("yinhang", ["/banksim/", "/payments/bank/", "/payments/{order}/file/"]),
])
def test_payment_pages_render_for_the_demo_users(dropbox, client, username, urls):
    call_command("demo", "--county", COUNTY, "--size", "600")
    order = PaymentOrder.objects.order_by("pk").first()
    assert client.login(username=username, password=DEMO_PASSWORD)
    for url in urls:
        response = client.get(url.format(order=order.pk, batch=order.batch_id))
        assert response.status_code == 200, (username, url, response.status_code)
    if username != "yinhang":
        assert order.batch_no in client.get(f"/payments/{order.pk}/").content.decode()
    else:  # the agent bank's own list: each file it received, its status, its download
        page = client.get("/payments/bank/").content.decode()
        assert order.batch_no in page and "已回盘" in page and f"/payments/{order.pk}/file/" in page
