"""The spreadsheet parser child is killed (SIGKILL through the fault hook, SIGABRT from a real
calamine abort, a hang past the timeout): the import is marked failed with a code, and the worker
(the real job runner, in this process) and the web (the next request) keep serving."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from conftest import PASSWORD
from tests.security.hostile import sheet_xml, xlsx
from yikatong.jobs import services as jobs
from yikatong.rosters.importer.run import load_problems, roster_import_stage
from yikatong.rosters.models import BatchItem, ImportRun
from yikatong.rosters.tests.files import HEADER, good_rows

pytestmark = pytest.mark.django_db


def roster_xlsx(n: int = 3) -> bytes:
    return xlsx(sheet_xml([HEADER, *[[c or "" for c in r] for r in good_rows(n)]]))


def run_through_the_worker(rw, batch, data: bytes) -> ImportRun:
    """Stage the import and run its job with the real job runner (claim, lease, heartbeat, handler)."""
    run = roster_import_stage(actor=rw.users["zhan"], batch_id=batch.pk, data=data, filename="清册.xlsx", mode="all_or_nothing")
    job = jobs.Job.objects.create(key=f"rosters.import:{run.pk}", kind="yikatong.rosters.tasks.import_job",
                                  title="导入清册", params={"run_id": run.pk})
    ImportRun.objects.filter(pk=run.pk).update(job=job)
    jobs.run(job.pk)
    run.refresh_from_db()
    return run


def codes(run: ImportRun) -> set[str]:
    return {p["code"] for p in load_problems(run)}


def test_killed_parser_child_fails_the_import_and_everything_keeps_serving(client, rw, batch, monkeypatch):
    monkeypatch.setenv("YKT_FAULT", "sheets.child.parse")  # the child SIGKILLs itself before parsing
    run = run_through_the_worker(rw, batch, roster_xlsx())
    assert run.processed_at is not None and not run.imported
    assert codes(run) == {"PARSER_CRASHED"} and "PARSER_CRASHED" in run.message
    assert run.job.state == "done" and "PARSER_CRASHED" in run.job.message
    assert BatchItem.objects.count() == 0

    monkeypatch.delenv("YKT_FAULT")
    # the worker (this process) runs the next job normally ...
    from yikatong.rosters import services

    batch2 = services.batch_create(actor=rw.users["zhan"], policy=rw.policy, period="2026-12", region=batch.region)
    ok = run_through_the_worker(rw, batch2, roster_xlsx(3))
    assert ok.imported and ok.accepted == 3
    # ... and the web answers the next request
    assert client.login(username=rw.users["zhan"].username, password=PASSWORD)
    assert client.get(reverse("import_result", args=[run.pk])).status_code == 200
    assert "PARSER_CRASHED" in client.get(reverse("import_result", args=[run.pk])).content.decode()


def test_real_native_abort_in_the_child(rw, batch):
    """calamine aborts (SIGABRT) on a far cell without a declared dimension; only the child dies."""
    from tests.security.hostile import far_cell_xlsx

    run = run_through_the_worker(rw, batch, far_cell_xlsx(HEADER, with_dimension=False))
    assert codes(run) & {"PARSER_MEMORY", "PARSER_CRASHED"} and not run.imported


def test_a_hanging_parser_is_stopped_by_the_timeout(rw, batch, monkeypatch):
    monkeypatch.setenv("YKT_FAULT", "sheets.child.hang")
    with override_settings(YKT_PARSER_TIMEOUT_S=1):
        run = run_through_the_worker(rw, batch, roster_xlsx())
    assert codes(run) == {"PARSER_TIMEOUT"} and not run.imported


def test_through_http_with_the_child_killed(client, rw, batch, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setenv("YKT_FAULT", "sheets.child.parse")
    assert client.login(username=rw.users["zhan"].username, password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("batch_import", args=[batch.pk]),
                           {"file": SimpleUploadedFile("清册.xlsx", roster_xlsx()), "mode": "all_or_nothing"})
    run = ImportRun.objects.get(batch=batch)
    assert codes(run) == {"PARSER_CRASHED"}
    assert "PARSER_CRASHED" in client.get(resp["Location"]).content.decode()
    assert client.get(reverse("batch_detail", args=[batch.pk])).status_code == 200


def test_an_unexpected_failure_marks_the_import_failed_never_left_waiting(rw, batch, monkeypatch, caplog):
    """Not the parser: anything else that breaks mid-import (here the comparison step) ends the run
    processed with IMPORT_FAILED and a reference id; the job is failed with the same generic message;
    the raw exception text reaches neither the user nor the log."""
    import yikatong.rosters.importer.run as importer

    def boom(*a, **k):
        raise RuntimeError("secret " + "1410241950" + "0101001X")  # not literal: the stack shows source lines

    monkeypatch.setattr(importer, "attach_comparison", boom)
    run = run_through_the_worker(rw, batch, roster_xlsx())
    assert run.processed_at is not None and codes(run) == {"IMPORT_FAILED"}
    assert run.job.state == "failed" and "IMPORT_FAILED" in run.job.message
    assert "secret" not in run.job.message and "secret" not in run.message
    assert "14102419500101001X" not in caplog.text and "RuntimeError" in caplog.text


def test_an_unexpected_failure_marks_a_register_import_failed(make_user, regions, villages, monkeypatch, caplog):
    from yikatong.accounts.models import OrgKind
    from yikatong.accounts.roles import Role
    from yikatong.registry.models import RegisterImport
    from yikatong.registry.services import register_import as svc

    clerk = make_user("czs1", Role.TOWNSHIP_FINANCE, region=regions["town1"], kind=OrgKind.TOWNSHIP_FINANCE)
    imp = svc.register_import_start(actor=clerk, data=b"x,y\r\n", file_name="a.csv")
    job = jobs.Job.objects.get(pk=imp.job_id)

    def boom(**kw):
        raise RuntimeError("relation does not exist")

    monkeypatch.setattr(svc, "run_import", boom)
    jobs.run(job.pk)
    imp = RegisterImport.objects.get(pk=imp.pk)
    job.refresh_from_db()
    assert imp.state == "failed" and imp.finished_at is not None and not imp.upload_enc
    assert [e["code"] for e in svc.import_errors(imp)] == ["IMPORT_FAILED"]
    assert job.state == "failed" and "IMPORT_FAILED" in job.message and "relation" not in job.message


def test_upload_limits_from_the_environment():
    from yikatong.settings.uploads import DEFAULT_UPLOAD_MAX_BYTES, MB, _overrides

    assert _overrides("roster=5, register=0.5,bad,=3") == {"roster": 5 * MB, "register": MB // 2}
    assert set(DEFAULT_UPLOAD_MAX_BYTES) == {"roster", "register", "reference", "compare", "policy", "change",
                                             "evidence", "attachment", "bankfile"}
