"""After the bank's answer: bank files encrypted at rest, rejection confirmed before a resend, failed
lines written off and the batch closed through the transition table, the masked post-payment notice,
year-end clearing, and bank deadlines on the finance and bank to-do lists."""
import datetime
import io

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from tests.support.scenarios import answered_by_bank, pay_round
from yikatong.accounts.models import Organization
from yikatong.accounts.roles import Role
from yikatong.audit.models import AuditEvent
from yikatong.banksim.options import SimOptions
from yikatong.core.crypto import vault
from yikatong.core.models import Holiday
from yikatong.funds.models import FundQuota
from yikatong.payments import deadlines, notice, services
from yikatong.payments.errors import PaymentError
from yikatong.payments.exchange.storage import open_content
from yikatong.payments.models import BankFile, Clearing, ItemStatus, OrderState, PaymentOrder, PaymentOrderItem
from yikatong.rosters.models import Batch, BatchEvent
from yikatong.web.todo import todos_for

pytestmark = pytest.mark.django_db


def _sheet(data: bytes):
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


# ---- at-rest encryption of bank files -----------------------------------------------------------

def test_bank_files_are_stored_encrypted_and_digests_still_verify(pw, approved):
    import hashlib

    order, _, answer = pay_round(approved, pw, SimOptions(fail_seq={2: "E01"}))
    account = vault().decrypt(approved.items.order_by("seq").first().account_enc)
    sent = (pw.connector.outbox / order.payment_file.filename).read_bytes()
    assert account.encode() in sent  # the plaintext file does carry it
    for f in BankFile.objects.all():
        raw = bytes(BankFile.objects.values_list("content", flat=True).get(pk=f.pk))
        assert account.encode() not in raw and f.batch_no.encode() not in raw
        assert hashlib.sha256(f.data()).hexdigest() == f.sha256 and len(f.data()) == f.size
    assert order.payment_file.data() == sent and order.answer_file.data() == answer


def test_migration_seals_plaintext_rows_once(pw, approved):
    from importlib import import_module

    migration = import_module("yikatong.payments.migrations.0004_bans_clearing")
    order, _, _ = pay_round(approved, pw)
    f = order.payment_file
    plain = f.data()
    BankFile.objects.filter(pk=f.pk).update(content=plain)  # a row stored before encryption
    migration.seal_existing_files(django_apps, None)
    sealed = bytes(BankFile.objects.values_list("content", flat=True).get(pk=f.pk))
    assert sealed != plain and open_content(sealed) == plain
    migration.seal_existing_files(django_apps, None)  # already sealed: left alone
    assert bytes(BankFile.objects.values_list("content", flat=True).get(pk=f.pk)) == sealed


# ---- rejection (X has no MAC): confirmed with the bank before a resend ------------------------------

def _rejected(pw, approved):
    u = pw.users
    order = services.order_create(actor=u["fin"], batch_id=approved.pk)
    order, answer = answered_by_bank(order, pw, SimOptions(reject="F05"))
    return services.bank_answer_ingest(actor=u["gk"], filename=answer.filename, data=answer.data).order


def test_rejection_must_be_confirmed_by_finance_before_resend(client, pw, approved, make_user, regions):
    u = pw.users
    order = _rejected(pw, approved)
    outsider = make_user("fin_other", Role.FINANCE_REVIEWER, region=regions["other_county"])
    url = reverse("payments_order_confirm_rejection", args=[order.pk])
    for user, code in [(None, 302), (u["gk"], 403), (outsider, 404)]:
        if user is not None:
            client.force_login(user)
        assert client.post(url, {"note": "伪造"}).status_code == code
        client.logout()
    with pytest.raises(PermissionDenied):
        services.rejection_confirm(actor=u["gk"], order_id=order.pk, note="x")
    order.refresh_from_db()
    assert order.rejection_confirmed_at is None
    with pytest.raises(PaymentError) as exc:
        services.order_resend(actor=u["fin"], order_id=order.pk)
    assert exc.value.code == "REJECTION_UNCONFIRMED"
    with pytest.raises(PaymentError) as exc:
        services.rejection_confirm(actor=u["fin"], order_id=order.pk, note="  ")
    assert exc.value.code == "REJECTION_NOTE_REQUIRED"
    client.force_login(u["fin"])
    page = client.get(reverse("payments_order", args=[order.pk])).content.decode()
    assert "已与银行核实拒收" in page and reverse("payments_order_resend", args=[order.pk]) not in page
    assert client.post(url, {"note": "致电银行张经理确认拒收"}).status_code == 302
    order.refresh_from_db()
    assert order.rejection_confirmed_by == u["fin"] and order.rejection_confirm_note == "致电银行张经理确认拒收"
    event = AuditEvent.objects.filter(action="payments.order.confirm_rejection").get()
    assert event.actor_id == u["fin"].pk
    with pytest.raises(PaymentError) as exc:
        services.rejection_confirm(actor=u["fin"], order_id=order.pk, note="再次")
    assert exc.value.code == "REJECTION_CONFIRMED"
    assert reverse("payments_order_resend", args=[order.pk]) in client.get(
        reverse("payments_order", args=[order.pk])).content.decode()
    new = services.order_resend(actor=u["fin"], order_id=order.pk)
    assert new.replaces_id == order.pk


def test_an_order_not_rejected_cannot_be_confirmed(pw, approved):
    order = services.order_create(actor=pw.users["fin"], batch_id=approved.pk)
    with pytest.raises(PaymentError) as exc:
        services.rejection_confirm(actor=pw.users["fin"], order_id=order.pk, note="x")
    assert exc.value.code == "REJECTION_NOT_TO_CONFIRM"


# ---- write-off and closing through the transition table ----------------------------------------------

def test_write_off_closes_the_batch_through_the_transition_table(client, pw, approved, make_user, regions):
    u = pw.users
    order, _, _ = pay_round(approved, pw, SimOptions(fail_seq={2: "E03"}))
    failed = order.items.get(status=ItemStatus.FAILED)
    paid = order.items.filter(status=ItemStatus.PAID).first()
    outsider = make_user("fin_x", Role.FINANCE_REVIEWER, region=regions["other_county"])
    url = reverse("payments_write_off", args=[failed.pk])
    for user, code in [(None, 302), (u["zhan"], 403), (outsider, 403)]:
        if user is not None:
            client.force_login(user)
        assert client.post(url, {"reason": "对象已死亡"}).status_code == code
        client.logout()
    failed.refresh_from_db()
    assert failed.written_off_reason == "" and Batch.objects.get(pk=approved.pk).state == "partly_failed"
    with pytest.raises(PaymentError) as exc:
        services.order_item_write_off(actor=u["fin"], order_item_id=failed.pk, reason="")
    assert exc.value.code == "WRITE_OFF_REASON_REQUIRED"
    with pytest.raises(PaymentError) as exc:
        services.order_item_write_off(actor=u["fin"], order_item_id=paid.pk, reason="误操作")
    assert exc.value.code == "WRITE_OFF_NOT_FAILED"
    client.force_login(u["fin"])
    assert "核销" in client.get(reverse("payments_failures", args=[approved.pk])).content.decode()
    assert client.post(url, {"reason": "对象已死亡，经核实不再补发"}).status_code == 302
    failed.refresh_from_db()
    assert failed.written_off_reason == "对象已死亡，经核实不再补发"
    assert Batch.objects.get(pk=approved.pk).state == "closed"
    assert BatchEvent.objects.filter(batch=approved, action="close", to_state="closed").exists()
    assert AuditEvent.objects.filter(action="payments.item.write_off").count() == 1
    assert AuditEvent.objects.filter(action="rosters.close").count() == 1


# ---- post-payment notice ----------------------------------------------------------------------------

def test_notice_is_masked_and_exported(client, pw, approved):
    order, _, _ = pay_round(approved, pw, SimOptions(fail_seq={3: "E01"}))
    items = list(approved.items.order_by("seq"))
    rows = notice.rows(approved)
    assert [r.status for r in rows] == ["已发放", "已发放", "发放失败，待补发"]
    v = vault()
    for r, item in zip(rows, items):
        account, id_no = v.decrypt(item.account_enc), v.decrypt(item.id_enc)
        assert r.account_last4 == account[-4:] and r.id_masked == item.id_masked and id_no not in r.id_masked
    assert rows[0].paid_on and rows[0].amount == "500.00" and not rows[2].paid_on
    client.force_login(pw.users["zhan"])
    resp = client.get(reverse("payments_notice", args=[approved.pk]) + "?format=xlsx")
    assert resp.status_code == 200
    sheet = _sheet(resp.content)
    assert sheet[1] == notice.HEADERS and len(sheet) == 5
    flat = "".join(str(c) for row in sheet for c in row)
    for item in items:
        assert v.decrypt(item.account_enc) not in flat and v.decrypt(item.id_enc) not in flat
    page = client.get(reverse("payments_notice", args=[approved.pk])).content.decode()
    assert items[0].id_masked in page and v.decrypt(items[0].account_enc) not in page
    client.force_login(pw.users["gk"])
    assert client.get(reverse("payments_notice", args=[approved.pk])).status_code == 200


# ---- year-end clearing ------------------------------------------------------------------------------

def test_clearing_refused_in_flight_then_recorded_once(client, pw, approved, make_user, regions, with_clearing):
    u = pw.users
    quota = FundQuota.objects.get(year=2026, policy_code="DB01")
    order = services.order_create(actor=u["fin"], batch_id=approved.pk)
    with pytest.raises(PaymentError) as exc:
        services.quota_clear(actor=u["fin"], quota_id=quota.pk)
    assert exc.value.code == "CLEARING_ORDERS_IN_FLIGHT" and order.batch_no in str(exc.value)
    assert not Clearing.objects.exists()
    answered = _answer(order, pw, SimOptions(fail_seq={1: "E01"}))
    quota.refresh_from_db()
    assert quota.committed_fen == 0 and quota.paid_fen == answered.paid_fen
    outsider = make_user("fin_o", Role.FINANCE_REVIEWER, region=regions["other_county"])
    url = reverse("payments_clear", args=[quota.pk])
    for user, code in [(None, 302), (u["gk"], 403), (outsider, 403)]:
        if user is not None:
            client.force_login(user)
        assert client.post(url).status_code == code
        client.logout()
    assert not Clearing.objects.exists()
    client.force_login(u["fin"])
    assert client.post(url, {"note": "年终清算"}).status_code == 302
    c = Clearing.objects.get()
    expected = quota.received_fen - quota.allocated_fen - quota.paid_fen
    assert (c.year, c.recovered_fen, c.paid_fen, c.cleared_by) == (2026, expected, quota.paid_fen, u["fin"])
    assert AuditEvent.objects.filter(action="payments.clearing.create").count() == 1
    with pytest.raises(PaymentError) as exc:
        services.quota_clear(actor=u["fin"], quota_id=quota.pk)
    assert exc.value.code == "CLEARING_DONE_BEFORE"
    assert Clearing.objects.count() == 1
    page = client.get(reverse("payments_clearing") + "?year=2026").content.decode()
    assert "已清算" in page and str(expected) in page
    sheet = _sheet(client.get(reverse("payments_clearing") + "?year=2026&format=xlsx").content)
    assert sheet[1][:3] == ["区划", "指标文号", "补贴项目"] and sheet[2][8] == "已清算"
    assert int(sheet[2][9]) == expected
    recon = client.get(reverse("payments_reconciliation") + "?year=2026&month=").content.decode()
    assert f"收回 {expected} 分" in recon
    # the quota's balance is recovered: nothing more is paid from it
    failed_batch = Batch.objects.get(pk=approved.pk)
    assert failed_batch.state == "partly_failed"
    from yikatong.payments.orders import _refuse_cleared

    with pytest.raises(PaymentError) as exc:
        _refuse_cleared(failed_batch)
    assert exc.value.code == "ORDER_QUOTA_CLEARED"


def _answer(order, pw, options):
    from tests.support.scenarios import send_and_answer

    return send_and_answer(order, pw, options)[0]


def test_clearing_permission_by_service(pw, approved, with_clearing):
    quota = FundQuota.objects.get(year=2026, policy_code="DB01")
    for user in (None, pw.users["gk"], pw.users["zhan"]):
        with pytest.raises(PermissionDenied):
            services.quota_clear(actor=user, quota_id=quota.pk)
    assert not Clearing.objects.exists()


# ---- bank deadlines on the to-do lists ------------------------------------------------------------

def _bank_user(pw):
    pw.orgs["bank"] = Organization.objects.get(code="B1")
    return pw.user("bank1", "bank", Role.BANK)


def test_deadlines_count_working_days_and_flag_overdue_for_finance_and_bank(client, pw, approved):
    u = pw.users
    bank_user = _bank_user(pw)
    order = services.order_create(actor=u["fin"], batch_id=approved.pk)
    services.order_release(actor=u["gk"], order_id=order.pk)
    order = services.order_send(actor=u["gk"], order_id=order.pk)
    friday = datetime.date(2026, 10, 30)
    Holiday.objects.create(date=datetime.date(2026, 11, 2), is_workday=False, name="测试假日")
    sent_at = timezone.make_aware(datetime.datetime(2026, 10, 30, 10, 0))
    PaymentOrder.objects.filter(pk=order.pk).update(sent_at=sent_at, business_date=friday)
    order.refresh_from_db()
    assert order.agreement.pay_within_working_days == 3 and order.agreement.report_within_days == 2  # profile 000
    # Fri 30 Oct + 3 working days, skipping the weekend and the Monday holiday: Thu 5 Nov; + 2 days: Sat 7 Nov
    assert deadlines.pay_due(order) == datetime.date(2026, 11, 5)
    assert deadlines.answer_due(order) == datetime.date(2026, 11, 7)
    assert not deadlines.is_overdue(order, datetime.date(2026, 11, 7))
    assert deadlines.is_overdue(order, datetime.date(2026, 11, 8))
    for user in (u["fin"], bank_user):
        items = [t for t in todos_for(user) if order.batch_no in t.title]
        assert len(items) == 1, user
        (item,) = items
        assert item.overdue and item.due == datetime.date(2026, 11, 7)
        assert "2026-11-05" in item.title and "2026-11-07" in item.title
    client.force_login(bank_user)
    page = client.get(reverse("payments_bank_orders")).content.decode()
    assert order.batch_no in page and "已逾期" in page and "2026-11-05" in page
    client.force_login(u["fin"])
    assert client.get(reverse("payments_bank_orders")).status_code == 403


def test_bank_sees_only_its_own_batches(pw, approved, regions):
    from yikatong.accounts.models import OrgKind

    other = Organization.objects.create(name="别的银行", kind=OrgKind.AGENT_BANK, region=regions["county"], code="B2")
    pw.orgs["b2"] = other
    stranger = pw.user("bank2", "b2", Role.BANK)
    order = services.order_create(actor=pw.users["fin"], batch_id=approved.pk)
    services.order_release(actor=pw.users["gk"], order_id=order.pk)
    services.order_send(actor=pw.users["gk"], order_id=order.pk)
    assert not deadlines.waiting_for_bank(stranger).exists()
    assert deadlines.waiting_for_bank(_bank_user(pw)).count() == 1
    assert not [t for t in todos_for(stranger) if order.batch_no in t.title]


def test_key_rotation_reseals_bank_files(pw, approved, settings):
    from yikatong.registry.rotation import key_rotate

    order, _, _ = pay_round(approved, pw)
    plain = {f.pk: f.data() for f in BankFile.objects.all()}
    old_key = settings.YKT_DATA_KEY
    settings.YKT_DATA_KEY = "bmV3LWtleS1uZXcta2V5LW5ldy1rZXktbmV3LWtleTA="
    key_rotate(old_key=old_key)
    assert {f.pk: f.data() for f in BankFile.objects.all()} == plain
