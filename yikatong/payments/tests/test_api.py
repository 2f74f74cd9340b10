"""The payments API through HTTP with bearer tokens (issue 17): every operation answers with the service's
result or its refusal — 401 without a token, 404 for another county's object, 403 with the service's code
for a role that may not act, 409 for an action the current state does not allow, the bank's replayed file
with its code — and writes the same audit events as the pages."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from tests.support.scenarios import answered_by_bank
from yikatong.accounts.models import Organization, OrgKind
from yikatong.accounts.roles import Role
from yikatong.accounts.tokens import issue_api_token
from yikatong.audit.models import AuditEvent
from yikatong.banksim.options import SimOptions
from yikatong.funds.models import FundQuota
from yikatong.payments.models import Clearing, ItemStatus, OrderState, PaymentOrder
from yikatong.rosters.tests.files import card

pytestmark = pytest.mark.django_db

API = "/api/payments"


@pytest.fixture
def people(pw, make_user, regions):
    """pw's users plus another county's finance and treasury, the county's agent bank user and another bank's."""
    users = dict(pw.users)
    users["other_fin"] = make_user("fin_other", Role.FINANCE_REVIEWER, region=regions["other_county"])
    users["other_gk"] = make_user("gk_other", Role.TREASURY, region=regions["other_county"])
    pw.orgs["bank"] = Organization.objects.get(code="B1")
    users["bank"] = pw.user("bank1", "bank", Role.BANK)
    pw.orgs["bank2"] = Organization.objects.create(name="别的银行", kind=OrgKind.AGENT_BANK, region=regions["county"],
                                                   code="B2")
    users["bank2"] = pw.user("bank2", "bank2", Role.BANK)
    return users


@pytest.fixture
def auth(people):
    cache = {}

    def token(who: str) -> dict:
        if who not in cache:
            cache[who] = {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=people[who], name='t')}"}
        return cache[who]

    return token


@pytest.fixture
def call(client, auth):
    def run(method, path, who, body=None, **extra):
        kw = {"data": body, "content_type": "application/json"} if body is not None else {}
        return getattr(client, method)(API + path, **kw, **extra, **auth(who))

    return run


def _refused(resp, status, code):
    assert resp.status_code == status, (resp.status_code, resp.content)
    body = resp.json()
    assert body["code"] == code and body["message"], body
    return body


def _upload(call, who, name, data):
    return call("post", "/bank-results", who, None, data={"file": SimpleUploadedFile(name, data)})


# --- orders: create, detail, release, send, file ----------------------------------------------------

def test_order_cycle_with_refusals(client, pw, approved, people, call, auth):
    assert client.get(f"{API}/orders").status_code == 401
    _refused(call("get", "/orders", "zhan"), 403, "FORBIDDEN")
    _refused(call("post", "/orders", "other_fin", {"batch_id": approved.pk}), 404, "NOT_FOUND")
    _refused(call("post", "/orders", "gk", {"batch_id": approved.pk}), 403, "ROLE_NOT_ALLOWED")
    assert not PaymentOrder.objects.exists()

    created = call("post", "/orders", "fin", {"batch_id": approved.pk})
    assert created.status_code == 201, created.content
    order = created.json()
    assert order["state"] == "created" and order["total_fen"] == approved.total_fen == 150000
    assert order["item_count"] == 3 and order["transitions"] == []
    assert {s["status"]: s["amount_fen"] for s in order["items_by_status"]} == {"pending": 150000}
    assert all(i["account_masked"] and card(1) not in i["account_masked"] for i in order["items"])
    assert pw.agreement.payer_account not in created.content.decode()
    oid = order["id"]
    _refused(call("post", "/orders", "fin", {"batch_id": approved.pk}), 409, "ORDER_EXISTS")

    listed = call("get", "/orders?state=created", "gk").json()
    assert [o["id"] for o in listed] == [oid]
    assert call("get", "/orders?state=sent", "gk").json() == []
    assert call("get", "/orders", "other_fin").json() == []
    _refused(call("get", f"/orders/{oid}", "other_fin"), 404, "NOT_FOUND")
    assert call("get", f"/orders/{oid}", "gk").json()["transitions"] == ["release"]

    _refused(call("post", f"/orders/{oid}/send", "gk"), 409, "TRANSITION_NOT_ALLOWED")
    _refused(call("post", f"/orders/{oid}/release", "fin"), 403, "ROLE_NOT_ALLOWED")
    _refused(call("post", f"/orders/{oid}/release", "other_gk"), 404, "NOT_FOUND")
    _refused(call("get", f"/orders/{oid}/file", "gk"), 409, "PAYMENT_FILE_NOT_WRITTEN")
    released = call("post", f"/orders/{oid}/release", "gk")
    assert released.status_code == 200 and released.json()["state"] == "released"
    assert released.json()["transitions"] == ["send"]
    _refused(call("post", f"/orders/{oid}/release", "gk"), 409, "TRANSITION_NOT_ALLOWED")
    _refused(call("post", f"/orders/{oid}/send", "fin"), 403, "ROLE_NOT_ALLOWED")

    sent = call("post", f"/orders/{oid}/send", "gk")
    assert sent.status_code == 200 and sent.json()["state"] == "sent", sent.content
    filename = sent.json()["payment_file"]
    on_disk = (pw.connector.outbox / filename).read_bytes()
    _refused(call("post", f"/orders/{oid}/send", "gk"), 409, "TRANSITION_NOT_ALLOWED")

    # the payment file: the treasury and the bank it went to; audited; nobody else
    _refused(call("get", f"/orders/{oid}/file", "fin"), 403, "PAYMENT_FILE_NOT_ALLOWED")
    _refused(call("get", f"/orders/{oid}/file", "bank2"), 404, "NOT_FOUND")
    _refused(call("get", f"/orders/{oid}/file", "other_gk"), 404, "NOT_FOUND")
    for who in ("gk", "bank"):
        resp = call("get", f"/orders/{oid}/file", who)
        assert resp.status_code == 200 and resp.content == on_disk and filename in resp["Content-Disposition"]
    events = AuditEvent.objects.filter(action="payments.order.file_download").order_by("seq")
    assert [e.actor_id for e in events] == [people["gk"].pk, people["bank"].pk]
    assert events[0].after["filename"] == filename and events[0].after["rows"] == 3
    assert {"payments.order.create", "payments.order.release", "payments.order.send"} <= set(
        AuditEvent.objects.values_list("action", flat=True))

    # the bank's own list
    _refused(call("get", "/bank/orders", "fin"), 403, "FORBIDDEN")
    assert call("get", "/bank/orders", "bank2").json() == []
    (row,) = call("get", "/bank/orders", "bank").json()
    assert (row["id"], row["status"], row["filename"], row["total_fen"]) == (oid, "waiting", filename, 150000)
    assert row["pay_due"] and row["answer_due"]


def test_a_file_the_drop_box_refuses_is_not_recorded(pw, approved, call, monkeypatch):
    from yikatong.payments.exchange.connector import DeliveryError, OutboxConnector

    oid = call("post", "/orders", "fin", {"batch_id": approved.pk}).json()["id"]
    assert call("post", f"/orders/{oid}/release", "gk").status_code == 200

    def refuse(self, name, data):
        raise DeliveryError(name)

    monkeypatch.setattr(OutboxConnector, "deliver", refuse)
    _refused(call("post", f"/orders/{oid}/send", "gk"), 502, "ORDER_DELIVERY_FAILED")
    order = PaymentOrder.objects.get(pk=oid)
    assert order.state == OrderState.RELEASED and order.payment_file_id is None
    assert not AuditEvent.objects.filter(action="payments.order.send").exists()
    monkeypatch.undo()
    assert call("post", f"/orders/{oid}/send", "gk").json()["state"] == "sent"


# --- the bank's answers: upload, replay, collect ----------------------------------------------------

def test_bank_result_upload_replay_and_refusals(pw, sent, people, call):
    order, answer = sent
    _refused(_upload(call, "zhan", answer.filename, answer.data), 403, "INGEST_NOT_ALLOWED")
    _refused(_upload(call, "other_fin", answer.filename, answer.data), 403, "INGEST_NOT_ALLOWED")
    _refused(_upload(call, "bank2", answer.filename, answer.data), 403, "INGEST_NOT_ALLOWED")
    _refused(_upload(call, "bank", "result.txt", answer.data), 400, "INGEST_BAD_FILENAME")
    _refused(_upload(call, "bank", answer.filename, answer.data[:-30] + b"0" * 30), 400, "INGEST_FILE_INVALID")
    order.refresh_from_db()
    assert order.state == OrderState.SENT

    taken = _upload(call, "bank", answer.filename, answer.data)
    assert taken.status_code == 201, taken.content
    body = taken.json()
    assert (body["created"], body["state"], body["paid_count"], body["failed_count"]) == (True, "answered", 2, 1)
    assert body["paid_fen"] + body["failed_fen"] == order.total_fen and body["code"] is None

    again = _upload(call, "gk", answer.filename, answer.data)
    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["code"] == "INGEST_REPLAYED" and again.json()["message"]
    assert AuditEvent.objects.filter(action="payments.order.answer").count() == 1
    (row,) = call("get", "/bank/orders", "bank").json()
    assert row["status"] == "answered" and (row["paid_count"], row["failed_count"]) == (2, 1)
    _refused(call("post", "/collect", "zhan"), 403, "FORBIDDEN")


def test_collect_from_the_inbox(pw, sent, call, django_capture_on_commit_callbacks):
    from yikatong.payments.exchange.connector import atomic_write

    order, answer = sent
    atomic_write(pw.connector.inbox, answer.filename, answer.data)  # the bank's answer lies in the inbox
    with django_capture_on_commit_callbacks(execute=True):
        resp = call("post", "/collect", "gk")
    assert resp.status_code == 200
    assert resp.json() == [{"filename": answer.filename, "created": True, "order": order.pk, "code": None,
                            "message": "已导入"}]
    order.refresh_from_db()
    assert order.state == OrderState.ANSWERED
    assert call("post", "/collect", "gk").json() == []  # archived: nothing left in the inbox


def test_rejection_confirm_and_resend(pw, approved, people, call):
    oid = call("post", "/orders", "fin", {"batch_id": approved.pk}).json()["id"]
    order, answer = answered_by_bank(PaymentOrder.objects.get(pk=oid), pw, SimOptions(reject="F05"))
    _refused(call("post", f"/orders/{oid}/confirm-rejection", "fin", {"note": "x"}), 409, "REJECTION_NOT_TO_CONFIRM")
    assert _upload(call, "gk", answer.filename, answer.data).json()["state"] == "rejected"

    _refused(call("post", f"/orders/{oid}/resend", "fin"), 409, "REJECTION_UNCONFIRMED")
    _refused(call("post", f"/orders/{oid}/confirm-rejection", "gk", {"note": "x"}), 403, "ROLE_NOT_ALLOWED")
    _refused(call("post", f"/orders/{oid}/confirm-rejection", "other_fin", {"note": "x"}), 404, "NOT_FOUND")
    _refused(call("post", f"/orders/{oid}/confirm-rejection", "fin", {"note": " "}), 400, "REJECTION_NOTE_REQUIRED")
    assert call("get", f"/orders/{oid}", "fin").json()["transitions"] == ["confirm_rejection"]
    confirmed = call("post", f"/orders/{oid}/confirm-rejection", "fin", {"note": "致电银行张经理确认"})
    assert confirmed.status_code == 200 and confirmed.json()["rejection_confirmed"] is True
    _refused(call("post", f"/orders/{oid}/confirm-rejection", "fin", {"note": "再次"}), 409, "REJECTION_CONFIRMED")
    assert call("get", f"/orders/{oid}", "fin").json()["transitions"] == ["resend"]

    resent = call("post", f"/orders/{oid}/resend", "fin")
    assert resent.status_code == 201, resent.content
    new = resent.json()
    assert new["replaces"] == oid and new["state"] == "created" and new["batch_no"] != order.batch_no
    assert new["total_fen"] == order.total_fen
    assert call("get", f"/orders/{oid}", "fin").json()["replaced_by"] == new["id"]
    _refused(call("post", f"/orders/{oid}/resend", "fin"), 409, "ORDER_ALREADY_REPLACED")
    assert AuditEvent.objects.filter(action="payments.order.confirm_rejection", actor=people["fin"]).count() == 1


# --- failures, notice, write-off, reissue, payee fix -------------------------------------------------

@pytest.fixture
def partly_failed(pw, sent, call):
    order, answer = sent
    assert _upload(call, "gk", answer.filename, answer.data).status_code == 201
    order.refresh_from_db()
    return order


def test_failures_notice_and_write_off(pw, partly_failed, call):
    order = partly_failed
    bid = order.batch_id
    _refused(call("get", f"/batches/{bid}/failures", "other_fin"), 404, "NOT_FOUND")
    _refused(call("get", f"/batches/{bid}/failures", "bank"), 404, "NOT_FOUND")
    body = call("get", f"/batches/{bid}/failures", "zhan").json()
    assert body["state"] == "partly_failed" and body["can_reissue"] and not body["can_write_off"]
    (line,) = body["lines"]
    assert (line["reason_code"], line["seq"], line["amount_fen"]) == ("E01", 2, 50000) and line["fix"]
    assert card(2) not in str(body) and line["account_masked"]

    rows = call("get", f"/batches/{bid}/notice", "fin").json()
    assert [r["status"] for r in rows] == ["已发放", "发放失败，待补发", "已发放"]
    assert all(len(r["account_last4"]) == 4 and "*" in r["id_masked"] for r in rows)
    xlsx = call("get", f"/batches/{bid}/notice?format=xlsx", "fin")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.content)).get_sheet_by_index(0).to_python()
    assert any("发放失败，待补发" in [str(c) for c in r] for r in sheet)
    _refused(call("get", f"/batches/{bid}/notice", "other_fin"), 404, "NOT_FOUND")

    lid = line["id"]
    _refused(call("post", f"/items/{lid}/write-off", "zhan", {"reason": "死亡"}), 403, "ROLE_NOT_ALLOWED")
    _refused(call("post", f"/items/{lid}/write-off", "other_fin", {"reason": "死亡"}), 404, "NOT_FOUND")
    _refused(call("post", f"/items/{lid}/write-off", "fin", {"reason": ""}), 400, "WRITE_OFF_REASON_REQUIRED")
    done = call("post", f"/items/{lid}/write-off", "fin", {"reason": "对象已死亡，经核实核销"})
    assert done.status_code == 200 and done.json()["batch_state"] == "closed"
    _refused(call("post", f"/items/{lid}/write-off", "fin", {"reason": "再次"}), 409, "WRITE_OFF_NOT_FAILED")
    _refused(call("post", f"/batches/{bid}/reissue", "zhan", {}), 409, "REISSUE_NOT_PARTLY_FAILED")
    assert AuditEvent.objects.filter(action="payments.item.write_off").count() == 1


def test_reissue_and_payee_fix(pw, partly_failed, call):
    bid = partly_failed.batch_id
    failed = partly_failed.items.get(status=ItemStatus.FAILED)
    _refused(call("post", f"/batches/{bid}/reissue", "fin", {}), 403, "ROLE_NOT_ALLOWED")
    _refused(call("post", f"/batches/{bid}/reissue", "other_fin", {}), 404, "NOT_FOUND")
    _refused(call("post", f"/batches/{bid}/reissue", "zhan", {"corrections": {"NOPE": {"account": card(9)}}}),
             400, "REISSUE_UNKNOWN_ITEMS")
    _refused(call("post", f"/batches/{bid}/payee-fix", "zhan",
                  {"corrections": {failed.item_ref: {"account_holder": "王五"}}, "reason": "银行说明"}),
             409, "PAYEE_FIX_STATE")
    made = call("post", f"/batches/{bid}/reissue", "zhan", {"corrections": {failed.item_ref: {"account": card(9)}}})
    assert made.status_code == 201, made.content
    reissue = made.json()
    assert reissue["parent_id"] == bid and reissue["state"] == "draft" and reissue["amount_fen"] == failed.amount_fen
    _refused(call("post", f"/batches/{bid}/reissue", "zhan", {}), 409, "REISSUE_NO_FAILURES")
    assert AuditEvent.objects.filter(action="payments.reissue.create").count() == 1


def test_payee_fix_of_an_approved_batch(pw, approved, call, with_bans):
    item = approved.items.order_by("seq").first()
    url = f"/batches/{approved.pk}/payee-fix"
    _refused(call("post", url, "other_fin", {"corrections": {item.item_ref: {"name": "甲"}}, "reason": "r"}),
             404, "NOT_FOUND")
    _refused(call("post", url, "fin", {"corrections": {item.item_ref: {"bank_name": "甲"}}, "reason": "r"}), 403,
             "ROLE_NOT_ALLOWED")
    _refused(call("post", url, "zhan", {"corrections": {item.item_ref: {"account_holder": "王五"}}}), 400,
             "PAYEE_FIX_REASON")
    _refused(call("post", url, "zhan", {"corrections": {item.item_ref: {"account": card(9)}}, "reason": "r"}),
             409, "PAYEE_FIX_ACCOUNT")
    _refused(call("post", url, "zhan", {"corrections": {item.item_ref: {"account_holder": "王五"}}, "reason": "r"}),
             400, "PAYEE_FIX_BANNED")  # seed 004: paid into the person's own account only
    fixed = call("post", url, "zhan", {"corrections": {item.item_ref: {"bank_name": "洪洞农商行"}}, "reason": "开户行有误"})
    assert fixed.status_code == 200 and fixed.json()["state"] == "approved", fixed.content
    item.refresh_from_db()
    assert item.bank_name == "洪洞农商行"


# --- reads: reconciliation, sms, clearing, agreement text -------------------------------------------

def test_reconciliation_sms_and_clearing(pw, partly_failed, call, with_clearing):
    order = partly_failed
    day = order.business_date
    _refused(call("get", "/reconciliation", "zhan"), 403, "FORBIDDEN")
    st = call("get", f"/reconciliation?year={day.year}&month={day.month}", "fin").json()
    assert st["balanced"] and st["mismatches"] == [] and st["year_end"] is None
    (row,) = st["rows"]
    assert (row["sent_fen"], row["paid_fen"], row["returned_fen"]) == (150000, order.paid_fen, order.failed_fen)
    assert call("get", f"/reconciliation?year={day.year}", "fin").json()["year_end"]["quotas"] == 1
    assert call("get", f"/reconciliation?year={day.year}&month={day.month}", "other_fin").json()["rows"] == []

    from yikatong.core.crypto import vault
    from yikatong.payments.models import SmsNotice

    line = order.items.filter(status=ItemStatus.PAID).order_by("seq").first()
    SmsNotice.objects.create(line=line, phone_enc=vault().encrypt("13812345678"), phone_masked="138****5678",
                             text="您的补贴已发放至尾号1234的账户")
    _refused(call("get", "/sms", "zhan"), 403, "FORBIDDEN")
    (sms,) = call("get", "/sms", "fin").json()
    assert (sms["order"], sms["item_ref"], sms["phone_masked"], sms["state"]) == (
        order.pk, line.item_ref, "138****5678", "queued")
    assert "13812345678" not in call("get", "/sms", "gk").content.decode()
    assert call("get", "/sms", "other_fin").json() == []

    quota = FundQuota.objects.get(year=2026, policy_code="DB01")
    _refused(call("get", "/clearing?year=2026", "zhan"), 403, "FORBIDDEN")
    rows = call("get", "/clearing?year=2026", "fin").json()
    assert [r["quota_id"] for r in rows] == [quota.pk] and rows[0]["cleared"] is False
    assert call("get", "/clearing?year=2026", "other_fin").json() == []
    _refused(call("post", f"/clearing/{quota.pk}/clear", "other_fin", {}), 404, "NOT_FOUND")
    _refused(call("post", f"/clearing/{quota.pk}/clear", "gk", {}), 403, "CLEARING_ROLE_NOT_ALLOWED")
    cleared = call("post", f"/clearing/{quota.pk}/clear", "fin", {"note": "年终清算"})
    assert cleared.status_code == 201, cleared.content
    quota.refresh_from_db()
    assert cleared.json()["recovered_fen"] == quota.received_fen - quota.allocated_fen - quota.paid_fen
    _refused(call("post", f"/clearing/{quota.pk}/clear", "fin", {}), 409, "CLEARING_DONE_BEFORE")
    assert Clearing.objects.count() == 1 and call("get", "/clearing?year=2026", "fin").json()[0]["cleared"]


def test_agreement_document(pw, call):
    from django.core.files.base import ContentFile

    from yikatong.payments import banks as exchange
    from yikatong.payments.tests.support import DAY, KEY

    pdf = b"%PDF-1.4\n%test\n"
    admin = type(pw.users["fin"]).objects.get(username="bankadmin")
    signed = exchange.agreement_create(actor=admin, bank=pw.agreement.bank, payer=pw.orgs["czj"],
                                       payer_account="6217000010005678", payer_name="洪洞县财政局", mac_key=KEY,
                                       valid_from=DAY, document=ContentFile(pdf, name="协议.pdf"))
    resp = call("get", f"/agreements/{signed.pk}/document", "fin")
    assert resp.status_code == 200 and resp.content == pdf and resp["Content-Type"] == "application/pdf"
    for who in ("other_fin", "zhan", "bank"):
        _refused(call("get", f"/agreements/{signed.pk}/document", who), 404, "NOT_FOUND")


# --- the agent bank in the browser --------------------------------------------------------------------

def test_bank_user_lists_downloads_and_uploads_in_the_browser(client, pw, sent, people):
    order, answer = sent
    client.force_login(people["bank"])
    page = client.get(reverse("payments_bank_orders")).content.decode()
    link = reverse("payments_order_file", args=[order.pk])
    assert order.batch_no in page and link in page and "待回盘" in page and 'name="file"' in page
    download = client.get(link)
    assert download.status_code == 200 and download.content == (pw.connector.outbox / order.payment_file.filename
                                                                ).read_bytes()
    assert AuditEvent.objects.filter(action="payments.order.file_download", actor=people["bank"]).count() == 1
    resp = client.post(reverse("payments_bank_upload"), {"file": SimpleUploadedFile(answer.filename, answer.data)})
    assert resp.status_code == 302
    order.refresh_from_db()
    assert order.state == OrderState.ANSWERED
    page = client.get(reverse("payments_bank_orders")).content.decode()
    assert "已回盘" in page and "失败 1 笔" in page
    again = client.post(reverse("payments_bank_upload"), {"file": SimpleUploadedFile(answer.filename, answer.data)},
                        follow=True)
    assert "此前已导入" in again.content.decode()
    client.force_login(people["bank2"])
    assert order.batch_no not in client.get(reverse("payments_bank_orders")).content.decode()
    assert client.get(link).status_code == 404
    client.force_login(people["fin"])
    assert client.get(link).status_code == 403  # finance sees the order, not the file (treasury and bank only)
    assert client.post(reverse("payments_bank_upload"), {}).status_code == 403
