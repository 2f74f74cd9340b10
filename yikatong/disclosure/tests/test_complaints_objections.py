"""Objections to a running notice filed online (公示异议, issue 15 point 4 / issue 8): filed from the published
notice list by its public_id, they record a rosters Objection that blocks approval (OBJECTIONS_OPEN) until the
complaint is answered and closed, which resolves the objection; the roster page cannot resolve it alone."""
import pytest

from tests.support.scenarios import do, record_notices
from yikatong.accounts.roles import Role
from yikatong.audit.models import AuditEvent
from yikatong.core.profiles import get_profile
from yikatong.disclosure import complaints as svc
from yikatong.disclosure import complaints_objections as objections
from yikatong.disclosure.errors import DisclosureError, DisclosureNotFound
from yikatong.disclosure.models import Complaint, PublishedList
from yikatong.disclosure.models.complaints import ComplaintKind, ComplaintState
from yikatong.rosters import notices
from yikatong.rosters.errors import RosterError, TransitionRefused
from yikatong.rosters.importer.run import roster_import
from yikatong.rosters.models import Batch, Objection
from yikatong.rosters.tests.files import good_rows, to_csv

pytestmark = pytest.mark.django_db

@pytest.fixture
def noticed(rw, batch):
    """A batch (profile 004) in its notice step with its notices recorded and its notice list published."""
    Batch.objects.filter(pk=batch.pk).update(profile_code="004")
    u = rw.users
    roster_import(actor=u["zhan"], batch_id=batch.pk, data=to_csv(good_rows(2)), filename="a.csv", mode="all_or_nothing")
    for user, action in [("zhan", "send_compare"), ("czs", "compare_pass"), ("zhan", "submit"), ("mz_rev", "approve_notice")]:
        do(batch, u[user], action)
    record_notices(batch, u["zhan"], get_profile("004"))
    # registering the notice put its list online (disclosure.publish_auto)
    pl = PublishedList.objects.get(batch=batch, kind="notice")
    batch.refresh_from_db()
    return batch, pl

def _file(pl, **kw):
    return objections.objection_file(public_id=pl.public_id, **{
        "text": "第2条对象已外出务工多年，不符合条件", "contact_name": "村民甲", "phone": "13812345678", **kw})

def test_an_online_objection_blocks_approval_until_its_complaint_is_closed(rw, noticed):
    batch, pl = noticed
    filed = _file(pl)
    c = Complaint.objects.select_related("objection").get(pk=filed.complaint.pk)
    assert c.kind == ComplaintKind.OBJECTION and c.published_list_id == pl.pk
    assert (c.department_id, c.township_id) == (batch.department_id, batch.region_id)
    o = c.objection
    assert o.notice.batch_id == batch.pk and o.source_ref == c.tracking_no and o.raised_by == "村民甲"
    assert o.resolved_at is None
    event = AuditEvent.objects.get(action="disclosure.complaint_file", object_id=str(c.pk))
    assert event.after["objection"] == o.pk and "13812345678" not in str(event.after)
    # the guard that was already there refuses the end of the notice (and every approval after it)
    with pytest.raises(TransitionRefused) as e:
        do(batch, rw.users["zhan"], "finish_notice")
    assert e.value.code == "OBJECTIONS_OPEN"
    # the roster page cannot resolve it on its own: the public's answer and the approval never disagree
    with pytest.raises(RosterError) as e:
        notices.objection_resolve(actor=rw.users["zhan"], objection_id=o.pk, resolution="已核实")
    assert e.value.code == "OBJECTION_VIA_COMPLAINT" and c.tracking_no in e.value.message
    # a reply without closing leaves it open
    svc.complaint_reply(actor=rw.users["zhan"], complaint_id=c.pk, text="正在入户核实")
    with pytest.raises(TransitionRefused) as e:
        do(batch, rw.users["zhan"], "finish_notice")
    assert e.value.code == "OBJECTIONS_OPEN"
    # answering and closing the complaint resolves the objection with that reply
    c = svc.complaint_reply(actor=rw.users["zhan"], complaint_id=c.pk, text="经入户核实，该对象符合条件", close=True)
    o.refresh_from_db()
    assert c.state == ComplaintState.CLOSED and o.resolved_at and o.resolution == "经入户核实，该对象符合条件"
    assert o.resolved_by == rw.users["zhan"]
    assert do(batch, rw.users["zhan"], "finish_notice").state == "dept_approval"

def test_closing_is_refused_whole_when_the_closer_may_not_resolve_objections(rw, noticed, make_user, regions):
    """A township head answers complaints but does not resolve objections (rosters): the reply is rolled back."""
    batch, pl = noticed
    c = _file(pl).complaint
    head = make_user("zhenzhang", Role.TOWNSHIP_HEAD, region=regions["town1"])
    with pytest.raises(Exception) as e:
        svc.complaint_reply(actor=head, complaint_id=c.pk, text="已核实", close=True)
    assert e.value.code == "ROLE_NOT_ALLOWED"
    c.refresh_from_db()
    assert c.state == ComplaintState.RECEIVED and not c.replies.exists()
    assert Objection.objects.get(pk=c.objection_id).resolved_at is None

def test_objection_refusals(rw, noticed, villages):
    batch, pl = noticed
    with pytest.raises(DisclosureError) as e:
        _file(pl, contact_name="", phone="")
    assert e.value.code == "COMPLAINT_CONTACT_REQUIRED"
    with pytest.raises(DisclosureNotFound):
        _file(type(pl)(public_id="nosuchlist"))
    with pytest.raises(DisclosureError) as e:  # not through the general form
        svc.complaint_file(kind="objection", region_code=villages["v1"].code, text="异议", contact_name="甲",
                           phone="13812345678")
    assert e.value.code == "COMPLAINT_KIND_UNKNOWN"
    assert not Objection.objects.exists() and not Complaint.objects.exists()
    Batch.objects.filter(pk=batch.pk).update(state="dept_approval")
    with pytest.raises(DisclosureError) as e:
        _file(pl)
    assert e.value.code == "OBJECTION_NOTICE_OVER"

def test_public_pages(rw, noticed, client):
    batch, pl = noticed
    page = client.get(f"/public/notices/list/{pl.public_id}/").content.decode()
    assert f"/public/notices/list/{pl.public_id}/objection/" in page
    assert client.get(f"/public/notices/list/{pl.public_id}/objection/").status_code == 200
    r = client.post(f"/public/notices/list/{pl.public_id}/objection/", {"text": "有异议"})
    assert r.status_code == 400 and "联系人" in r.content.decode()
    r = client.post(f"/public/notices/list/{pl.public_id}/objection/",
                    {"text": "第1条对象有财政供养人员", "contact_name": "村民乙", "phone": "13900001111"})
    assert r.status_code == 200
    c = Complaint.objects.get()
    assert c.tracking_no in r.content.decode() and c.objection.source_ref == c.tracking_no
    assert client.get("/public/notices/list/nosuchlist/objection/").status_code == 404
    assert "公示异议" not in client.get("/public/complaints/new/").content.decode()  # not a kind of the general form
    # the staff detail names the objection and its batch
    client.force_login(rw.users["mz_rev"])
    page = client.get(f"/disclosure/complaints/{c.pk}/").content.decode()
    assert 'data-testid="complaint-objection"' in page and batch.code in page
    Batch.objects.filter(pk=batch.pk).update(state="dept_approval")
    client.logout()
    assert 'data-testid="notice-over"' in client.get(f"/public/notices/list/{pl.public_id}/objection/").content.decode()
    assert "objection/" not in client.get(f"/public/notices/list/{pl.public_id}/").content.decode()
