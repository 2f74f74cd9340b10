"""The batch API through HTTP with bearer tokens (issue 17): create, list, detail, roster upload with
its job, transitions (200 / 403 / 404 / 409 with the engine's code), the batch check run and its
findings with the file's row numbers — and one walk from creation to the first transitions."""
import io

import pytest
import xlsxwriter

from tests.support.api import Tokens, call
from yikatong.rosters.models import Batch

from .files import good_rows, id_number, to_xlsx

pytestmark = pytest.mark.django_db

TOWN1 = "141024100000"


@pytest.fixture
def tokens(rw):
    return Tokens(rw)


def _roster_xlsx(n: int = 3) -> bytes:
    """The roster as a township keeps it: a title line, the header, the rows, a totals row."""
    rows = good_rows(n)
    return to_xlsx(rows, title=["大槐树镇2026年11月城乡居民最低生活保障发放清册"],
                   totals=["合计", "", "", "", "", "", f"{500 * n:.2f}"])


def _upload(client, batch_id, auth, data, capture, name="清册.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with capture(execute=True):  # the import job is queued on commit and runs (test task backend)
        return client.post(f"/api/rosters/batches/{batch_id}/roster", {"file": SimpleUploadedFile(name, data)}, **auth)


# --- create ---------------------------------------------------------------------------------------

def test_create_batch(client, rw, tokens):
    resp = call(client, "post", "/api/rosters/batches", tokens("zhan"),
                 {"policy": "DB01", "period": "2026-11", "region": TOWN1})
    assert resp.status_code == 201, resp.content
    body = resp.json()
    batch = Batch.objects.get(pk=body["id"])
    assert body["state"] == "draft" == batch.state and batch.policy.code == "DB01" and batch.period == "2026-11"
    assert batch.created_by == rw.users["zhan"]


def test_create_batch_refusals(client, rw, tokens):
    url = "/api/rosters/batches"
    assert client.post(url, {"policy": "DB01", "period": "2026-11", "region": TOWN1},
                       content_type="application/json").status_code == 401
    wrong_role = call(client, "post", url, tokens("fin"), {"policy": "DB01", "period": "2026-11", "region": TOWN1})
    assert wrong_role.status_code == 403 and wrong_role.json()["code"] == "ROLE_NOT_ALLOWED"
    other = call(client, "post", url, tokens("zhan"), {"policy": "DB01", "period": "2026-11", "region": "140702000000"})
    assert other.status_code in (400, 403) and other.json()["code"] in ("POLICY_UNKNOWN", "NOT_IN_REGION")
    unknown = call(client, "post", url, tokens("zhan"), {"policy": "NOPE", "period": "2026-11", "region": TOWN1})
    assert unknown.status_code == 400 and unknown.json()["code"] == "POLICY_UNKNOWN"
    no_region = call(client, "post", url, tokens("zhan"), {"policy": "DB01", "period": "2026-11", "region": "999"})
    assert no_region.status_code == 400 and no_region.json()["code"] == "REGION_UNKNOWN"
    quarterly = call(client, "post", url, tokens("zhan"), {"policy": "DB01", "period": "2026Q4", "region": TOWN1})
    assert quarterly.status_code == 400 and set(quarterly.json()) >= {"code", "message"}  # a monthly policy
    assert not Batch.objects.exists()


# --- list and detail ------------------------------------------------------------------------------

def test_list_and_detail_are_scoped(client, rw, batch, tokens):
    mine = call(client, "get", "/api/rosters/batches?policy=DB01&period=2026-11&state=draft", tokens("zhan")).json()
    assert [b["id"] for b in mine] == [batch.pk] and mine[0]["state"] == "draft"
    assert call(client, "get", "/api/rosters/batches?state=approved", tokens("zhan")).json() == []
    assert call(client, "get", "/api/rosters/batches", tokens("other_fin")).json() == []
    detail = call(client, "get", f"/api/rosters/batches/{batch.pk}", tokens("zhan"))
    assert detail.status_code == 200
    body = detail.json()
    assert body["state"] == "draft" and body["counts"]["items"] == 0 and body["counts"]["amount_fen"] == 0
    assert "send_compare" in body["transitions"] or "start_verify" in body["transitions"]
    # the county's finance bureau sees the batch but may apply none of the station's steps
    assert call(client, "get", f"/api/rosters/batches/{batch.pk}", tokens("fin")).json()["transitions"] == []
    assert client.get(f"/api/rosters/batches/{batch.pk}").status_code == 401
    out = call(client, "get", f"/api/rosters/batches/{batch.pk}", tokens("other_fin"))
    assert out.status_code == 404 and out.json()["code"] == "NOT_FOUND"


def test_import_errors_have_row_numbers_and_masked_ids(client, rw, batch, tokens, django_capture_on_commit_callbacks):
    rows = good_rows(2)
    bad_id = id_number(3)[:-1] + ("0" if id_number(3)[-1] != "0" else "1")  # wrong check digit
    rows.append(["3", "对象3", bad_id, "第一村委会", "", rows[0][5], "500.00"])
    resp = _upload(client, batch.pk, tokens("zhan"), to_xlsx(rows, title=["清册"]), django_capture_on_commit_callbacks)
    assert resp.status_code == 202
    body = call(client, "get", f"/api/rosters/batches/{batch.pk}", tokens("zhan")).json()
    errors = [e for e in body["import_errors"] if e["level"] == "error"]
    assert errors and body["counts"]["import_errors"] == len(errors)
    assert any(e["row"] == 5 for e in errors)  # title line 1, header 2, data 3..5
    assert bad_id not in str(body)  # masked, for the uploader too


# --- roster upload --------------------------------------------------------------------------------

def test_roster_upload_refusals(client, rw, batch, tokens, django_capture_on_commit_callbacks):
    data = _roster_xlsx(2)
    assert _upload(client, batch.pk, {}, data, django_capture_on_commit_callbacks).status_code == 401
    wrong = _upload(client, batch.pk, tokens("mz_rev"), data, django_capture_on_commit_callbacks)
    assert wrong.status_code == 403 and wrong.json()["code"] == "ROLE_NOT_ALLOWED"
    out = _upload(client, batch.pk, tokens("other_fin"), data, django_capture_on_commit_callbacks)
    assert out.status_code == 404
    assert not batch.imports.exists()


# --- transitions ----------------------------------------------------------------------------------

def test_transition_codes(client, rw, batch, tokens):
    url = f"/api/rosters/batches/{batch.pk}/transitions"
    assert client.post(f"{url}/send_compare", {"reason": ""}, content_type="application/json").status_code == 401
    not_now = call(client, "post", f"{url}/compare_pass", tokens("zhan"), {"reason": ""})
    assert not_now.status_code == 409 and not_now.json()["code"] == "TRANSITION_NOT_ALLOWED"
    Batch.objects.filter(pk=batch.pk).update(profile_code="000")
    guard = call(client, "post", f"{url}/send_compare", tokens("zhan"), {"reason": ""})
    assert guard.status_code == 409 and guard.json()["code"] == "NO_ACTIVE_ITEMS"  # an empty roster
    wrong_role = call(client, "post", f"{url}/send_compare", tokens("fin"), {"reason": ""})
    assert wrong_role.status_code == 403 and wrong_role.json()["code"] == "ROLE_NOT_ALLOWED"
    other_dept = call(client, "post", f"{url}/send_compare", tokens("ny_rev"), {"reason": ""})
    assert other_dept.status_code == 404  # another department's batch is not shown to it
    out = call(client, "post", f"{url}/send_compare", tokens("other_fin"), {"reason": ""})
    assert out.status_code == 404 and out.json()["code"] == "NOT_FOUND"
    assert Batch.objects.get(pk=batch.pk).state == "draft"


def test_return_needs_a_reason(client, rw, batch, tokens):
    Batch.objects.filter(pk=batch.pk).update(state="dept_review", item_count=1)
    url = f"/api/rosters/batches/{batch.pk}/transitions/return"
    resp = call(client, "post", url, tokens("mz_rev"), {"reason": ""})
    assert resp.status_code == 400 and resp.json()["code"] == "REASON_REQUIRED"
    ok = call(client, "post", url, tokens("mz_rev"), {"reason": "名单有误"})
    assert ok.status_code == 200 and ok.json()["state"] == "draft"


# --- checks ---------------------------------------------------------------------------------------

def test_check_run_refusals(client, rw, batch, tokens):
    url = f"/api/checks/batches/{batch.pk}/run"
    assert client.post(url).status_code == 401
    wrong = client.post(url, **tokens("cun"))
    assert wrong.status_code in (403, 404)
    assert client.post(url, **tokens("other_fin")).status_code == 404
    assert client.post(url, **tokens("ny_rev")).status_code == 404


# --- the walk -------------------------------------------------------------------------------------

def _deaths_xlsx(name: str, id_no: str, died: str) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["姓名", "身份证号码", "死亡日期"])
    ws.write_row(1, 0, [name, id_no, died])
    wb.close()
    return buf.getvalue()


def _job(client, job_id, auth) -> dict:
    resp = client.get(f"/api/jobs/{job_id}", **auth)
    assert resp.status_code == 200
    return resp.json()


def test_walk_from_creation_to_the_first_transitions(client, rw, tokens, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    capture = django_capture_on_commit_callbacks
    zhan = tokens("zhan")
    # the civil affairs bureau's deaths: 对象2 died before the period
    with capture(execute=True):
        ref = client.post("/api/registry/references", {
            "file": SimpleUploadedFile("死亡人员.xlsx", _deaths_xlsx("对象2", id_number(2), "2026-03-01")),
            "kind": "deaths", "agency": "民政局", "as_of": "2026-10-31", "region": "141024"}, **tokens("fin"))
    assert ref.status_code == 202, ref.content
    assert _job(client, ref.json()["job"], tokens("fin"))["state"] == "done"

    created = call(client, "post", "/api/rosters/batches", zhan, {"policy": "DB01", "period": "2026-11", "region": TOWN1})
    assert created.status_code == 201
    batch_id = created.json()["id"]

    upload = _upload(client, batch_id, zhan, _roster_xlsx(3), capture)
    assert upload.status_code == 202
    job = _job(client, upload.json()["job"], zhan)
    assert job["state"] == "done" and job["progress"] == 100 and job["result"]["imported"] is True

    detail = call(client, "get", f"/api/rosters/batches/{batch_id}", zhan).json()
    assert detail["counts"]["items"] == 3 and detail["counts"]["amount_fen"] == 150000
    assert detail["last_import"]["imported"] and not [e for e in detail["import_errors"] if e["level"] == "error"]

    with capture(execute=True):
        run = client.post(f"/api/checks/batches/{batch_id}/run", **zhan)
    assert run.status_code == 202
    assert _job(client, run.json()["job"], zhan)["state"] == "done"

    findings = call(client, "get", f"/api/checks/findings?batch={batch_id}", zhan).json()
    deceased = [f for f in findings if f["rule"] == "DECEASED"]
    assert len(deceased) == 1
    f = deceased[0]
    assert f["severity"] == "block" and f["status"] == "open" and f["item"] and f["row"] == 4  # title, header, 3, 4
    assert id_number(2) not in str(findings)

    names = detail["transitions"]
    first = next(n for n in names if n in ("start_verify", "send_compare"))
    step = call(client, "post", f"/api/rosters/batches/{batch_id}/transitions/{first}", zhan, {"reason": ""})
    assert step.status_code == 200, step.content
    assert step.json()["state"] in ("verifying", "comparing")
    after = call(client, "get", f"/api/rosters/batches/{batch_id}", zhan).json()
    assert after["state"] == step.json()["state"] and first not in after["transitions"]
    again = call(client, "post", f"/api/rosters/batches/{batch_id}/transitions/{first}", zhan, {"reason": ""})
    assert again.status_code == 409 and again.json()["code"] == "TRANSITION_NOT_ALLOWED"

