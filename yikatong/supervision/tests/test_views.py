"""Supervision pages and exports over HTTP: login + role + region on every URL; what they show."""
import io
import zipfile

import pytest
from django.urls import URLPattern, get_resolver
from django.utils import timezone
from python_calamine import CalamineWorkbook

from tests.support.env import login
from yikatong.audit.models import AuditEvent
from yikatong.checks.evidence import Upload
from yikatong.checks.models import Finding
from yikatong.supervision.models import Clue

from .conftest import transfer

pytestmark = pytest.mark.django_db


def sheet(resp) -> list[list]:
    assert resp.status_code == 200, resp.status_code
    return CalamineWorkbook.from_filelike(io.BytesIO(resp.content)).get_sheet_by_index(0).to_python()


@pytest.fixture
def clue(checked, people):
    transfer(people["zhan"], "AMOUNT_STANDARD", evidence_files=[Upload("说明.pdf", b"%PDF-1.4 x")])
    return Clue.objects.get()


def _supervision_urls(pk: int) -> list[tuple[str, str]]:
    resolver = get_resolver()
    out = []
    for p in resolver.url_patterns:
        if str(p.pattern) == "supervision/":
            for q in p.url_patterns:
                assert isinstance(q, URLPattern)
                out.append((q.name, "/supervision/" + str(q.pattern).replace("<int:pk>", str(pk))))
    return out


def test_every_supervision_url_needs_login_and_role(client, clue, people):
    urls = _supervision_urls(clue.pk)
    assert len(urls) == 29  # 12 of clues and statistics, 8 of inspections, 9 of recoveries
    for name, url in urls:
        for method in ("get", "post"):
            resp = getattr(client, method)(url)
            assert resp.status_code == 302 and resp["Location"].startswith("/login/"), (name, method)
    login(client, people["cun"])  # village clerk: no supervision role
    for name, url in urls:
        method = "post" if name in ("supervision_clue_start", "supervision_clue_note", "supervision_clue_conclude",
                                    "supervision_clue_sanction", "supervision_recovery_open") \
            or name.startswith("supervision_recovery_") else "get"
        assert getattr(client, method)(url, {"text": "x", "conclusion": "substantiated"}).status_code == 403, name
    clue.refresh_from_db()
    assert clue.state == "transferred" and clue.entries.count() == 1
    assert not AuditEvent.objects.filter(action__startswith="supervision.").exists()


def test_finance_reads_but_cannot_follow_up_or_download_the_case_file(client, clue, people):
    login(client, people["fin"])
    assert client.get(f"/supervision/clues/{clue.pk}/").status_code == 200
    assert "下载案卷" not in client.get(f"/supervision/clues/{clue.pk}/").content.decode()
    assert client.post(f"/supervision/clues/{clue.pk}/start/").status_code == 403
    assert client.get(f"/supervision/clues/{clue.pk}/casefile/").status_code == 403
    clue.refresh_from_db()
    assert clue.state == "transferred" and not AuditEvent.objects.filter(action__startswith="supervision.").exists()


def test_wrong_region_sees_nothing(client, clue, people):
    login(client, people["sup_other"])
    assert "暂无比对疑点" in client.get("/supervision/").content.decode()
    assert "没有符合条件的线索" in client.get("/supervision/clues/").content.decode()
    assert client.get(f"/supervision/clues/{clue.pk}/").status_code == 404
    assert client.post(f"/supervision/clues/{clue.pk}/start/").status_code == 404
    assert client.get(f"/supervision/clues/{clue.pk}/casefile/").status_code == 404
    evidence_id = clue.finding.evidence_items.get().pk
    assert client.get(f"/supervision/evidence/{evidence_id}/").status_code == 404
    assert len(sheet(client.get("/supervision/export/?by=township"))) == 2  # title and header only
    assert len(sheet(client.get("/supervision/clues/export/"))) == 2
    clue.refresh_from_db()
    assert clue.state == "transferred"


def test_statistics_by_rule_township_and_policy_with_exports(client, checked, people):
    from yikatong.checks.services import batch_checks_run

    batch_checks_run(actor=None, batch_id=checked["other"].pk)
    mine, theirs = Finding.objects.filter(batch=checked["batch"]), Finding.objects.filter(batch=checked["other"])
    assert theirs.exists()
    login(client, people["sup"])
    page = client.get("/supervision/?by=rule").content.decode()
    assert "重复发放" in page and "一卡多人" in page
    rows = sheet(client.get("/supervision/export/?by=township"))
    assert rows[1][:3] == ["乡镇代码", "乡镇", "疑点数"]
    by_town = {r[1]: r for r in rows[2:]}
    assert set(by_town) == {"大槐树镇", "甘亭镇"}
    assert by_town["大槐树镇"][2] == mine.count() and by_town["甘亭镇"][2] == theirs.count()
    amount = sum(f.item.amount_fen for f in mine if f.item_id)
    assert by_town["大槐树镇"][-1] == f"{amount // 100}.{amount % 100:02d}"
    rows = sheet(client.get("/supervision/export/?by=policy&year=2026"))
    assert [r[1] for r in rows[2:]] == ["城乡居民最低生活保障"] and rows[2][2] == Finding.objects.count()
    assert len(sheet(client.get("/supervision/export/?by=rule&year=2025"))) == 2
    rows = sheet(client.get("/supervision/export/?by=rule"))
    assert sum(r[2] for r in rows[2:]) == Finding.objects.count()
    assert {r[0] for r in rows[2:]} == set(Finding.objects.values_list("rule__code", flat=True))


def test_trends_count_raised_and_disposed_per_month(client, checked, people):
    total = Finding.objects.count()
    transfer(people["czs"], "CADRE")
    login(client, people["sup"])
    month = timezone.localdate().strftime("%Y-%m")
    assert month in client.get("/supervision/trends/").content.decode()
    rows = sheet(client.get("/supervision/trends/export/"))
    assert rows[1] == ["月份", "新发现疑点", "已处置疑点"] and rows[2:] == [[month, total, 1]]


def test_clue_list_filters_detail_and_export(client, clue, people):
    transfer(people["czs"], "CADRE")
    login(client, people["sup"])
    page = client.get("/supervision/clues/").content.decode()
    assert clue.case_no in page and "XS-141024-" in page and page.count("XS-141024-") == 2
    page = client.get("/supervision/clues/?rule=CADRE").content.decode()
    assert clue.case_no not in page and page.count("XS-141024-") == 1
    assert clue.case_no not in client.get("/supervision/clues/?state=concluded").content.decode()
    rows = sheet(client.get("/supervision/clues/export/?rule=AMOUNT_STANDARD"))
    assert [r[0] for r in rows[2:]] == [clue.case_no] and rows[2][1] == "已移送"
    assert rows[2][6] == f"第{clue.finding.item.seq}条 {clue.finding.item.id_masked}"
    page = client.get(f"/supervision/clues/{clue.pk}/").content.decode()
    assert clue.case_no in page and "说明.pdf" in page and "开始核查" in page


def test_the_supervisor_follows_up_and_downloads_through_the_pages(client, clue, people):
    login(client, people["sup"])
    resp = client.post(f"/supervision/clues/{clue.pk}/start/", {"text": "派员核查"}, follow=True)
    assert "已开始核查" in resp.content.decode()
    resp = client.post(f"/supervision/clues/{clue.pk}/note/", {"text": ""}, follow=True)
    assert 'data-code="CLUE_NOTE_EMPTY"' in resp.content.decode()
    client.post(f"/supervision/clues/{clue.pk}/note/", {"text": "已约谈村干部"})
    resp = client.post(f"/supervision/clues/{clue.pk}/conclude/", {"conclusion": "unsubstantiated", "text": "系录入错误"},
                       follow=True)
    assert "线索已办结" in resp.content.decode()
    clue.refresh_from_db()
    assert clue.state == "concluded" and clue.conclusion == "unsubstantiated"
    assert [e.text for e in clue.entries.all()][1:] == ["派员核查", "已约谈村干部", "系录入错误"]
    resp = client.get(f"/supervision/clues/{clue.pk}/casefile/")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/zip"
    assert "案卷.xlsx" in zipfile.ZipFile(io.BytesIO(resp.content)).namelist()
    evidence_id = clue.finding.evidence_items.get().pk
    resp = client.get(f"/supervision/evidence/{evidence_id}/")
    assert resp.status_code == 200 and resp.content == b"%PDF-1.4 x"
    assert AuditEvent.objects.filter(action__in=["supervision.casefile_download",
                                                 "supervision.evidence_download"]).count() == 2


def test_nav_and_to_do_for_the_supervisor(client, clue, people):
    login(client, people["sup"])
    home = client.get("/").content.decode()
    assert "监督检查" in home and "移送线索" in home and f"移送线索待核查：{clue.case_no}" in home
    client.logout()
    login(client, people["cun"])
    home = client.get("/").content.decode()
    assert "监督检查" not in home and clue.case_no not in home


def test_the_workbench_transfers_and_the_batch_page_lists_findings(client, checked, people):
    batch = checked["batch"]
    f = Finding.objects.get(rule__code="STATE_PAID")
    login(client, people["czs"])
    page = client.get(f"/rosters/{batch.pk}/").content.decode()
    assert 'data-testid="batch-findings"' in page and "财政供养人员" in page.split('data-testid="batch-findings"')[1]
    assert f"/checks/?batch={batch.pk}" in page
    resp = client.post(f"/checks/findings/{f.pk}/dispose/", {"decision": "transferred", "reason": "在编人员领取低保"},
                       follow=True)
    clue = Clue.objects.get(finding=f)
    assert f"线索编号 {clue.case_no}" in resp.content.decode()
    page = client.get(f"/rosters/{batch.pk}/").content.decode().split('data-testid="batch-findings"')[1]
    assert "已移送线索" in page


def test_the_api_transfers_and_reports_the_case_number(client, checked, people):
    f = Finding.objects.get(rule__code="ASSETS")
    login(client, people["czs"])
    bad = client.post(f"/api/checks/findings/{f.pk}/dispose", {"decision": "transferred", "reason": ""},
                      content_type="application/json")
    assert bad.status_code == 400 and not Clue.objects.exists()
    ok = client.post(f"/api/checks/findings/{f.pk}/dispose", {"decision": "transferred", "reason": "名下有车辆"},
                     content_type="application/json")
    clue = Clue.objects.get(finding=f)
    assert ok.status_code == 200 and ok.json()["state"] == "transferred" and ok.json()["case_no"] == clue.case_no
    rows = client.get("/api/checks/findings?state=transferred").json()
    assert [(r["id"], r["case_no"]) for r in rows] == [(f.pk, clue.case_no)]
    assert all(r["case_no"] is None for r in client.get("/api/checks/findings?state=open").json())
