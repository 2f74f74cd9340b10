"""Issue 13 point 5: bank exchange under hostile files.

- a file that fails authentication (an X carries no MAC) never changes an order, its items or its
  answer once an authenticated R was taken: refused with a code and recorded;
- the MAC algorithm is exactly the agreement's, both ways (result verified, payment file signed);
- files at rest: 0600 in 0700 folders; an answer archived after ingest leaves no plaintext copy."""
import os
import stat

import pytest

from yikatong.payments import services
from yikatong.payments.errors import IngestRefused
from yikatong.payments.exchange.connector import atomic_write
from yikatong.payments.exchange.mac import HMAC_SHA256, HMAC_SM3, sm3_available
from yikatong.payments.exchange.rejectionfile import write_rejection_file
from yikatong.payments.tests.support import KEY, reseal
from yikatong.payments.models import BankAgreement, BankFile, ItemStatus, OrderState, PaymentOrder

pytestmark = pytest.mark.django_db


def _snapshot(order):
    o = PaymentOrder.objects.get(pk=order.pk)
    items = list(o.items.order_by("seq").values_list("status", "reason_code", "bank_txn_id"))
    return o.state, o.answer_file_id, o.paid_fen, o.failed_fen, o.rejection_code, items


def _forged_x(pw, order) -> tuple[str, bytes]:
    return write_rejection_file(bank_code=order.agreement.bank.code, batch_no=order.batch_no, code="F02",
                                text="MAC错")


# ---- an X after an authenticated R ---------------------------------------------------------------

def test_unsigned_x_after_authenticated_r_is_refused_and_recorded(pw, sent):
    order, answer = sent
    services.bank_answer_ingest(actor=pw.users["gk"], filename=answer.filename, data=answer.data)
    before = _snapshot(order)
    assert before[0] == OrderState.ANSWERED
    name, data = _forged_x(pw, order)
    with pytest.raises(IngestRefused) as exc:
        services.bank_answer_ingest(actor=pw.users["gk"], filename=name, data=data)
    assert exc.value.code == "INGEST_REJECTION_AFTER_RESULT"
    assert _snapshot(order) == before  # nothing of the order, its items or its answer changed
    kept = BankFile.objects.get(filename=name)  # recorded: the refused file is kept with its digest
    assert kept.refusal_code == "INGEST_REJECTION_AFTER_RESULT" and kept.data() == data
    from yikatong.audit.models import AuditEvent
    assert AuditEvent.objects.filter(action="payments.bank_file.refuse").count() == 1
    with pytest.raises(IngestRefused) as again:  # the same file again: the same refusal, recorded once
        services.bank_answer_ingest(actor=pw.users["gk"], filename=name, data=data)
    assert again.value.code == "INGEST_REJECTION_AFTER_RESULT"
    assert AuditEvent.objects.filter(action="payments.bank_file.refuse").count() == 1
    assert _snapshot(order) == before


def test_x_after_r_in_the_inbox_is_refused_recorded_and_taken_out(pw, sent, collect):
    order, answer = sent
    atomic_write(pw.connector.inbox, answer.filename, answer.data)
    name, data = _forged_x(pw, order)
    atomic_write(pw.connector.inbox, name, data)
    report = dict(collect())
    assert report[answer.filename].created
    assert isinstance(report[name], IngestRefused) and report[name].code == "INGEST_REJECTION_AFTER_RESULT"
    assert PaymentOrder.objects.get(pk=order.pk).state == OrderState.ANSWERED
    assert BankFile.objects.get(filename=name).refusal_code == "INGEST_REJECTION_AFTER_RESULT"
    assert not (pw.connector.inbox / name).exists()  # kept (encrypted) in the database, not left to recur


def test_authenticated_r_supersedes_an_unconfirmed_x(pw, sent):
    """An X dropped before the bank's R: the R (MAC verified) is the bank's word; the X never confirmed."""
    order, answer = sent
    name, data = _forged_x(pw, order)
    services.bank_answer_ingest(actor=pw.users["gk"], filename=name, data=data)
    assert PaymentOrder.objects.get(pk=order.pk).state == OrderState.REJECTED
    services.bank_answer_ingest(actor=pw.users["gk"], filename=answer.filename, data=answer.data)
    o = PaymentOrder.objects.get(pk=order.pk)
    assert o.state == OrderState.ANSWERED and o.answer_file.filename == answer.filename
    assert o.items.filter(status=ItemStatus.PAID).count() == 2 and o.rejection_code == ""
    assert o.batch.state == "partly_failed"


def test_r_after_a_confirmed_x_is_refused(pw, sent):
    order, answer = sent
    name, data = _forged_x(pw, order)
    services.bank_answer_ingest(actor=pw.users["gk"], filename=name, data=data)
    from yikatong.payments.rejections import rejection_confirm
    rejection_confirm(actor=pw.users["fin"], order_id=order.pk, note="已电话核实")
    with pytest.raises(IngestRefused) as exc:
        services.bank_answer_ingest(actor=pw.users["gk"], filename=answer.filename, data=answer.data)
    assert exc.value.code == "INGEST_RESULT_AFTER_CONFIRMED_REJECTION"
    assert PaymentOrder.objects.get(pk=order.pk).state == OrderState.REJECTED


def test_tampered_r_after_authenticated_r_changes_nothing(pw, sent):
    order, answer = sent
    services.bank_answer_ingest(actor=pw.users["gk"], filename=answer.filename, data=answer.data)
    before = _snapshot(order)
    bad = answer.data.replace(b"|F|E01|", b"|S||", 1)
    with pytest.raises(IngestRefused):
        services.bank_answer_ingest(actor=pw.users["gk"], filename=answer.filename, data=bad)
    assert _snapshot(order) == before


# ---- the MAC algorithm is the agreement's ---------------------------------------------------------

def _other(alg: str) -> str:
    return HMAC_SHA256 if alg == HMAC_SM3 else HMAC_SM3


@pytest.mark.skipif(not sm3_available(), reason="the crypto backend has no SM3: only one algorithm to choose")
def test_result_signed_with_another_algorithm_is_refused(pw, sent):
    order, answer = sent
    agreed = order.agreement.mac_alg
    wrong = _other(agreed)
    cut = answer.data.rindex(b"\r\nT|") + 2
    trailer = answer.data[cut:-2].decode("ascii").split("|")
    trailer[-2] = wrong
    forged = reseal(answer.data[:cut] + "|".join(trailer).encode("ascii") + b"\r\n", lambda body: body)
    with pytest.raises(IngestRefused) as exc:
        services.bank_answer_ingest(actor=pw.users["gk"], filename=answer.filename, data=forged)
    assert exc.value.code == "MAC_ALGORITHM_MISMATCH"
    assert PaymentOrder.objects.get(pk=order.pk).state == OrderState.SENT


def test_sha256_refused_where_the_agreement_says_sm3(pw, sent):
    """Even where the backend lacks SM3, an HMAC-SHA256 result is refused when the agreement says SM3."""
    order, answer = sent
    BankAgreement.objects.filter(pk=order.agreement_id).update(mac_alg=HMAC_SM3)
    if order.agreement.mac_alg == HMAC_SM3:  # the file was signed with SM3: re-sign it with SHA-256
        cut = answer.data.rindex(b"\r\nT|") + 2
        trailer = answer.data[cut:-2].decode("ascii").split("|")
        trailer[-2] = HMAC_SHA256
        data = reseal(answer.data[:cut] + "|".join(trailer).encode("ascii") + b"\r\n", lambda body: body)
    else:
        data = answer.data
    with pytest.raises(IngestRefused) as exc:
        services.bank_answer_ingest(actor=pw.users["gk"], filename=answer.filename, data=data)
    assert exc.value.code == "MAC_ALGORITHM_MISMATCH"
    assert PaymentOrder.objects.get(pk=order.pk).state == OrderState.SENT


def test_payment_file_is_signed_with_the_agreement_algorithm(pw, sent):
    order, _ = sent
    data = order.payment_file.data()
    assert data.rsplit(b"\r\nT|", 1)[1].split(b"|")[-2].decode() == order.agreement.mac_alg


def test_payment_file_writer_requires_an_algorithm():
    from yikatong.payments.tests.support import HEADER, line
    from yikatong.payments.exchange.paymentfile import write_payment_file
    with pytest.raises(TypeError):  # no silent fallback to the backend's preference
        write_payment_file(**HEADER, lines=[line(1)], key=KEY)


# ---- files at rest -------------------------------------------------------------------------------

def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_outbox_and_inbox_files_are_private(pw, sent):
    order, answer = sent
    outbox = pw.connector.outbox
    assert _mode(outbox / order.payment_file.filename) == 0o600
    assert _mode(outbox) == 0o700
    path = atomic_write(pw.connector.inbox, answer.filename, answer.data)
    assert _mode(path) == 0o600 and _mode(pw.connector.inbox) == 0o700


def test_archived_answer_leaves_no_plaintext_copy(pw, sent, collect):
    order, answer = sent
    atomic_write(pw.connector.inbox, answer.filename, answer.data)
    collect()
    leftovers = [p for p in pw.connector.inbox.rglob("*") if p.is_file()]
    for path in leftovers:  # whatever is kept on disk is neither the plaintext nor readable by others
        assert path.read_bytes() != answer.data and _mode(path) == 0o600
    assert BankFile.objects.get(filename=answer.filename).data() == answer.data


# ---- the signed agreement text: sealed at rest, served only to its readers -----------------------

PDF = b"%PDF-1.4\n%signed three-party agreement\n%%EOF\n"


def _admin():
    from yikatong.accounts.models import User

    return User.objects.get(username="bankadmin")  # the system administrator of the county (conftest pw)


@pytest.fixture
def signed(pw, regions):
    from django.core.files.base import ContentFile

    from yikatong.accounts.models import Organization, OrgKind
    from yikatong.payments import banks as exchange
    from yikatong.payments.tests.support import DAY

    admin = _admin()
    bank = pw.agreement.bank
    dept = Organization.objects.create(name="民政局X", kind=OrgKind.LINE_DEPARTMENT, region=regions["county"], code="DX")
    return exchange.agreement_create(
        actor=admin, bank=bank, payer=pw.orgs["czj"], payer_account="6217000010005678", payer_name="洪洞县财政局",
        mac_key=KEY, valid_from=DAY, department=dept, document=ContentFile(PDF, name='../协议"; x.pdf'))


def test_agreement_text_is_sealed_and_typed_from_its_bytes(signed):
    doc = signed.signed_text
    assert PDF not in bytes(doc.content_enc) and doc.data() == PDF and doc.sha256 == signed.document_sha256
    assert doc.content_type == "application/pdf" and "/" not in doc.filename and '"' not in doc.filename


def test_agreement_text_of_another_type_is_refused(pw):
    from django.core.files.base import ContentFile

    from yikatong.payments.errors import PaymentError
    from yikatong.payments import banks as exchange
    from yikatong.payments.tests.support import DAY

    with pytest.raises(PaymentError) as exc:
        exchange.agreement_create(
            actor=_admin(), bank=pw.agreement.bank, payer=pw.orgs["czj"],
            payer_account="6217000010005678", payer_name="洪洞县财政局", mac_key=KEY, valid_from=DAY,
            document=ContentFile(b"<html><script>alert(1)</script>", name="协议.pdf"))
    assert exc.value.code == "AGREEMENT_DOCUMENT_TYPE"


@pytest.mark.parametrize("who, status", [("fin", 200), ("gk", 200), ("bankadmin", 200), ("other_fin", 404),
                                         ("zhan", 404), ("mz_head", 404), ("czs", 404)])
def test_agreement_text_download(client, pw, signed, who, status):
    from django.urls import reverse

    from yikatong.rosters.tests.test_http import login

    user = _admin() if who == "bankadmin" else pw.users[who]
    resp = login(client, user).get(reverse("payments_agreement_document", args=[signed.pk]))
    assert resp.status_code == status
    if status == 200:
        assert resp.content == PDF and resp["Content-Type"] == "application/pdf"
        assert resp["Content-Disposition"].startswith("attachment;") and resp["X-Content-Type-Options"] == "nosniff"
    else:
        assert PDF not in resp.content
