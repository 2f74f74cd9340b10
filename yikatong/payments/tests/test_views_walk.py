"""Order -> release -> send -> bank simulator -> collect -> failures -> reissue, through the views, each
step as the role that owns it; the wrong role or anonymous changes nothing."""
import pytest

from tests.support.scenarios import walk_to_approved
from yikatong.banksim import runner
from yikatong.banksim.options import SimOptions
from yikatong.payments.models import ItemStatus, OrderState, PaymentOrder
from yikatong.rosters.models import Batch
from yikatong.rosters.tests.files import card

pytestmark = pytest.mark.django_db


def _as(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def test_payment_walk_through_the_views(client, pw, batch, settings):
    walk_to_approved(batch, pw, "000")
    u = pw.users
    # finance creates the order; the treasury cannot
    _as(client, u["gk"]).post("/payments/new/", {"batch_id": batch.pk})
    assert not PaymentOrder.objects.exists()
    response = _as(client, u["fin"]).post("/payments/new/", {"batch_id": batch.pk})
    order = PaymentOrder.objects.get()
    assert response.status_code == 302 and order.state == OrderState.CREATED
    # the treasury releases and sends; finance and anonymous cannot
    for user in (u["fin"], None):
        _as(client, user).post(f"/payments/{order.pk}/release/")
        order.refresh_from_db()
        assert order.state == OrderState.CREATED
    _as(client, u["gk"]).post(f"/payments/{order.pk}/release/")
    _as(client, u["gk"]).post(f"/payments/{order.pk}/send/")
    order.refresh_from_db()
    assert order.state == OrderState.SENT
    assert (settings.YKT_BANK_OUTBOX / order.payment_file.filename).exists()
    download = client.get(f"/payments/{order.pk}/file/")
    assert download.status_code == 200 and download.content.endswith(b"\r\n")
    # the bank simulator answers into the inbox; the treasury collects
    report = runner.run(options=SimOptions(fail_seq={2: "E01"}))
    assert len(report) == 1
    _as(client, u["zhan"]).post("/payments/collect/")
    order.refresh_from_db()
    assert order.state == OrderState.SENT  # the station may not take bank files
    _as(client, u["gk"]).post("/payments/collect/")
    order.refresh_from_db()
    assert (order.state, order.paid_count, order.failed_count) == (OrderState.ANSWERED, 2, 1)
    failed = order.items.get(status=ItemStatus.FAILED)
    # the station sees the failure with its reason and corrects it into a reissue batch
    page = _as(client, u["zhan"]).get(f"/payments/batch/{batch.pk}/failures/")
    assert page.status_code == 200 and "E01" in page.content.decode()
    _as(client, u["fin"]).post(f"/payments/batch/{batch.pk}/reissue/", {f"account_{failed.pk}": card(91)})
    assert not Batch.objects.filter(parent=batch).exists()
    _as(client, u["zhan"]).post(f"/payments/batch/{batch.pk}/reissue/", {f"account_{failed.pk}": card(91)})
    reissue = Batch.objects.get(parent=batch)
    assert (reissue.kind, reissue.item_count, reissue.state) == ("reissue", 1, "draft")
