"""The findings workbench: anonymous / wrong region / wrong role / right role, nothing changed when refused."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.support.env import login
from yikatong.checks import services
from yikatong.checks.models import Finding, FindingState

from .conftest import BLOCKING

pytestmark = pytest.mark.django_db


@pytest.fixture
def checked(planted, rw):
    services.batch_checks_run(actor=None, batch_id=planted["batch"].pk)
    return planted


def test_anonymous_is_sent_to_login(client, checked):
    f = Finding.objects.first()
    assert client.get("/checks/").status_code == 302
    resp = client.post(f"/checks/findings/{f.pk}/dispose/", {"decision": "cleared", "reason": "x", "evidence_text": "y"})
    assert resp.status_code == 302 and resp["Location"].startswith("/login/")
    assert Finding.objects.get(pk=f.pk).state == FindingState.OPEN


def test_workbench_lists_and_filters_in_scope(client, checked, rw):
    login(client, rw.users["czs"])
    page = client.get("/checks/").content.decode()
    assert "重复发放" in page and "已死亡人员领取" in page
    page = client.get("/checks/?rule=DUP_PAYMENT&state=open").content.decode()
    assert "重复发放" in page and "已死亡" not in page.split("<tbody>")[1]
    page = client.get("/checks/?severity=warn&state=").content.decode()
    assert "一卡多人" in page and "重复发放" not in page.split("<tbody>")[1]


def test_wrong_region_sees_nothing_and_cannot_dispose(client, checked, rw):
    f = Finding.objects.get(rule__code="DUP_PAYMENT")
    login(client, rw.users["other_fin"])
    assert "没有符合条件的疑点" in client.get("/checks/").content.decode()
    resp = client.post(f"/checks/findings/{f.pk}/dispose/", {"decision": "cleared", "reason": "x", "evidence_text": "y"})
    assert resp.status_code == 404 and Finding.objects.get(pk=f.pk).state == FindingState.OPEN


def test_wrong_role_is_refused(client, checked, rw):
    f = Finding.objects.get(rule__code="DUP_PAYMENT")
    login(client, rw.users["cun"])  # village clerk
    client.post(f"/checks/findings/{f.pk}/dispose/", {"decision": "cleared", "reason": "x", "evidence_text": "y"})
    assert Finding.objects.get(pk=f.pk).state == FindingState.OPEN


def test_right_role_disposes_through_the_form(client, checked, rw):
    f = Finding.objects.get(rule__code="STATE_PAID")
    login(client, rw.users["czs"])
    resp = client.post(f"/checks/findings/{f.pk}/dispose/", {"decision": "cleared", "reason": ""}, follow=True)
    assert 'data-code="FINDING_CLEAR_REASON_REQUIRED"' in resp.content.decode() and Finding.objects.get(pk=f.pk).state == FindingState.OPEN
    resp = client.post(f"/checks/findings/{f.pk}/dispose/",
                       {"decision": "cleared", "reason": "已退休", "next": "/checks/?state=cleared"}, follow=True)
    assert 'data-code="FINDING_CLEAR_EVIDENCE_REQUIRED"' in resp.content.decode() and Finding.objects.get(pk=f.pk).state == FindingState.OPEN
    resp = client.post(f"/checks/findings/{f.pk}/dispose/",
                       {"decision": "cleared", "reason": "已退休", "next": "/checks/?state=cleared",
                        "evidence": SimpleUploadedFile("退休证.pdf", b"%PDF-1.4 retirement")})
    assert resp.status_code == 302 and resp["Location"] == "/checks/?state=cleared"
    f.refresh_from_db()
    assert f.state == FindingState.CLEARED and f.disposed_by == rw.users["czs"]
    assert [(e.filename, e.size) for e in f.evidence_items.all()] == [("退休证.pdf", 19)]


def test_api_lists_in_scope_and_disposes(client, checked, rw):
    f = Finding.objects.get(rule__code="CADRE")
    assert client.get("/api/checks/findings").status_code == 401
    login(client, rw.users["other_fin"])
    assert client.get("/api/checks/findings").json() == []
    missing = client.post(f"/api/checks/findings/{f.pk}/dispose", {"decision": "cleared", "reason": "x", "evidence_text": "y"},
                          content_type="application/json")
    assert missing.status_code == 404 and missing.json()["code"] == "FINDING_NOT_IN_SCOPE"
    client.logout()
    login(client, rw.users["fin"])
    rows = client.get("/api/checks/findings?severity=block").json()
    assert len(rows) == BLOCKING and {r["rule"] for r in rows} == {
        "DUP_PAYMENT", "DECEASED", "AMOUNT_STANDARD", "ID_INVALID", "CARD_INVALID", "EXCLUSIVE_POLICY"}
    bad = client.post(f"/api/checks/findings/{f.pk}/dispose", {"decision": "cleared", "reason": ""},
                      content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "FINDING_CLEAR_REASON_REQUIRED"
    assert Finding.objects.get(pk=f.pk).state == "open"
    ok = client.post(f"/api/checks/findings/{f.pk}/dispose", {"decision": "cleared", "reason": "亲属关系已解除",
                                                                         "evidence_text": "离婚证明"},
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json()["state"] == "cleared"
