"""Every upload endpoint, through HTTP as a user allowed to use it, fed hostile files generated
here: a sparse xlsx with a far cell (XFD1048576, with and without its declared dimension), a zip
bomb, bytes that are not text, NUL bytes, a file over the configured limit, formula cells. Each is
answered with a clear error code, nothing is written, and the process still serves the next request."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from conftest import PASSWORD
from tests.security.hostile import bomb_xlsx, csv_bytes, far_cell_xlsx, formula_xlsx
from yikatong.accounts.models import OrgKind
from yikatong.accounts.roles import Role
from yikatong.registry.models import Person, ReferenceRecord, ReferenceSnapshot, RegisterImport
from yikatong.registry.synthetic import REGISTER_HEADERS
from yikatong.rosters.models import BatchItem, ImportRun
from yikatong.rosters.tests.files import HEADER as ROSTER_HEADER
from yikatong.rosters.tests.files import good_rows

pytestmark = pytest.mark.django_db

DEATHS = ["姓名", "身份证号码", "死亡日期"]
COMPARE = ["姓名", "身份证号码"]


def hostile(header: list[str]) -> dict[str, tuple[str, bytes, set[str]]]:
    """name -> (file name, bytes, acceptable codes)."""
    return {
        "far_cell": ("far.xlsx", far_cell_xlsx(header), {"XLSX_DIMENSION"}),
        "far_cell_undeclared": ("far2.xlsx", far_cell_xlsx(header, with_dimension=False),
                                {"PARSER_MEMORY", "PARSER_CRASHED"}),
        "zip_bomb": ("bomb.xlsx", bomb_xlsx(header, inflated_mb=300), {"XLSX_BOMB"}),
        "invalid_bytes": ("bad.csv", ",".join(header).encode() + b"\r\n\xff\xfe\xfa\xfb,\x81\x20\r\n", {"CSV_ENCODING"}),
        "nul_bytes": ("nul.csv", csv_bytes([header, ["张\x00三", "1"]]), {"CSV_NUL"}),
        "binary_garbage": ("garbage.csv", bytes(range(256)) * 8, {"CSV_ENCODING", "CSV_NUL"}),
    }


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def counts() -> dict:
    return {"items": BatchItem.objects.count(), "people": Person.objects.count(),
            "reference": ReferenceRecord.objects.count(), "snapshots": ReferenceSnapshot.objects.count()}


def still_serving(client):
    assert client.get("/").status_code in (200, 302)
    assert client.get(reverse("registry_imports")).status_code in (200, 403)


@pytest.fixture
def clerk(make_user, regions, villages):
    return make_user("czs1", Role.TOWNSHIP_FINANCE, region=regions["town1"], kind=OrgKind.TOWNSHIP_FINANCE)


@pytest.fixture
def reviewer(make_user, villages):
    return make_user("ks", Role.FINANCE_REVIEWER)


# ---- roster import (background job) ---------------------------------------------------------------

def post_roster(client, batch, name, data, capture):
    with capture(execute=True):
        return client.post(reverse("batch_import", args=[batch.pk]),
                           {"file": SimpleUploadedFile(name, data), "mode": "all_or_nothing"})


@pytest.mark.parametrize("case", list(hostile(ROSTER_HEADER)))
def test_roster_import_refuses_hostile_files(client, batch, rw, case, django_capture_on_commit_callbacks):
    from yikatong.rosters.importer.run import load_problems

    name, data, codes = hostile(ROSTER_HEADER)[case]
    login(client, rw.users["zhan"])
    before = counts()
    resp = post_roster(client, batch, name, data, django_capture_on_commit_callbacks)
    assert resp.status_code == 302
    run = ImportRun.objects.get(batch=batch)
    assert run.processed_at is not None and not run.imported
    assert {p["code"] for p in load_problems(run)} & codes
    assert run.job.state == "done"  # the job ran to its end: the refusal is the import's outcome
    page = client.get(reverse("import_result", args=[run.pk])).content.decode()
    assert any(code in page for code in codes)
    assert counts() == before
    still_serving(client)


def test_roster_over_the_size_limit_is_refused_before_it_is_read(client, batch, rw, django_capture_on_commit_callbacks):
    from tests.security.hostile import csv_bytes as to_csv

    login(client, rw.users["zhan"])
    data = to_csv([ROSTER_HEADER, *[[c or "" for c in r] for r in good_rows(60)]])
    assert len(data) > 2048
    with override_settings(YKT_UPLOAD_MAX_BYTES={"roster": 2048}):
        resp = post_roster(client, batch, "big.csv", data, django_capture_on_commit_callbacks)
        page = client.get(resp["Location"]).content.decode()
    assert "UPLOAD_TOO_LARGE" in page and "2.0 MB" not in page
    assert not ImportRun.objects.exists() and counts()["items"] == 0


def test_an_upload_larger_than_every_limit_is_not_even_kept(client, batch, rw, django_capture_on_commit_callbacks):
    """The upload handler stops reading it; the view says it was too large (not "choose a file")."""
    login(client, rw.users["zhan"])
    with override_settings(YKT_UPLOAD_MAX_BYTES={k: 1024 for k in ("roster", "register", "reference", "compare",
                                                                    "policy", "change", "evidence", "attachment",
                                                                    "bankfile")}):
        resp = post_roster(client, batch, "huge.csv", b"a,b\r\n" * 2000, django_capture_on_commit_callbacks)
        assert "UPLOAD_TOO_LARGE" in client.get(resp["Location"]).content.decode()
    assert not ImportRun.objects.exists()


def test_formula_cells_in_a_roster_are_text_never_formulas(client, batch, rw, django_capture_on_commit_callbacks):
    """=cmd|' /C calc'!A0 as a name is refused (a "|" cannot go into the bank file); =1+2 as a name is
    kept as the text it is and shown as text; a real formula cell (<f>) is never evaluated."""
    from yikatong.rosters.importer.run import load_problems

    rows = [[c or "" for c in r] for r in good_rows(2)]
    rows[0][1], rows[1][1] = "=cmd|' /C calc'!A0", "=1+2"
    data = formula_xlsx(ROSTER_HEADER, rows, {"B4": "cmd|' /C calc'!A0"})
    login(client, rw.users["zhan"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("batch_import", args=[batch.pk]),
                    {"file": SimpleUploadedFile("formula.xlsx", data), "mode": "valid_only"})
    run = ImportRun.objects.get(batch=batch)
    assert {(p["line"], p.get("code")) for p in load_problems(run) if p["level"] == "error"} == {(2, "PAYEE_DELIMITER")}
    assert list(BatchItem.objects.filter(batch=batch).values_list("name", flat=True)) == ["=1+2"]
    page = client.get(reverse("batch_detail", args=[batch.pk])).content.decode()
    assert "=1+2" in page and "calc" not in page
    still_serving(client)


# ---- base register (background job) ---------------------------------------------------------------

@pytest.mark.parametrize("case", list(hostile(REGISTER_HEADERS)))
def test_register_import_refuses_hostile_files(client, clerk, case, django_capture_on_commit_callbacks):
    from yikatong.registry.services.register_import import import_errors

    name, data, codes = hostile(REGISTER_HEADERS)[case]
    login(client, clerk)
    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("registry_imports"), {"file": SimpleUploadedFile(name, data)})
    assert resp.status_code == 302
    imp = RegisterImport.objects.get()
    assert imp.state == "rejected"
    assert {e.get("code") for e in import_errors(imp)} & codes
    assert any(code in client.get(resp["Location"]).content.decode() for code in codes)
    assert counts() == before
    still_serving(client)


def test_register_over_the_size_limit(client, clerk):
    login(client, clerk)
    with override_settings(YKT_UPLOAD_MAX_BYTES={"register": 100}):
        resp = client.post(reverse("registry_imports"), {"file": SimpleUploadedFile("a.csv", b"x" * 200)}, follow=True)
    assert "UPLOAD_TOO_LARGE" in resp.content.decode() and not RegisterImport.objects.exists()


# ---- reference data of other agencies (synchronous, in the web process) ---------------------------------

def post_reference(client, name, data, **kw):
    return client.post(reverse("registry_reference"), {"dataset": "deaths", "source_agency": "民政局",
                                                       "as_of": "2026-10-31", "file": SimpleUploadedFile(name, data)}, **kw)


@pytest.mark.parametrize("case", list(hostile(DEATHS)))
def test_reference_load_refuses_hostile_files(client, reviewer, case):
    name, data, codes = hostile(DEATHS)[case]
    login(client, reviewer)
    before = counts()
    resp = post_reference(client, name, data)
    assert resp.status_code == 200
    assert any(code in resp.content.decode() for code in codes)
    assert counts() == before
    still_serving(client)


def test_reference_over_the_size_limit(client, reviewer):
    login(client, reviewer)
    with override_settings(YKT_UPLOAD_MAX_BYTES={"reference": 100}):
        resp = post_reference(client, "a.csv", csv_bytes([DEATHS] * 20), follow=True)
    assert "UPLOAD_TOO_LARGE" in resp.content.decode() and counts()["snapshots"] == 0


# ---- compare list (synchronous, in the web process) ---------------------------------------------

@pytest.mark.parametrize("case", list(hostile(COMPARE)))
def test_compare_refuses_hostile_files(client, clerk, case):
    name, data, codes = hostile(COMPARE)[case]
    login(client, clerk)
    resp = client.post(reverse("registry_compare"), {"file": SimpleUploadedFile(name, data)}, follow=True)
    assert resp.status_code == 200
    assert any(code in resp.content.decode() for code in codes)
    still_serving(client)


def test_compare_over_the_size_limit(client, clerk):
    login(client, clerk)
    with override_settings(YKT_UPLOAD_MAX_BYTES={"compare": 100}):
        resp = client.post(reverse("registry_compare"), {"file": SimpleUploadedFile("a.csv", b"x" * 200)}, follow=True)
    assert "UPLOAD_TOO_LARGE" in resp.content.decode()


# ---- files that are stored, not parsed: size limits ----------------------------------------------------

def test_batch_attachment_and_notice_photo_over_the_limit(client, batch, rw):
    login(client, rw.users["zhan"])
    with override_settings(YKT_UPLOAD_MAX_BYTES={"attachment": 100}):
        resp = client.post(reverse("attachment_add", args=[batch.pk]),
                           {"kind": "other", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4" + b"x" * 200)}, follow=True)
    assert "UPLOAD_TOO_LARGE" in resp.content.decode() and not batch.attachments.exists()


def test_evidence_over_the_limit_and_an_xlsx_bomb_as_evidence(client, rw, planted):
    from yikatong.checks import services as checks
    from yikatong.checks.models import Finding, FindingEvidence, FindingState

    checks.batch_checks_run(actor=None, batch_id=planted["batch"].pk)
    f = Finding.objects.get(rule__code="STATE_PAID")
    login(client, rw.users["czs"])
    url = f"/checks/findings/{f.pk}/dispose/"
    with override_settings(YKT_UPLOAD_MAX_BYTES={"evidence": 100}):
        resp = client.post(url, {"decision": "cleared", "reason": "x",
                                 "evidence": SimpleUploadedFile("a.pdf", b"%PDF" + b"x" * 200)}, follow=True)
    assert "UPLOAD_TOO_LARGE" in resp.content.decode()
    resp = client.post(url, {"decision": "cleared", "reason": "x",
                             "evidence": SimpleUploadedFile("b.xlsx", bomb_xlsx(["a"], inflated_mb=50))}, follow=True)
    assert "XLSX_BOMB" in resp.content.decode()
    assert not FindingEvidence.objects.exists() and Finding.objects.get(pk=f.pk).state == FindingState.OPEN
    still_serving(client)


def test_policy_basis_file_over_the_limit(client, rw):
    from yikatong.policies import services as policies
    from tests.support.factories import make_spec

    cat = policies.catalogue_create(actor=rw.users["fin"], region=rw.regions["county"], year=2027)
    policy = policies.policy_add(actor=rw.users["fin"], catalogue=cat, spec=make_spec("HT-9", rw.orgs["mz"]))
    basis = policy.basis_documents.get()
    login(client, rw.users["fin"])
    with override_settings(YKT_UPLOAD_MAX_BYTES={"policy": 100}):
        resp = client.post(reverse("policy_basis_upload", args=[basis.pk]),
                           {"file": SimpleUploadedFile("通知.pdf", b"%PDF-1.4" + b"x" * 200)}, follow=True)
    assert "UPLOAD_TOO_LARGE" in resp.content.decode()
    basis.refresh_from_db()
    assert not basis.file
