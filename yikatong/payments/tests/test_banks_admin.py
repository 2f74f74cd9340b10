"""代发银行与协议 (issue 17): the page lists the agent banks and agreements of the caller's region only
(account ****last4, never the MAC key); a system administrator registers a bank and an agreement on the
page or through the API (the same services, the same audit events); anyone else is refused with the
service's code; the key and the full account never appear in any answer."""
import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.support import factories
from tests.support.env import as_user
from yikatong.accounts.models import OrgKind
from yikatong.accounts.roles import Role
from yikatong.accounts.tokens import issue_api_token
from yikatong.audit.models import AuditEvent
from yikatong.payments import banks
from yikatong.payments.errors import PaymentError
from yikatong.payments.models import AgentBank, AgreementDocument, BankAgreement

pytestmark = pytest.mark.django_db

API = "/api/payments"
KEY = bytes(range(1, 33))  # 32 bytes
ACCOUNT = "6217000010009876"
OTHER_ACCOUNT = "6217000020005555"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def land(regions, make_user, settings):
    """The county's finance bureau, agent-bank organization, admin and finance reviewer; another county's
    bank (with an agreement) and admin."""
    settings.YKT_PROFILE = "000"
    county, other = regions["county"], regions["other_county"]
    o = {
        "czj": factories.organization(county, OrgKind.FINANCE_BUREAU, code="CZJ", name="洪洞县财政局"),
        "mz": factories.organization(county, OrgKind.LINE_DEPARTMENT, code="MZ", name="洪洞县民政局"),
        "bank_org": factories.organization(county, OrgKind.AGENT_BANK, code="B1", name="洪洞农商行"),
        "other_czj": factories.organization(other, OrgKind.FINANCE_BUREAU, code="OCZJ", name="榆次区财政局"),
        "other_bank_org": factories.organization(other, OrgKind.AGENT_BANK, code="B9", name="榆次农商行"),
    }
    u = {
        "admin": make_user("admin", Role.SYSADMIN),
        "fin": make_user("fin", Role.FINANCE_REVIEWER),
        "clerk": make_user("clerk", Role.TOWNSHIP_OPERATOR, region=regions["town1"]),
        "other_admin": make_user("other_admin", Role.SYSADMIN, region=other),
    }
    other_bank = banks.agent_bank_create(actor=u["other_admin"], code="YC01", name="榆次农商行",
                                         organization=o["other_bank_org"])
    banks.agreement_create(actor=u["other_admin"], bank=other_bank, payer=o["other_czj"],
                           payer_account=OTHER_ACCOUNT, payer_name="榆次区财政局", mac_key=KEY,
                           valid_from=factories_day())
    return o, u


def factories_day():
    import datetime

    return datetime.date(2026, 1, 1)


def _secrets_absent(text: str) -> None:
    for secret in (KEY.hex(), KEY.hex().upper(), base64.b64encode(KEY).decode(), ACCOUNT, OTHER_ACCOUNT):
        assert secret not in text


def _agreement_post(o, bank, **over):
    data = {"bank": bank.pk, "payer": o["czj"].pk, "department": o["mz"].pk, "payer_account": ACCOUNT,
            "payer_name": "洪洞县财政局", "mac_key": KEY.hex(), "valid_from": "2026-01-01", "valid_to": "",
            "pay_within_working_days": "", "report_within_days": "5",
            "document": SimpleUploadedFile("协议.pdf", PDF, content_type="application/pdf")}
    data.update(over)
    return data


# --- the page ----------------------------------------------------------------------------------------

def test_page_lists_only_the_callers_regions_banks_masked(client, land):
    o, u = land
    bank = banks.agent_bank_create(actor=u["admin"], code="HT01", name="洪洞农商行", organization=o["bank_org"])
    banks.agreement_create(actor=u["admin"], bank=bank, payer=o["czj"], payer_account=ACCOUNT,
                           payer_name="洪洞县财政局", mac_key=KEY, valid_from=factories_day())
    page = as_user(client, u["fin"]).get(reverse("payments_banks"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "HT01" in text and "****9876" in text and "YC01" not in text and "****5555" not in text
    assert 'data-testid="bank-form"' not in text  # read-only for finance
    _secrets_absent(text)
    other = as_user(client, u["other_admin"]).get(reverse("payments_banks")).content.decode()
    assert "YC01" in other and "HT01" not in other and 'data-testid="bank-form"' in other
    # the admin's form offers only the agent-bank organizations of the admin's county
    assert "榆次农商行（B9）" in other and "洪洞农商行（B1）" not in other
    assert as_user(client, u["clerk"]).get(reverse("payments_banks")).status_code == 403


def test_admin_registers_a_bank_and_an_agreement_through_the_page(client, land):
    o, u = land
    as_user(client, u["admin"])
    resp = client.post(reverse("payments_bank_create"), {"code": "HT01", "name": "洪洞农商行",
                                                          "organization": o["bank_org"].pk}, follow=True)
    bank = AgentBank.objects.get(code="HT01")
    assert bank.organization == o["bank_org"] and "代发银行" in resp.content.decode()
    assert AuditEvent.objects.filter(action="payments.bank.create", actor=u["admin"]).count() == 1

    resp = client.post(reverse("payments_agreement_create"), _agreement_post(o, bank), follow=True)
    text = resp.content.decode()
    assert resp.status_code == 200 and "代发协议已登记" in text
    a = BankAgreement.objects.get(bank=bank)
    assert AuditEvent.objects.filter(action="payments.agreement.create", actor=u["admin"]).count() == 1
    assert ACCOUNT not in a.payer_account_encrypted and a.payer_account == ACCOUNT and a.payer_account_last4 == "9876"
    assert a.mac_key() == KEY and a.department == o["mz"] and a.report_within_days == 5
    assert AgreementDocument.objects.get(agreement=a).data() == PDF
    assert "****9876" in text and reverse("payments_agreement_document", args=[a.pk]) in text
    _secrets_absent(text)
    _secrets_absent(str(list(AuditEvent.objects.values_list("after", flat=True))))


def test_the_page_takes_a_base64_key_and_flashes_refusals_with_their_code(client, land):
    o, u = land
    bank = banks.agent_bank_create(actor=u["admin"], code="HT01", name="洪洞农商行", organization=o["bank_org"])
    as_user(client, u["admin"])
    short = client.post(reverse("payments_agreement_create"),
                        _agreement_post(o, bank, mac_key=base64.b64encode(b"short").decode()), follow=True)
    assert 'data-code="AGREEMENT_MAC_KEY_SHORT"' in short.content.decode()
    unreadable = client.post(reverse("payments_agreement_create"), _agreement_post(o, bank, mac_key="not a key!"),
                             follow=True)
    assert 'data-code="AGREEMENT_MAC_KEY_UNREADABLE"' in unreadable.content.decode()
    assert not BankAgreement.objects.filter(bank=bank).exists()
    client.post(reverse("payments_agreement_create"),
                _agreement_post(o, bank, mac_key=base64.b64encode(KEY).decode(), document=""))
    assert BankAgreement.objects.get(bank=bank).mac_key() == KEY
    taken = client.post(reverse("payments_bank_create"), {"code": "HT01", "name": "又一家",
                                                           "organization": o["bank_org"].pk}, follow=True)
    assert 'data-code="BANK_CODE_TAKEN"' in taken.content.decode()
    # a finance reviewer sees the page but registering is refused by the service, with its code
    as_user(client, u["fin"])
    refused = client.post(reverse("payments_bank_create"), {"code": "HT02", "name": "x",
                                                             "organization": o["bank_org"].pk}, follow=True)
    assert 'data-code="BANK_REGISTER_ADMIN_ONLY"' in refused.content.decode()
    assert not AgentBank.objects.filter(code="HT02").exists()


def test_mac_key_from_text_reads_hex_then_base64():
    assert banks.mac_key_from_text(KEY.hex()) == KEY
    assert banks.mac_key_from_text(" ".join([KEY.hex()[:16], KEY.hex()[16:].upper()])) == KEY
    assert banks.mac_key_from_text(base64.b64encode(KEY).decode()) == KEY
    for bad in ("", "xyz!", "abc"):
        with pytest.raises(PaymentError) as refused:
            banks.mac_key_from_text(bad)
        assert refused.value.code == "AGREEMENT_MAC_KEY_UNREADABLE"


# --- the API -----------------------------------------------------------------------------------------

def _multipart(o, bank, **over) -> dict:
    """The agreement fields as an API client sends them: optional fields left out, not empty."""
    return {k: v for k, v in _agreement_post(o, bank, **over).items() if v != ""}


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=user, name='t')}"}


def test_api_refuses_a_non_admin_and_another_countys_admin_with_the_services_codes(client, land):
    o, u = land
    body = {"code": "HT01", "name": "洪洞农商行", "organization": o["bank_org"].pk}
    for who, code in (("fin", "BANK_REGISTER_ADMIN_ONLY"), ("other_admin", "BANK_REGISTER_NOT_IN_REGION")):
        resp = client.post(f"{API}/banks", body, content_type="application/json", **_auth(u[who]))
        assert resp.status_code == 403 and resp.json()["code"] == code, (who, resp.content)
    assert not AgentBank.objects.filter(code="HT01").exists()
    # an agreement for this county's payer, asked by the other county's admin
    other_bank = AgentBank.objects.get(code="YC01")
    resp = client.post(f"{API}/agreements", _multipart(o, other_bank), **_auth(u["other_admin"]))
    assert resp.status_code == 403 and resp.json()["code"] == "BANK_REGISTER_NOT_IN_REGION"
    resp = client.post(f"{API}/agreements", _multipart(o, other_bank), **_auth(u["fin"]))
    assert resp.status_code == 403 and resp.json()["code"] == "BANK_REGISTER_ADMIN_ONLY"
    assert BankAgreement.objects.count() == 1
    assert client.get(f"{API}/banks", **_auth(u["clerk"])).status_code == 403


def test_api_creates_and_lists_banks_and_agreements_without_the_key_or_account(client, land):
    o, u = land
    admin = _auth(u["admin"])
    resp = client.post(f"{API}/banks", {"code": "HT01", "name": "洪洞农商行", "organization": o["bank_org"].pk},
                       content_type="application/json", **admin)
    assert resp.status_code == 201, resp.content
    bank_id = resp.json()["id"]
    assert AuditEvent.objects.filter(action="payments.bank.create", actor=u["admin"]).count() == 1
    bad = client.post(f"{API}/banks", {"code": "HT-01", "name": "x", "organization": o["bank_org"].pk},
                      content_type="application/json", **admin)
    assert bad.status_code == 400 and bad.json()["code"] == "BANK_CODE_INVALID"
    again = client.post(f"{API}/banks", {"code": "HT01", "name": "x", "organization": o["bank_org"].pk},
                        content_type="application/json", **admin)
    assert again.status_code == 409 and again.json()["code"] == "BANK_CODE_TAKEN"

    bank = AgentBank.objects.get(pk=bank_id)
    unreadable = client.post(f"{API}/agreements", _multipart(o, bank, mac_key="zz"), **admin)
    assert unreadable.status_code == 400 and unreadable.json()["code"] == "AGREEMENT_MAC_KEY_UNREADABLE"
    made = client.post(f"{API}/agreements", _multipart(o, bank), **admin)
    assert made.status_code == 201, made.content
    out = made.json()
    assert out["payer_account_masked"] == "****9876" and out["has_document"] and out["department_id"] == o["mz"].pk
    assert BankAgreement.objects.get(pk=out["id"]).mac_key() == KEY
    assert AuditEvent.objects.filter(action="payments.agreement.create", actor=u["admin"]).count() == 1

    listed = client.get(f"{API}/banks", **_auth(u["fin"]))
    assert listed.status_code == 200
    data = listed.json()
    assert [b["code"] for b in data["banks"]] == ["HT01"] and data["other_agreements"] == []
    (agreement,) = data["banks"][0]["agreements"]
    assert agreement["id"] == out["id"] and agreement["has_document"] and agreement["report_within_days"] == 5
    doc = client.get(f"{API}/agreements/{out['id']}/document", **_auth(u["fin"]))
    assert doc.status_code == 200 and b"".join(doc.streaming_content if doc.streaming else [doc.content]) == PDF
    for resp in (made, listed, bad, again, unreadable):
        _secrets_absent(resp.content.decode())
    assert [b["code"] for b in client.get(f"{API}/banks", **_auth(u["other_admin"])).json()["banks"]] == ["YC01"]
