"""The inspection pages and API: list, create, detail with samples, draw, result form with evidence upload."""
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yikatong.supervision.models import InspectionPlan, InspectionResult

from .inspection_support import paid  # noqa: F401  (fixture)

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def test_pages_walk_a_plan_from_creation_to_a_failed_result(client, people, regions, paid):
    client.force_login(people["sup"])
    assert "新建抽查计划" in client.get(reverse("supervision_inspections")).content.decode()
    r = client.post(reverse("supervision_inspection_create"), {
        "region": regions["county"].code, "period": "2026-11", "methods": ["phone", "visit"],
        "sampling": "risk_weighted", "sample_size": "3"})
    plan = InspectionPlan.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("supervision_inspection", args=[plan.pk])
    client.post(reverse("supervision_inspection_draw", args=[plan.pk]), {"seed": "99"})
    client.post(reverse("supervision_inspection_start", args=[plan.pk]))
    page = client.get(reverse("supervision_inspection", args=[plan.pk]) + "?redraw=1").content.decode()
    assert "99" in page and "完全一致" in page and "登记结果" in page
    sample = plan.samples.order_by("rank").first()
    url = reverse("supervision_inspection_result", args=[sample.pk])
    assert "证据文件" in client.get(url).content.decode()
    r = client.post(url, {"method": "visit", "outcome": "fail", "notes": "账户由他人持有",
                          "evidence": SimpleUploadedFile("照片.png", PNG, "image/png")})
    result = InspectionResult.objects.get()
    assert r.status_code == 302 and result.finding_id and result.evidence.count() == 1
    got = client.get(reverse("supervision_inspection_evidence", args=[result.evidence.get().pk]))
    assert got.status_code == 200 and b"".join(got.streaming_content if got.streaming else [got.content]) == PNG


def test_pages_refuse_who_does_not_inspect(client, people, regions, paid):
    client.force_login(people["zhan"])
    assert client.get(reverse("supervision_inspections")).status_code == 403


def test_api_draws_and_redraws(client, people, regions, paid):
    client.force_login(people["fin"])
    r = client.post("/api/supervision/inspections", {
        "region": regions["county"].code, "period": "2026-11", "methods": ["documents"], "sampling": "simple_random",
        "sample_size": 4}, content_type="application/json")
    assert r.status_code == 200, r.content
    pid = r.json()["id"]
    d = client.post(f"/api/supervision/inspections/{pid}/draw", {"seed": 12345}, content_type="application/json").json()
    assert d["seed"] == "12345" and len(d["samples"]) == 4 and "*" in d["samples"][0]["person"]
    check = client.get(f"/api/supervision/inspections/{pid}/redraw").json()
    assert check["sample_same"] and check["population_same"]
    client.force_login(people["sup_other"])
    assert client.get(f"/api/supervision/inspections/{pid}").status_code == 404
    client.force_login(people["zhan"])
    r = client.get("/api/supervision/inspections")
    assert r.status_code == 403 and r.json()["code"] == "INSPECTION_ROLE"


def test_api_records_a_result_with_evidence(client, people, regions, paid):
    from yikatong.supervision import inspections

    plan = inspections.plan_create(actor=people["sup"], region_code=regions["county"].code, period="2026-11",
                                   methods=["phone"], sampling_kind="simple_random", sample_size=2)
    inspections.plan_draw(actor=people["sup"], plan_id=plan.pk, seed=3)
    sample = plan.samples.first()
    client.force_login(people["sup"])
    url = f"/api/supervision/inspections/samples/{sample.pk}/result"
    r = client.post(url, {"method": "phone", "outcome": "pass"})
    assert r.status_code == 409 and r.json()["code"] == "INSPECTION_PLAN_NOT_IN_PROGRESS"
    assert client.post(f"/api/supervision/inspections/{plan.pk}/start").status_code == 200
    r = client.post(url, {"method": "phone", "outcome": "fail", "notes": "电话核实：本人称未收到补贴",
                          "evidence": SimpleUploadedFile("通话记录.png", PNG, "image/png")})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["finding"] and body["evidence"][0]["filename"] == "通话记录.png"
    r = client.post(f"/api/supervision/inspections/{plan.pk}/close")
    assert r.status_code == 409 and r.json()["code"] == "INSPECTION_RESULTS_MISSING"
