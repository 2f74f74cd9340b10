"""The whole cycle through the API alone (issue 17): each role with its own bearer token creates a batch,
uploads a real xlsx roster, runs the cross-checks and disposes every finding (a reviewer, not the maker),
walks the batch through its transitions (names read from the batch's detail), records the notices, has
it approved, pays it — order, release, send, the bank downloads the file and uploads its result with a
failed line — then corrects the failed line by reissue and pays it too. Every person paid exactly once,
every fen accounted for, the audit trail holding each step. Nothing is done through a service call: the
database is read only to check, and moved in time only by the notice helper the service tests use."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum

from tests.support.scenarios import PNG, PHONE, entered_notice_on, notice_window
from yikatong.accounts.models import Organization
from yikatong.accounts.roles import Role
from yikatong.accounts.tokens import issue_api_token
from yikatong.audit.models import AuditEvent
from yikatong.banksim.options import SimOptions
from yikatong.banksim.services import payment_file_process
from yikatong.core.crypto import vault
from yikatong.core.profiles import get_profile
from yikatong.payments.models import ItemStatus, PaymentOrderItem
from yikatong.rosters.models import Batch
from yikatong.rosters.tests.files import card, good_rows, to_xlsx

pytestmark = pytest.mark.django_db

TOWN1 = "141024100000"


@pytest.fixture
def api(client, pw, django_capture_on_commit_callbacks):
    """api(method, path, who, json=None, files/fields=None): the call as `who` with a bearer token;
    on-commit work (jobs queued by an upload or a check run) runs as at the commit."""
    pw.orgs["bank"] = Organization.objects.get(code="B1")
    pw.user("bank1", "bank", Role.BANK)
    tokens = {}

    def call(method, path, who, body=None, form=None):
        if who not in tokens:
            tokens[who] = f"Bearer {issue_api_token(user=pw.users[who], name='cycle')}"
        kw = {"HTTP_AUTHORIZATION": tokens[who]}
        if body is not None:
            kw.update(data=body, content_type="application/json")
        elif form is not None:
            kw["data"] = form
        with django_capture_on_commit_callbacks(execute=True):
            return getattr(client, method)(f"/api{path}", **kw)

    return call


def ok(resp, status=200):
    assert resp.status_code == status, (resp.status_code, resp.content.decode()[:500])
    return resp.json() if resp["Content-Type"].startswith("application/json") else resp


def job_done(api, job_id, who):
    job = ok(api("get", f"/jobs/{job_id}", who))
    assert job["state"] == "done", job
    return job


def step(api, batch_id, who, name):
    """Apply transition `name` as `who` — offered to them in the batch's detail first."""
    offered = ok(api("get", f"/rosters/batches/{batch_id}", who))["transitions"]
    assert name in offered, (who, name, offered)
    return ok(api("post", f"/rosters/batches/{batch_id}/transitions/{name}", who, {"reason": ""}))["state"]


def check_and_dispose(api, batch_id):
    """Run the checks as the station, then the department's reviewer (not the maker) clears every finding;
    a blocking one is confirmed by the department head (four eyes)."""
    job_done(api, ok(api("post", f"/checks/batches/{batch_id}/run", "zhan"), 202)["job"], "zhan")
    findings = ok(api("get", f"/checks/findings?batch={batch_id}", "mz_rev"))
    for f in findings:
        if f["state"] != "open":
            continue
        done = ok(api("post", f"/checks/findings/{f['id']}/dispose", "mz_rev",
                      {"decision": "cleared", "reason": "经入户核实情况属实", "evidence_text": "入户核查记录"}))
        if done["state"] != "cleared":
            done = ok(api("post", f"/checks/findings/{f['id']}/confirm-clear", "mz_head", {"note": "复核同意"}))
        assert done["state"] == "cleared", done
    return findings


def walk_to_approval(api, batch_id, *, reissue=False):
    """The batch's transitions up to finance approval under profile 000 (notices for a first round)."""
    profile = get_profile("000")
    if profile.township_verify_working_days:
        step(api, batch_id, "zhan", "start_verify")
        step(api, batch_id, "zhan", "verified")
    step(api, batch_id, "zhan", "send_compare")
    step(api, batch_id, "czs", "compare_pass")
    step(api, batch_id, "zhan", "submit")
    if reissue:
        step(api, batch_id, "mz_rev", "approve_reissue")
    else:
        assert step(api, batch_id, "mz_rev", "approve_notice") == "notice"
        days = max(profile.notice_min_working_days or 1, 1)
        start, end = notice_window(days)
        entered_notice_on(Batch.objects.get(pk=batch_id), start)  # time travel: the notice is over by today
        for level in profile.notice_levels or ("village",):
            notice = ok(api("post", f"/rosters/batches/{batch_id}/notices", "zhan", form={
                "level": level, "start": start.isoformat(), "place": "村委会公示栏", "phone": PHONE,
                "working_days": str(days), "read_at_assembly": "true" if profile.notice_read_at_assembly else "false",
                **({"assembly_on": start.isoformat(), "assembly_place": "村委会会议室", "assembly_attendees": "86"}
                   if profile.notice_read_at_assembly else {}),
                "photo": SimpleUploadedFile(f"{level}.png", PNG)}), 201)
            assert notice["end"] == end.isoformat()
        step(api, batch_id, "zhan", "finish_notice")
        if profile.resubmit_after_notice:
            step(api, batch_id, "czs", "resubmit")
        ok(api("post", f"/rosters/batches/{batch_id}/attachments", "mz_head",
               form={"kind": "summary", "file": SimpleUploadedFile("汇总表.png", PNG)}), 201)
        step(api, batch_id, "mz_head", "dept_approve")
    assert step(api, batch_id, "fin", "finance_approve") == "approved"


def pay(api, pw, batch_id, options):
    """Order, release, send; the bank downloads its file, answers (the simulated bank) and uploads the answer."""
    order = ok(api("post", "/payments/orders", "fin", {"batch_id": batch_id}), 201)
    oid = order["id"]
    assert ok(api("post", f"/payments/orders/{oid}/release", "gk"))["state"] == "released"
    sent = ok(api("post", f"/payments/orders/{oid}/send", "gk"))
    assert sent["state"] == "sent"
    listed = ok(api("get", "/payments/bank/orders", "bank1"))
    assert [(o["id"], o["status"]) for o in listed if o["id"] == oid] == [(oid, "waiting")]
    download = api("get", f"/payments/orders/{oid}/file", "bank1")
    assert download.status_code == 200 and download.content
    answer = payment_file_process(actor=None, filename=sent["payment_file"], data=download.content, options=options)
    taken = ok(api("post", "/payments/bank-results", "bank1",
                   form={"file": SimpleUploadedFile(answer.filename, answer.data)}), 201)
    assert taken["created"] and taken["state"] == "answered"
    replay = ok(api("post", "/payments/bank-results", "bank1",
                    form={"file": SimpleUploadedFile(answer.filename, answer.data)}))
    assert replay["code"] == "INGEST_REPLAYED" and not replay["created"]
    return ok(api("get", f"/payments/orders/{oid}", "fin"))


def test_whole_cycle_through_the_api(api, pw):
    # the station creates the batch and uploads its roster (a real xlsx: title line, header, rows, totals)
    batch_id = ok(api("post", "/rosters/batches", "zhan", {"policy": "DB01", "period": "2026-11", "region": TOWN1}),
                  201)["id"]
    roster = to_xlsx(good_rows(3), title=["大槐树镇2026年11月城乡居民最低生活保障发放清册"],
                     totals=["合计", "", "", "", "", "", "1500.00"])
    upload = ok(api("post", f"/rosters/batches/{batch_id}/roster", "zhan",
                    form={"file": SimpleUploadedFile("清册.xlsx", roster)}), 202)
    assert job_done(api, upload["job"], "zhan")["result"]["imported"] is True
    detail = ok(api("get", f"/rosters/batches/{batch_id}", "zhan"))
    assert (detail["counts"]["items"], detail["counts"]["amount_fen"]) == (3, 150000)
    refs = list(Batch.objects.get(pk=batch_id).items.order_by("seq").values_list("item_ref", flat=True))

    findings = check_and_dispose(api, batch_id)
    assert findings and not any(f["item"] is None for f in findings)  # e.g. NOT_RESIDENT: nobody in the register
    walk_to_approval(api, batch_id)

    # paid: the second person's account fails at the bank (E01)
    order = pay(api, pw, batch_id, SimOptions(fail_ref={refs[1]: "E01"}))
    assert (order["paid_count"], order["paid_fen"], order["failed_count"], order["failed_fen"]) == (2, 100000, 1, 50000)
    assert ok(api("get", f"/rosters/batches/{batch_id}", "zhan"))["state"] == "partly_failed"

    # the station reads the failure, corrects the account by reissue (not by payee fix: the batch was paid)
    failures = ok(api("get", f"/payments/batches/{batch_id}/failures", "zhan"))
    (line,) = failures["lines"]
    assert (line["item_ref"], line["reason_code"], line["amount_fen"]) == (refs[1], "E01", 50000) and line["fix"]
    assert failures["can_reissue"]
    refused = api("post", f"/payments/batches/{batch_id}/payee-fix", "zhan",
                  {"corrections": {refs[1]: {"account": card(77)}}, "reason": "银行账号有误"})
    assert refused.status_code == 409 and refused.json()["code"] == "PAYEE_FIX_STATE"
    reissue = ok(api("post", f"/payments/batches/{batch_id}/reissue", "zhan",
                     {"corrections": {refs[1]: {"account": card(77)}}}), 201)
    rid = reissue["id"]
    assert (reissue["parent_id"], reissue["state"], reissue["items"], reissue["amount_fen"]) == (
        batch_id, "draft", 1, 50000)
    check_and_dispose(api, rid)
    walk_to_approval(api, rid, reissue=True)
    # approved, nothing at the bank: the payee's bank name is corrected before the order (payee fix)
    new_ref = Batch.objects.get(pk=rid).items.get().item_ref
    fixed = ok(api("post", f"/payments/batches/{rid}/payee-fix", "zhan",
                   {"corrections": {new_ref: {"bank_name": "洪洞农商行"}}, "reason": "开户行名称有误"}))
    assert fixed["state"] == "approved"

    second = pay(api, pw, rid, SimOptions())
    assert (second["paid_count"], second["paid_fen"], second["failed_count"]) == (1, 50000, 0)
    assert second["batch_no"] != order["batch_no"]
    assert ok(api("get", f"/rosters/batches/{rid}", "zhan"))["state"] == "paid"
    assert ok(api("get", f"/rosters/batches/{batch_id}", "zhan"))["state"] == "closed"
    notice = ok(api("get", f"/payments/batches/{batch_id}/notice", "fin"))
    assert [r["status"] for r in notice] == ["已发放", "补发已发放", "已发放"]

    # each person paid exactly once, into the corrected account for the reissued one; every fen accounted for
    paid = PaymentOrderItem.objects.filter(status=ItemStatus.PAID)
    assert sorted(paid.values_list("origin__item_ref", flat=True)) == sorted(refs)
    assert paid.aggregate(s=Sum("amount_fen"))["s"] == 150000
    assert vault().decrypt(paid.get(origin__item_ref=refs[1]).batch_item.account_enc) == card(77)
    orders = ok(api("get", "/payments/orders", "fin"))
    assert sum(o["paid_fen"] for o in orders) == 150000 and sum(o["failed_fen"] for o in orders) == 50000
    assert sum(o["total_fen"] for o in orders) == sum(o["paid_fen"] + o["failed_fen"] for o in orders)

    # the audit trail holds every step, each by the person who took it
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"rosters.create", "rosters.import", "rosters.send_compare", "rosters.approve_notice",
            "rosters.notice_record", "rosters.attachment_add", "rosters.dept_approve", "rosters.finance_approve",
            "payments.order.create", "payments.order.release", "payments.order.send", "payments.order.file_download",
            "payments.order.answer", "payments.reissue.create", "payments.payee.correct"} <= actions
    assert AuditEvent.objects.filter(action="payments.order.file_download",
                                     actor__username="bank1").count() == 2
    assert AuditEvent.objects.filter(action="payments.reissue.create", actor__username="zhan").count() == 1
    assert AuditEvent.objects.filter(action="payments.order.release", actor__username="gk").count() == 2
