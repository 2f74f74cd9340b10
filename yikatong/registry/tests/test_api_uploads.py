"""The register and reference-data uploads of the API (issue 17): multipart file → 202 {"job"}, the job
does the work (the services the pages use); 401 without a token, 403 for a wrong role or another
county, 400 with a code for an unknown region or dataset."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yikatong.accounts.models import OrgKind
from yikatong.accounts.roles import Role
from yikatong.accounts.tokens import issue_api_token
from yikatong.registry.models import Person, ReferenceSnapshot

from .conftest import csv_file, register_file

pytestmark = pytest.mark.django_db


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=user, name='t')}"}


def _job(client, job_id, auth) -> dict:
    resp = client.get(f"/api/jobs/{job_id}", **auth)
    assert resp.status_code == 200
    return resp.json()


def test_register_import(client, clerk, population, django_capture_on_commit_callbacks):
    auth = _auth(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post("/api/registry/imports", {"file": SimpleUploadedFile("底册.csv", register_file(population)),
                                                     "region": "141024100000"}, **auth)
    assert resp.status_code == 202, resp.content
    job = _job(client, resp.json()["job"], auth)
    assert job["state"] == "done" and job["result"]["state"] == "done" and job["result"]["created"] > 0
    assert Person.objects.count() == len(population)


def test_register_import_refusals(client, clerk, make_user, regions, population):
    data = register_file(population[:2])
    assert client.post("/api/registry/imports", {"file": SimpleUploadedFile("a.csv", data)}).status_code == 401
    operator = make_user("op1", Role.TOWNSHIP_OPERATOR, region=regions["town1"], kind=OrgKind.TOWNSHIP_STATION)
    assert client.post("/api/registry/imports", {"file": SimpleUploadedFile("a.csv", data), "region": "141024100"},
                       **_auth(operator)).status_code == 403
    other = client.post("/api/registry/imports", {"file": SimpleUploadedFile("a.csv", data), "region": "140702"},
                        **_auth(clerk))
    assert other.status_code == 403
    unknown = client.post("/api/registry/imports", {"file": SimpleUploadedFile("a.csv", data), "region": "999999"},
                          **_auth(clerk))
    assert unknown.status_code == 400 and unknown.json()["code"] == "REGION_UNKNOWN"
    assert not Person.objects.exists()


def _deaths(rows) -> bytes:
    return csv_file(rows, headers=["姓名", "身份证号码", "死亡日期"])


def test_reference_load(client, make_user, regions, population, django_capture_on_commit_callbacks):
    fin = make_user("fin1", Role.FINANCE_REVIEWER)
    auth = _auth(fin)
    m = population[0]
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post("/api/registry/references", {
            "file": SimpleUploadedFile("死亡.csv", _deaths([[m.name, m.id_number, "2026-05-01"]])), "kind": "deaths",
            "agency": "民政局", "as_of": "2026-10-31", "region": "141024000000"}, **auth)
    assert resp.status_code == 202, resp.content
    job = _job(client, resp.json()["job"], auth)
    assert job["state"] == "done" and job["result"]["rows"] == 1
    snap = ReferenceSnapshot.objects.get()
    assert snap.dataset == "deaths" and snap.source_agency == "民政局" and snap.region_id == "141024000000"
    from yikatong.jobs.models import Job

    assert "file" not in Job.objects.get(pk=job["id"]).params  # the staged file is gone once loaded


def test_reference_kinds_map_to_datasets():
    from yikatong.registry.services.reference import dataset_for

    assert [dataset_for(k) for k in ("hukou", "staff", "cadre_relatives", "businesses", "cards")] == [
        "household", "state_paid", "cadres", "business", "ssc_status"]


def test_reference_load_refusals(client, make_user, regions, population, django_capture_on_commit_callbacks):
    fin = make_user("fin1", Role.FINANCE_REVIEWER)
    m = population[0]

    def post(user, **fields):
        data = {"file": SimpleUploadedFile("d.csv", _deaths([[m.name, m.id_number, "2026-05-01"]])), "kind": "deaths",
                "agency": "民政局", "as_of": "2026-10-31", "region": "141024", **fields}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/api/registry/references", data, **(_auth(user) if user else {}))

    assert post(None).status_code == 401
    clerk = make_user("czs1", Role.TOWNSHIP_FINANCE, region=regions["town1"], kind=OrgKind.TOWNSHIP_FINANCE)
    assert post(clerk).status_code == 403
    assert post(fin, region="140702").status_code == 403
    kind = post(fin, kind="horses")
    assert kind.status_code == 400 and kind.json()["code"] == "REFERENCE_KIND_UNKNOWN"
    assert post(fin, as_of="31.10.2026").status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        bad = client.post("/api/registry/references", {
            "file": SimpleUploadedFile("d.csv", _deaths([[m.name, "123", "2026-05-01"]])), "kind": "deaths",
            "agency": "民政局", "as_of": "2026-10-31"}, **_auth(fin))
    assert bad.status_code == 202
    job = _job(client, bad.json()["job"], _auth(fin))
    assert not ReferenceSnapshot.objects.filter(is_current=True).exists()
    assert job["state"] == "failed" and "REFERENCE_JOB_FILE_REFUSED" in job["message"], job
