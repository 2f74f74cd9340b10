"""A complaint opens a finding on a batch item, is transferred to supervision as a clue, and its attachment is
downloaded by staff (issue 15 points 4-5): who may (handler and batch scope), each once, refusals with codes,
audit; the manual finding blocks approval like any blocking finding and no check run closes it."""
import datetime
from zoneinfo import ZoneInfo

import pytest

from yikatong.accounts.models import OrgKind
from yikatong.accounts.roles import Role
from yikatong.audit.models import AuditEvent
from yikatong.checks import services as check_services
from yikatong.checks.guards import checks_current
from yikatong.checks.manual import MANUAL_RULE
from yikatong.checks.models import Finding, FindingState
from yikatong.checks.selectors import blocking_findings, held_item_ids
from yikatong.disclosure import complaints as svc
from yikatong.disclosure import complaints_links as links
from yikatong.disclosure.errors import ComplaintForbidden, ComplaintNotFound, DisclosureError
from yikatong.disclosure.models import Complaint
from yikatong.rosters.importer.run import roster_import
from yikatong.rosters.models import BatchItem
from yikatong.rosters.tests.files import good_rows, to_csv
from yikatong.supervision import selectors as clue_selectors
from yikatong.supervision import services as clue_services
from yikatong.supervision.models import Clue

pytestmark = pytest.mark.django_db
CST = ZoneInfo("Asia/Shanghai")
THU = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=CST)
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture
def roster(rw, batch):
    roster_import(actor=rw.users["zhan"], batch_id=batch.pk, data=to_csv(good_rows(3)), filename="清册.csv",
                  mode="all_or_nothing")
    return batch


@pytest.fixture
def complaint(rw, villages):
    return svc.complaint_file(kind="report", region_code=villages["v1"].code, policy_id=rw.policy.pk,
                              text="第2条对象户籍早已迁出，电话13812345678", attachment=("照片.png", "image/png", PNG),
                              now=THU).complaint


@pytest.fixture
def sup(make_user):
    return make_user("jiwei", Role.SUPERVISOR)


def _item(batch, seq):
    return BatchItem.objects.get(batch=batch, seq=seq)


def test_a_handler_opens_a_blocking_finding_that_blocks_approval_until_disposed(rw, roster, complaint):
    item = _item(roster, 2)
    c = links.complaint_open_finding(actor=rw.users["mz_rev"], complaint_id=complaint.pk, item_id=item.pk,
                                     reason="举报称户籍已迁出")
    f = Finding.objects.select_related("rule").get(pk=c.finding_id)
    assert (f.rule.code, f.severity, f.state, f.item_id) == (MANUAL_RULE, "block", FindingState.OPEN, item.pk)
    assert complaint.tracking_no in f.message and f.evidence["source_ref"] == complaint.tracking_no
    assert AuditEvent.objects.filter(action="checks.finding_open_manual", object_id=str(f.pk)).count() == 1
    assert list(blocking_findings(roster)) == [f]
    # the guard of every money-moving step re-runs the checks: the manual finding is neither run nor closed
    problem = checks_current(batch=roster)
    assert problem.code == "BLOCKING_FINDINGS_OPEN" and "群众投诉举报" in problem.message
    f.refresh_from_db()
    assert f.state == FindingState.OPEN
    # disposed like any finding: confirmed by the station, the item leaves the draft batch
    check_services.finding_dispose(actor=rw.users["zhan"], finding_id=f.pk, decision="confirmed", reason="属实")
    assert not blocking_findings(roster).exists() and checks_current(batch=roster) is None
    # once per complaint; a same-source finding on the same item is refused by checks as well
    with pytest.raises(DisclosureError) as e:
        links.complaint_open_finding(actor=rw.users["mz_rev"], complaint_id=complaint.pk, item_id=_item(roster, 1).pk,
                                     reason="再登记")
    assert e.value.code == "COMPLAINT_FINDING_OPENED"


def test_open_finding_refusals(rw, roster, complaint, sup, make_user, regions):
    item = _item(roster, 1)
    with pytest.raises(Complaint.DoesNotExist):  # another department: 404, never named
        links.complaint_open_finding(actor=rw.users["ny_rev"], complaint_id=complaint.pk, item_id=item.pk, reason="x")
    with pytest.raises(ComplaintForbidden) as e:  # a supervisor reads but does not handle
        links.complaint_open_finding(actor=sup, complaint_id=complaint.pk, item_id=item.pk, reason="x")
    assert e.value.code == "COMPLAINT_NOT_HANDLER"
    # another station of the township handles the complaint but does not see this station's batch
    other = make_user("zhan2", Role.TOWNSHIP_OPERATOR, region=regions["town1"], kind=OrgKind.TOWNSHIP_STATION)
    with pytest.raises(ComplaintNotFound) as e:
        links.complaint_open_finding(actor=other, complaint_id=complaint.pk, item_id=item.pk, reason="x")
    assert e.value.code == "COMPLAINT_ITEM_NOT_FOUND"
    with pytest.raises(ComplaintNotFound):
        links.item_lookup(actor=other, batch_code=roster.code, seq=1)
    assert links.item_lookup(actor=rw.users["zhan"], batch_code=roster.code, seq="1") == item.pk
    with pytest.raises(Exception) as e:
        links.complaint_open_finding(actor=rw.users["zhan"], complaint_id=complaint.pk, item_id=item.pk, reason=" ")
    assert e.value.code == "MANUAL_FINDING_REASON_REQUIRED"
    BatchItem.objects.filter(pk=item.pk).update(status="removed")
    with pytest.raises(Exception) as e:
        links.complaint_open_finding(actor=rw.users["zhan"], complaint_id=complaint.pk, item_id=item.pk, reason="x")
    assert e.value.code == "MANUAL_FINDING_ITEM_NOT_ACTIVE"
    svc.complaint_reply(actor=rw.users["zhan"], complaint_id=complaint.pk, text="已核实", close=True)
    with pytest.raises(DisclosureError) as e:
        links.complaint_open_finding(actor=rw.users["zhan"], complaint_id=complaint.pk, item_id=_item(roster, 2).pk,
                                     reason="x")
    assert e.value.code == "COMPLAINT_CLOSED"
    assert not Finding.objects.filter(rule__code=MANUAL_RULE).exists()


def test_transfer_a_complaint_as_a_clue_the_supervisor_follows_up(rw, complaint, sup, make_user, regions):
    with pytest.raises(DisclosureError) as e:
        links.complaint_transfer_clue(actor=rw.users["mz_rev"], complaint_id=complaint.pk, reason=" ")
    assert e.value.code == "COMPLAINT_CLUE_REASON_REQUIRED"
    with pytest.raises(ComplaintForbidden):
        links.complaint_transfer_clue(actor=sup, complaint_id=complaint.pk, reason="移送")
    with pytest.raises(Complaint.DoesNotExist):
        links.complaint_transfer_clue(actor=rw.users["ny_rev"], complaint_id=complaint.pk, reason="移送")
    c = links.complaint_transfer_clue(actor=rw.users["mz_rev"], complaint_id=complaint.pk, reason="涉嫌虚报冒领")
    clue = Clue.objects.get(pk=c.clue_id)
    assert (clue.source, clue.source_ref, clue.finding_id, clue.region_id) == (
        "complaint", complaint.tracking_no, None, regions["town1"].code)
    assert clue.case_no.startswith("XS-141024-") and "13812345678" not in clue.subject and "5678" in clue.subject
    assert AuditEvent.objects.filter(action="disclosure.complaint_transfer_clue", object_id=str(c.pk)).count() == 1
    with pytest.raises(DisclosureError) as e:
        links.complaint_transfer_clue(actor=rw.users["zhan"], complaint_id=complaint.pk, reason="再次")
    assert e.value.code == "COMPLAINT_CLUE_TRANSFERRED"
    # supervision: in the county supervisor's list (by region), not another county's; followed up as any clue
    assert list(clue_selectors.clues_for(sup, source="complaint")) == [clue]
    assert list(clue_selectors.clues_for(sup, q=complaint.tracking_no)) == [clue]
    other = make_user("jiwei2", Role.SUPERVISOR, region=regions["other_county"])
    assert not clue_selectors.clues_for(other).exists()
    clue_services.investigation_start(actor=sup, clue_id=clue.pk)
    clue_services.investigation_conclude(actor=sup, clue_id=clue.pk, conclusion="unsubstantiated", text="查无实据")
    name, data = clue_services.case_file_download(actor=sup, clue_id=clue.pk)
    assert name == f"案卷-{clue.case_no}.zip" and data.startswith(b"PK")
    from yikatong.supervision.casefile import rows
    assert ("投诉举报", "受理编号", complaint.tracking_no) in rows(clue)
    from yikatong.supervision.exports import clues_xlsx
    assert clues_xlsx(sup).startswith(b"PK")


def test_a_concluded_complaint_clue_does_not_release_transferred_findings(rw, roster, complaint, sup, villages):
    """released_findings() must not hold a NULL (a complaint clue has no finding): NOT IN (…, NULL) is never true."""
    item = _item(roster, 2)
    c = links.complaint_open_finding(actor=rw.users["mz_rev"], complaint_id=complaint.pk, item_id=item.pk,
                                     reason="举报")
    check_services.finding_dispose(actor=rw.users["mz_rev"], finding_id=c.finding_id, decision="transferred",
                                   reason="移送核查")
    other = svc.complaint_file(kind="report", region_code=villages["v1"].code, text="另一件举报", now=THU).complaint
    clue = Clue.objects.get(pk=links.complaint_transfer_clue(actor=rw.users["zhan"], complaint_id=other.pk,
                                                             reason="移送").clue_id)
    clue_services.investigation_start(actor=sup, clue_id=clue.pk)
    clue_services.investigation_conclude(actor=sup, clue_id=clue.pk, conclusion="unsubstantiated", text="不属实")
    assert list(held_item_ids(roster)) == [{"item_id": item.pk}]


def test_attachment_download_is_scoped_and_audited(rw, complaint, sup, villages, client):
    c, data = links.complaint_attachment_download(actor=sup, complaint_id=complaint.pk)
    assert data == PNG and c.attachment_name == "照片.png"
    assert AuditEvent.objects.filter(action="disclosure.complaint_attachment_download").count() == 1
    with pytest.raises(Complaint.DoesNotExist):
        links.complaint_attachment_download(actor=rw.users["ny_rev"], complaint_id=complaint.pk)
    bare = svc.complaint_file(kind="report", region_code=villages["v1"].code, text="无附件", now=THU).complaint
    with pytest.raises(ComplaintNotFound) as e:
        links.complaint_attachment_download(actor=sup, complaint_id=bare.pk)
    assert e.value.code == "COMPLAINT_NO_ATTACHMENT"
    client.force_login(rw.users["mz_rev"])
    r = client.get(f"/disclosure/complaints/{complaint.pk}/attachment/")
    assert r.status_code == 200 and r.content == PNG
    assert client.get(f"/disclosure/complaints/{bare.pk}/attachment/").status_code == 404
    client.force_login(rw.users["ny_rev"])
    assert client.get(f"/disclosure/complaints/{complaint.pk}/attachment/").status_code == 404


def test_staff_pages_open_a_finding_and_transfer_a_clue(rw, roster, complaint, sup, client):
    client.force_login(rw.users["ny_rev"])  # a department outside the routing: 404 on every new URL, nothing made
    for url in ("finding/", "clue/"):
        assert client.post(f"/disclosure/complaints/{complaint.pk}/{url}", {"reason": "x", "batch": roster.code,
                                                                            "seq": "1"}).status_code == 404
    for url in ("finding", "clue"):
        r = client.post(f"/api/disclosure/complaints/{complaint.pk}/{url}", {"reason": "x", "item": 1},
                        content_type="application/json")
        assert r.status_code == 404
    assert client.get(f"/api/disclosure/complaints/{complaint.pk}/attachment").status_code == 404
    assert not Clue.objects.exists() and not Finding.objects.exists()
    client.force_login(sup)
    page = client.get(f"/disclosure/complaints/{complaint.pk}/").content.decode()
    assert "照片.png" in page and 'data-testid="open-finding-form"' not in page  # reads, does not handle
    r = client.post(f"/disclosure/complaints/{complaint.pk}/clue/", {"reason": "移送"})
    assert r.status_code == 302 and not Clue.objects.exists()  # refused with a message
    client.force_login(rw.users["mz_rev"])
    page = client.get(f"/disclosure/complaints/{complaint.pk}/").content.decode()
    assert 'data-testid="open-finding-form"' in page and 'data-testid="transfer-clue-form"' in page
    assert "data-ykt-confirm" in page
    client.post(f"/disclosure/complaints/{complaint.pk}/finding/", {"batch": roster.code, "seq": "3", "reason": "举报"})
    client.post(f"/disclosure/complaints/{complaint.pk}/clue/", {"reason": "涉嫌违纪"})
    complaint.refresh_from_db()
    assert complaint.finding.item.seq == 3 and complaint.clue.source_ref == complaint.tracking_no
    page = client.get(f"/disclosure/complaints/{complaint.pk}/").content.decode()
    assert complaint.clue.case_no in page and f"#{complaint.finding_id}" in page
    assert 'data-testid="open-finding-form"' not in page
    # the API: the same services
    r = client.get(f"/api/disclosure/complaints/{complaint.pk}")
    assert r.json()["clue"] == complaint.clue.case_no and r.json()["finding"] == complaint.finding_id
    r = client.post(f"/api/disclosure/complaints/{complaint.pk}/clue", {"reason": "再次"}, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "COMPLAINT_CLUE_TRANSFERRED"
    client.force_login(sup)
    r = client.get(f"/api/supervision/clues/{complaint.clue_id}")
    assert r.status_code == 200 and r.json()["source_ref"] == complaint.tracking_no and r.json()["finding"] is None
    assert complaint.tracking_no in client.get("/supervision/clues/").content.decode()
    assert complaint.tracking_no in client.get(f"/supervision/clues/{complaint.clue_id}/").content.decode()


def test_staff_list_shows_handling_time_in_working_days_and_overdue_marks(rw, villages, sup, client):
    from yikatong.disclosure import complaints_selectors

    on_time = svc.complaint_file(kind="report", region_code=villages["v1"].code, text="按时答复", now=THU).complaint
    svc.complaint_reply(actor=rw.users["zhan"], complaint_id=on_time.pk, text="已答复")
    # answered on Monday 12-07: Fri 12-04 and Mon 12-07 are two working days after Thursday's filing
    Complaint.objects.filter(pk=on_time.pk).update(answered_at=datetime.datetime(2026, 12, 7, 9, 0, tzinfo=CST))
    late = svc.complaint_file(kind="report", region_code=villages["v1"].code, text="逾期未答复", now=THU).complaint
    today = late.due_on + datetime.timedelta(days=7)  # a week past the deadline: five working days
    rows = {c.pk: c for c in complaints_selectors.staff_list(sup, today=today)}
    assert (rows[on_time.pk].handling_days, rows[on_time.pk].overdue_days) == (2, 0)
    assert rows[late.pk].handling_days == 15 + 5 and rows[late.pk].overdue_days == 5
    assert [c.pk for c in complaints_selectors.staff_list(sup, overdue=True, today=today)] == [late.pk]
    s = complaints_selectors.summary(list(rows.values()))
    assert (s.count, s.answered, s.average_days, s.overdue) == (2, 1, 2.0, 1)
    old = svc.complaint_file(kind="report", region_code=villages["v1"].code, text="九月的举报",
                             now=datetime.datetime(2026, 9, 1, 10, 0, tzinfo=CST)).complaint  # long past its deadline
    client.force_login(sup)
    page = client.get("/disclosure/complaints/").content.decode()
    assert 'data-testid="complaint-summary"' in page and "个工作日" in page and 'data-testid="overdue"' in page
    assert "投诉举报" in page and 'href="/disclosure/complaints/"' in page  # the nav entry of supervisors
    r = client.get("/api/disclosure/complaints?overdue=true").json()
    assert old.tracking_no in [c["tracking_no"] for c in r] and on_time.tracking_no not in [c["tracking_no"] for c in r]
    assert all(c["overdue_working_days"] > 0 for c in r)
