"""The pages and the API of monitoring reports: build, detail, remarks, submit, approve, exports; refusals."""
import pytest
from django.urls import reverse

from yikatong.reports.models import MonitoringReport


@pytest.fixture
def p003(rw, settings):
    settings.YKT_PROFILE = "003"
    return rw


@pytest.mark.django_db
def test_pages_build_submit_approve_and_export(p003, client):
    rw = p003
    client.force_login(rw.users["mz_rev"])
    assert "监测报表" in client.get(reverse("reports_list")).content.decode()
    resp = client.post(reverse("reports_build"), {"definition": "003_department_monthly", "period": "2026-10"})
    report = MonitoringReport.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("reports_detail", args=[report.pk])
    page = client.get(reverse("reports_detail", args=[report.pk])).content.decode()
    assert "补贴资金发放情况月报（主管部门）" in page and "报送" in page
    client.post(reverse("reports_remarks", args=[report.pk]), {"remarks": "无异常"})
    client.post(reverse("reports_transition", args=[report.pk, "submit"]))
    assert client.get(reverse("reports_xlsx", args=[report.pk])).status_code == 404  # not approved yet
    client.force_login(rw.users["fin"])
    resp = client.post(reverse("reports_transition", args=[report.pk, "approve"]))
    report.refresh_from_db()
    assert report.state == "approved" and report.frozen["remarks"] == "无异常"
    resp = client.get(reverse("reports_xlsx", args=[report.pk]))
    assert resp.status_code == 200 and resp.content[:2] == b"PK" and "attachment" in resp["Content-Disposition"]
    page = client.get(reverse("reports_print", args=[report.pk])).content.decode()
    assert "@page" in page and report.frozen_sha256 in page
    client.force_login(rw.users["op"])
    assert client.get(reverse("reports_detail", args=[report.pk])).status_code == 403


@pytest.mark.django_db
def test_api_refusals_carry_their_codes(p003, client):
    rw = p003
    client.force_login(rw.users["mz_rev"])
    resp = client.post("/api/reports/", {"definition": "003_department_monthly", "period": "2026-10"},
                       content_type="application/json")
    assert resp.status_code == 200, resp.content
    rid = resp.json()["id"]
    assert resp.json()["actions"] == ["submit"] and resp.json()["content"]["quotas"]
    resp = client.get(f"/api/reports/{rid}/xlsx")
    assert resp.status_code == 409 and resp.json()["code"] == "REPORT_NOT_APPROVED"
    resp = client.post(f"/api/reports/{rid}/transitions/submit", {}, content_type="application/json")
    assert resp.json()["state"] == "submitted"
    resp = client.post(f"/api/reports/{rid}/transitions/approve", {}, content_type="application/json")
    assert resp.status_code == 403 and resp.json()["code"] == "ROLE_NOT_ALLOWED"
    client.force_login(rw.users["fin"])
    resp = client.post(f"/api/reports/{rid}/transitions/return", {"reason": ""}, content_type="application/json")
    assert resp.status_code == 400 and resp.json()["code"] == "REASON_REQUIRED"
    resp = client.post("/api/reports/", {"definition": "003_department_monthly", "period": "2026-10"},
                       content_type="application/json")
    assert resp.status_code == 403 and resp.json()["code"] == "MONITORING_ROLE_NOT_ALLOWED"
    assert [r["id"] for r in client.get("/api/reports/?state=submitted").json()] == [rid]
    client.force_login(rw.users["other_fin"])
    assert client.get(f"/api/reports/{rid}").status_code == 404


def test_the_table_shows_rates_beside_the_sums():
    from decimal import Decimal

    from yikatong.reports import exports, figures

    row = {k: 0 for k in figures.KEYS} | {"policy_code": "DB01", "policy": "低保", "region_code": "1", "region": "镇",
                                         "cards": 8, "cards_active": 6, "complaints_answered": 4,
                                         "complaints_on_time": 3, "handling_hours": 10.0, "paid_fen": 12345}
    content = {"columns": [list(c) for c in figures.COLUMNS], "rows": [row], "totals": {k: row[k] for k in figures.KEYS}}
    headers, rows = exports.table(content)
    assert headers[-3:] == exports.DERIVED and rows[0][-3:] == [75, 75, 2.5]
    assert rows[0][4 + figures.KEYS.index("paid_fen")] == Decimal("123.45") and rows[-1][1] == "合计"
