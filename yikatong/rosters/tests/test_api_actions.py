"""The batch API's item, import, notice, objection, attachment and export operations through HTTP with
bearer tokens (issue 17): each calls the service the batch page calls — the same role and scope
refusals (403 with the service's code), 404 for a batch another county cannot see, 409 for a state
that does not allow the action, and the service's audit event."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.support.api import Tokens, call
from tests.support.scenarios import PHONE, PNG, record_notices
from yikatong.audit.models import AuditEvent
from yikatong.core.profiles import get_profile
from yikatong.rosters import services
from yikatong.rosters.importer.run import roster_import
from yikatong.rosters.models import Batch, Objection

from .files import card, good_rows, id_number, to_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def tokens(rw):
    return Tokens(rw)


def _imported(batch, rw, rows=None):
    return roster_import(actor=rw.users["zhan"], batch_id=batch.pk, data=to_csv(rows or good_rows(3)),
                         filename="清册.csv", mode="all_or_nothing")


def _audited(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# --- items ----------------------------------------------------------------------------------------

def test_items_are_listed_masked_and_paged(client, rw, batch, tokens):
    _imported(batch, rw)
    url = f"/api/rosters/batches/{batch.pk}/items"
    page = call(client, "get", f"{url}?offset=1&limit=1", tokens("zhan"))
    assert page.status_code == 200, page.content
    body = page.json()
    assert body["count"] == 3 and body["offset"] == 1 and body["limit"] == 1 and len(body["items"]) == 1
    item = body["items"][0]
    assert item["seq"] == 2 and item["amount_fen"] == 50000 and item["status"] == "active" and item["row"] == 3
    everything = call(client, "get", url, tokens("fin")).json()
    assert everything["count"] == 3
    assert id_number(1) not in str(everything) and card(1) not in str(everything)
    assert "*" in everything["items"][0]["id_masked"]
    assert call(client, "get", url, tokens("other_fin")).status_code == 404


def test_item_add_edit_remove(client, rw, batch, tokens):
    _imported(batch, rw, good_rows(2))
    zhan = tokens("zhan")
    before = _audited("rosters.item_add")
    added = call(client, "post", f"/api/rosters/batches/{batch.pk}/items", zhan,
                  {"name": "对象9", "id_number": id_number(9), "village": "第一村委会", "account": card(9),
                   "amount_fen": 50000})
    assert added.status_code == 201, added.content
    item_id = added.json()["id"]
    assert added.json()["seq"] == 3 and added.json()["row"] is None and id_number(9) not in added.content.decode()
    assert _audited("rosters.item_add") == before + 1
    assert Batch.objects.get(pk=batch.pk).item_count == 3

    dup = call(client, "post", f"/api/rosters/batches/{batch.pk}/items", zhan,
                {"name": "对象9", "id_number": id_number(9), "village": "第一村委会", "account": card(9),
                 "amount_fen": 50000})
    assert dup.status_code == 400 and dup.json()["code"] == "ITEM_DUPLICATE_IN_BATCH"
    wrong_role = call(client, "post", f"/api/rosters/batches/{batch.pk}/items", tokens("fin"),
                       {"name": "对象8", "id_number": id_number(8), "account": card(8)})
    assert wrong_role.status_code == 403 and wrong_role.json()["code"] == "ROLE_NOT_ALLOWED"
    assert call(client, "post", f"/api/rosters/batches/{batch.pk}/items", tokens("other_fin"),
                 {"name": "对象8", "id_number": id_number(8), "account": card(8)}).status_code == 404

    no_reason = call(client, "post", f"/api/rosters/items/{item_id}", zhan, {"amount_fen": 40000})
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "ITEM_EDIT_REASON"
    edited = call(client, "post", f"/api/rosters/items/{item_id}", zhan, {"amount_fen": 40000, "reason": "核减"})
    assert edited.status_code == 200 and edited.json()["amount_fen"] == 40000
    assert AuditEvent.objects.filter(action="rosters.item_edit").exists()
    assert call(client, "post", f"/api/rosters/items/{item_id}", tokens("other_fin"),
                 {"amount_fen": 1, "reason": "x"}).status_code == 404
    denied = call(client, "post", f"/api/rosters/items/{item_id}", tokens("fin"), {"amount_fen": 1, "reason": "x"})
    assert denied.status_code == 403 and denied.json()["code"] == "ROLE_NOT_ALLOWED"

    no_reason = call(client, "post", f"/api/rosters/items/{item_id}/remove", zhan, {"reason": ""})
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "ITEM_REMOVE_REASON"
    removed = call(client, "post", f"/api/rosters/items/{item_id}/remove", zhan, {"reason": "重复录入"})
    assert removed.status_code == 200 and removed.json()["status"] == "removed"
    assert AuditEvent.objects.filter(action="rosters.item_remove").exists()
    gone = call(client, "post", f"/api/rosters/items/{item_id}", zhan, {"amount_fen": 1, "reason": "x"})
    assert gone.status_code == 409 and gone.json()["code"] == "ITEM_NOT_ACTIVE"
    assert call(client, "post", f"/api/rosters/items/{item_id}/remove", tokens("other_fin"),
                 {"reason": "x"}).status_code == 404

    Batch.objects.filter(pk=batch.pk).update(state="dept_review")
    late = call(client, "post", f"/api/rosters/batches/{batch.pk}/items", zhan,
                 {"name": "对象7", "id_number": id_number(7), "village": "第一村委会", "account": card(7),
                  "amount_fen": 50000})
    assert late.status_code == 409 and late.json()["code"] == "BATCH_SUBMITTED_NO_EDIT"
    first = batch.items.get(seq=1)
    late = call(client, "post", f"/api/rosters/items/{first.pk}/remove", zhan, {"reason": "已死亡"})
    assert late.status_code == 409 and late.json()["code"] == "BATCH_SUBMITTED_NO_EDIT"


def test_import_problems(client, rw, batch, tokens):
    rows = good_rows(2)
    rows.append(["3", "对象3", id_number(3)[:-1] + ("0" if id_number(3)[-1] != "0" else "1"), "第一村委会", "",
                 card(3), "500.00"])
    run = _imported(batch, rw, rows)
    url = f"/api/rosters/imports/{run.pk}"
    mine = call(client, "get", url, tokens("zhan"))
    assert mine.status_code == 200, mine.content
    errors = [p for p in mine.json()["problems"] if p["level"] == "error"]
    assert errors and any(p["row"] == 4 for p in errors) and mine.json()["batch"] == batch.pk
    only = call(client, "get", f"{url}?level=warning", tokens("zhan")).json()["problems"]
    assert all(p["level"] == "warning" for p in only)
    theirs = call(client, "get", url, tokens("fin")).json()
    assert rows[2][2] not in str(theirs)  # masked for anyone but the uploader
    assert call(client, "get", url, tokens("other_fin")).status_code == 404


# --- notices and objections -----------------------------------------------------------------------

def _to_notice(batch, rw):
    _imported(batch, rw)
    # entered the notice step a moment ago (whatever the hour: 08:00 today may still be ahead)
    at = timezone.now() - datetime.timedelta(seconds=5)
    Batch.objects.filter(pk=batch.pk).update(state="notice", state_since=at, profile_code="000")


def _notice(client, batch_id, auth, **fields):
    data = {"level": "village", "start": timezone.localdate().isoformat(), "place": "村委会公示栏", "phone": PHONE,
            **fields}
    return client.post(f"/api/rosters/batches/{batch_id}/notices", data, **auth)


def test_notice_record(client, rw, batch, tokens):
    early = _notice(client, batch.pk, tokens("zhan"))
    assert early.status_code == 409 and early.json()["code"] == "NOT_IN_NOTICE"
    _to_notice(batch, rw)
    assert _notice(client, batch.pk, tokens("other_fin")).status_code == 404
    wrong = _notice(client, batch.pk, tokens("fin"))
    assert wrong.status_code == 403 and wrong.json()["code"] == "ROLE_NOT_ALLOWED"
    bad = _notice(client, batch.pk, tokens("zhan"), phone="")
    assert bad.status_code == 400 and bad.json()["code"] == "NOTICE_PHONE_REQUIRED"
    before = _audited("rosters.notice_record")
    ok = _notice(client, batch.pk, tokens("zhan"), working_days="5", read_at_assembly="true",
                 photo=SimpleUploadedFile("公示.png", PNG))
    assert ok.status_code == 201, ok.content
    body = ok.json()
    assert body["level"] == "village" and body["start"] == timezone.localdate().isoformat()
    assert body["end"] > body["start"] and body["working_days"] == 5 and body["proof"]
    notice = batch.notices.get(pk=body["id"])
    assert notice.read_at_assembly and notice.proof.kind == "notice_photo"
    assert _audited("rosters.notice_record") == before + 1
    again = _notice(client, batch.pk, tokens("zhan"))
    assert again.status_code == 409 and again.json()["code"] == "NOTICE_LEVEL_RECORDED"


def test_objection_record_and_resolve(client, rw, batch, tokens):
    _to_notice(batch, rw)
    url = f"/api/rosters/batches/{batch.pk}/objections"
    early = call(client, "post", url, tokens("zhan"), {"raised_by": "村民甲", "content": "对象2已外出"})
    assert early.status_code == 409 and early.json()["code"] == "NOTICE_MISSING_FOR_OBJECTION"
    record_notices(batch, rw.users["zhan"], get_profile("000"))
    item = batch.items.get(seq=2)
    assert call(client, "post", url, tokens("other_fin"), {"content": "x"}).status_code == 404
    wrong = call(client, "post", url, tokens("fin"), {"content": "x"})
    assert wrong.status_code == 403 and wrong.json()["code"] == "ROLE_NOT_ALLOWED"
    empty = call(client, "post", url, tokens("zhan"), {"content": " "})
    assert empty.status_code == 400 and empty.json()["code"] == "OBJECTION_CONTENT_REQUIRED"
    made = call(client, "post", url, tokens("cun"), {"raised_by": "村民甲", "content": "对象2已外出", "item": item.pk})
    assert made.status_code == 201, made.content
    oid = made.json()["id"]
    assert made.json()["item"] == item.pk and not made.json()["resolved"]
    assert AuditEvent.objects.filter(action="rosters.objection_record").exists()

    resolve = f"/api/rosters/objections/{oid}/resolve"
    assert call(client, "post", resolve, tokens("other_fin"), {"resolution": "x"}).status_code == 404
    wrong = call(client, "post", resolve, tokens("cun"), {"resolution": "x"})
    assert wrong.status_code == 403 and wrong.json()["code"] == "ROLE_NOT_ALLOWED"
    empty = call(client, "post", resolve, tokens("zhan"), {"resolution": ""})
    assert empty.status_code == 400 and empty.json()["code"] == "OBJECTION_RESOLUTION_REQUIRED"
    ok = call(client, "post", resolve, tokens("zhan"), {"resolution": "经入户核实，符合条件"})
    assert ok.status_code == 200 and ok.json()["resolved"] and Objection.objects.get(pk=oid).resolved_by == rw.users["zhan"]
    assert AuditEvent.objects.filter(action="rosters.objection_resolve").exists()
    again = call(client, "post", resolve, tokens("zhan"), {"resolution": "再次"})
    assert again.status_code == 409 and again.json()["code"] == "OBJECTION_RESOLVED"
    listed = call(client, "get", f"/api/rosters/batches/{batch.pk}/notices", tokens("fin"))
    assert listed.status_code == 200 and len(listed.json()["notices"]) == 2
    assert [o["id"] for o in listed.json()["objections"]] == [oid] and listed.json()["objections"][0]["resolved"]
    assert call(client, "get", f"/api/rosters/batches/{batch.pk}/notices", tokens("other_fin")).status_code == 404


# --- attachments and exports ----------------------------------------------------------------------

def test_attachment_add_and_download(client, rw, batch, tokens):
    url = f"/api/rosters/batches/{batch.pk}/attachments"

    def up(auth, kind="other", data=PNG):
        return client.post(url, {"kind": kind, "file": SimpleUploadedFile("材料.png", data)}, **auth)

    assert up(tokens("other_fin")).status_code == 404
    wrong = up(tokens("cun"))
    assert wrong.status_code == 403 and wrong.json()["code"] == "ATTACHMENT_ROLE"
    state = up(tokens("zhan"), kind="notice_photo")
    assert state.status_code == 409 and state.json()["code"] == "ATTACHMENT_STATE"
    bad = up(tokens("zhan"), data=b"not a picture")
    assert bad.status_code == 400 and bad.json()["code"] == "ATTACHMENT_TYPE"
    ok = up(tokens("zhan"))
    assert ok.status_code == 201, ok.content
    assert ok.json()["kind"] == "other" and ok.json()["content_type"] == "image/png"
    assert AuditEvent.objects.filter(action="rosters.attachment_add").exists()
    assert [a["id"] for a in call(client, "get", url, tokens("fin")).json()] == [ok.json()["id"]]
    assert call(client, "get", url, tokens("other_fin")).status_code == 404
    got = client.get(f"{url}/{ok.json()['id']}", **tokens("fin"))
    assert got.status_code == 200 and b"".join(got.streaming_content if got.streaming else [got.content]) == PNG
    assert client.get(f"{url}/{ok.json()['id']}", **tokens("other_fin")).status_code == 404


def test_exports(client, rw, batch, tokens):
    _imported(batch, rw)
    base = f"/api/rosters/batches/{batch.pk}"
    roster = client.get(f"{base}/roster.xlsx", **tokens("fin"))
    assert roster.status_code == 200 and roster.content[:2] == b"PK"
    assert AuditEvent.objects.filter(action="export.roster_xlsx").count() == 1  # the export is recorded
    for name in ("template.xlsx", "summary.xlsx"):
        resp = client.get(f"{base}/{name}", **tokens("zhan"))
        assert resp.status_code == 200 and resp.content[:2] == b"PK"
    assert client.get(f"{base}/roster.xlsx", **tokens("other_fin")).status_code == 404


def test_profile(client, rw, tokens):
    resp = call(client, "get", "/api/rosters/profile", tokens("zhan"))
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["code"] and body["transitions"]
    assert any(t["action"] == "send_compare" or t["action"] == "start_verify" for t in body["transitions"])
    assert client.get("/api/rosters/profile").status_code == 401
