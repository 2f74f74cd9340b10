"""The supervision API through HTTP with bearer tokens (issue 17): statistics, clues and their
follow-up through the supervision services — 404 for a clue of another county, 403 with the
service's code for a role that may not follow up, 409 for a step the clue's state does not allow,
the audit events; the audited case file and evidence downloads."""
import io
import zipfile

import pytest

from tests.support.api import bearer, call
from yikatong.audit.models import AuditEvent
from yikatong.checks.evidence import Upload
from yikatong.checks.models import FindingEvidence
from yikatong.supervision.models import Clue

from .conftest import transfer

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 village committee statement"


@pytest.fixture
def clue(checked, people):
    transfer(people["zhan"], "AMOUNT_STANDARD", evidence_text="村委会说明", evidence_files=[Upload("说明.pdf", PDF)])
    return Clue.objects.get()


def test_statistics_and_clue_list(client, clue, people):
    sup = bearer(people["sup"])
    stats = call(client, "get", "/api/supervision/findings?by=rule", sup)
    assert stats.status_code == 200 and any(r["key"] == "AMOUNT_STANDARD" for r in stats.json())
    assert call(client, "get", "/api/supervision/trends", sup).status_code == 200
    denied = call(client, "get", "/api/supervision/findings", bearer(people["zhan"]))
    assert denied.status_code == 403 and denied.json()["code"] == "SUPERVISION_READ_ROLE"
    listed = call(client, "get", "/api/supervision/clues", sup).json()
    assert [c["id"] for c in listed] == [clue.pk] and listed[0]["state"] == "transferred"
    assert call(client, "get", "/api/supervision/clues", bearer(people["sup_other"])).json() == []
    detail = call(client, "get", f"/api/supervision/clues/{clue.pk}", sup).json()
    assert detail["case_no"] == clue.case_no and detail["evidence"][0]["filename"] == "说明.pdf"
    assert call(client, "get", f"/api/supervision/clues/{clue.pk}", bearer(people["sup_other"])).status_code == 404


def test_follow_up(client, clue, people):
    sup = bearer(people["sup"])
    base = f"/api/supervision/clues/{clue.pk}"
    assert call(client, "post", f"{base}/start", bearer(people["sup_other"]), {}).status_code == 404
    denied = call(client, "post", f"{base}/start", bearer(people["fin"]), {})  # reads clues, may not follow up
    assert denied.status_code == 403 and denied.json()["code"] == "CLUE_FOLLOW_UP_ROLE"
    early = call(client, "post", f"{base}/conclude", sup, {"conclusion": "substantiated", "text": "属实"})
    assert early.status_code == 409 and early.json()["code"] == "CLUE_STATE_NOT_ALLOWED"
    empty = call(client, "post", f"{base}/note", sup, {"text": " "})
    assert empty.status_code == 400 and empty.json()["code"] == "CLUE_NOTE_EMPTY"
    assert call(client, "post", f"{base}/note", sup, {"text": "已调取台账"}).json()["state"] == "transferred"
    started = call(client, "post", f"{base}/start", sup, {})
    assert started.status_code == 200 and started.json()["state"] == "investigating"
    again = call(client, "post", f"{base}/start", sup, {})
    assert again.status_code == 409 and again.json()["code"] == "CLUE_STATE_NOT_ALLOWED"
    done = call(client, "post", f"{base}/conclude", sup, {"conclusion": "substantiated", "text": "多发100元，已追回"})
    assert done.status_code == 200 and done.json()["state"] == "concluded"
    assert [e["kind"] for e in done.json()["entries"]] == ["transfer", "note", "start", "conclude"]
    actions = list(AuditEvent.objects.filter(object_type="supervision.clue").values_list("action", flat=True))
    assert actions == ["supervision.clue_note", "supervision.clue_start", "supervision.clue_conclude"]


def test_downloads(client, clue, people):
    sup = bearer(people["sup"])
    zipped = client.get(f"/api/supervision/clues/{clue.pk}/casefile", **sup)
    assert zipped.status_code == 200 and zipfile.ZipFile(io.BytesIO(zipped.content)).namelist()
    assert AuditEvent.objects.filter(action="supervision.casefile_download").count() == 1
    assert client.get(f"/api/supervision/clues/{clue.pk}/casefile", **bearer(people["sup_other"])).status_code == 404
    item = FindingEvidence.objects.exclude(filename="").get()
    got = client.get(f"/api/supervision/evidence/{item.pk}", **sup)
    assert got.status_code == 200 and got.content == PDF
    assert AuditEvent.objects.filter(action="supervision.evidence_download").count() == 1
    denied = client.get(f"/api/supervision/evidence/{item.pk}", **bearer(people["fin"]))
    assert denied.status_code == 403 and denied.json()["code"] == "EVIDENCE_DOWNLOAD_ROLE"
    assert client.get(f"/api/supervision/evidence/{item.pk}", **bearer(people["sup_other"])).status_code == 404
