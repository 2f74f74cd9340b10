"""Complaints, reports and questions (issue 15 point 4): filing, tracking, routing, scope, replies,
the working-day due date and the overdue escalation, the public rate limit."""
import datetime
from zoneinfo import ZoneInfo

import pytest

from yikatong.accounts.roles import Role
from yikatong.core.crypto import vault
from yikatong.core.models import Holiday
from yikatong.disclosure import complaints as svc
from yikatong.disclosure import complaints_scope
from yikatong.disclosure.errors import DisclosureError
from yikatong.disclosure.models import Complaint
from yikatong.disclosure.models.complaints import ComplaintState, EscalationLevel

CST = ZoneInfo("Asia/Shanghai")
THU = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=CST)


@pytest.fixture
def filed(rw, villages):
    return svc.complaint_file(kind="complaint", region_code=villages["v1"].code, text="低保金三个月未到账",
                              policy_id=rw.policy.pk, contact_name="张三", phone="13812345678", now=THU)


def test_anonymous_report_is_accepted_and_a_complaint_needs_contact(rw, villages):
    f = svc.complaint_file(kind="report", region_code=villages["v1"].code, text="村干部优亲厚友", now=THU)
    assert f.complaint.tracking_no == "TS2026120300001" and len(f.code) == 8
    assert f.complaint.phone_enc == "" and f.complaint.contact_name == ""
    with pytest.raises(DisclosureError) as e:
        svc.complaint_file(kind="complaint", region_code=villages["v1"].code, text="未到账", now=THU)
    assert e.value.code == "COMPLAINT_CONTACT_REQUIRED"
    with pytest.raises(DisclosureError) as e:
        svc.complaint_file(kind="report", region_code="999999999999", text="x", now=THU)
    assert e.value.code == "COMPLAINT_REGION_UNKNOWN"


def test_phone_is_encrypted_and_masked_and_code_stored_hashed(filed):
    c = Complaint.objects.get(pk=filed.complaint.pk)
    assert "13812345678" not in c.phone_enc and vault().decrypt(c.phone_enc) == "13812345678"
    assert c.phone_masked == "138****5678"
    assert filed.code not in c.code_hash and len(c.code_hash) == 64
    assert c.tracking_no == "TS2026120300001"


def test_tracking_with_code_and_same_answer_for_wrong_code_or_unknown_number(filed):
    c = svc.complaint_track(tracking_no=filed.complaint.tracking_no.lower(), code=filed.code.lower())
    assert c.pk == filed.complaint.pk
    with pytest.raises(DisclosureError) as wrong:
        svc.complaint_track(tracking_no=filed.complaint.tracking_no, code="AAAAAAAA")
    with pytest.raises(DisclosureError) as unknown:
        svc.complaint_track(tracking_no="TS2026120399999", code=filed.code)
    assert wrong.value.code == unknown.value.code == "COMPLAINT_NOT_FOUND"
    assert str(wrong.value) == str(unknown.value)


def test_routing_to_the_policy_department_and_the_township_and_scope(rw, regions, filed, make_user):
    c = filed.complaint
    assert c.department_id == rw.orgs["mz"].pk and c.township_id == regions["town1"].pk
    u = rw.users
    assert complaints_scope.may_handle(u["mz_rev"], c) and complaints_scope.may_handle(u["zhan"], c)
    assert not complaints_scope.may_handle(u["ny_rev"], c)  # another department
    assert not complaints_scope.may_handle(u["other_fin"], c)
    sup = make_user("sup", Role.SUPERVISOR)
    assert complaints_scope.visible_to(sup).filter(pk=c.pk).exists()
    assert not complaints_scope.may_handle(sup, c)
    with pytest.raises(Complaint.DoesNotExist):  # 404, never named
        svc.complaint_reply(actor=u["ny_rev"], complaint_id=c.pk, text="答复")


def test_reply_answers_and_then_closes_through_the_state_engine(rw, filed):
    u = rw.users
    c = svc.complaint_assign(actor=u["mz_rev"], complaint_id=filed.complaint.pk)
    assert c.state == ComplaintState.ASSIGNED
    c = svc.complaint_reply(actor=u["mz_rev"], complaint_id=c.pk, text="已核实，本月补发")
    assert c.state == ComplaintState.ANSWERED and c.answered_at
    c = svc.complaint_reply(actor=u["zhan"], complaint_id=c.pk, text="已补发到账", close=True)
    assert c.state == ComplaintState.CLOSED and c.replies.count() == 2
    tracked = svc.complaint_track(tracking_no=c.tracking_no, code=filed.code)
    assert tracked.replies.last().text == "已补发到账"
    with pytest.raises(DisclosureError) as e:
        svc.complaint_assign(actor=u["mz_rev"], complaint_id=c.pk)
    assert e.value.code == "TRANSITION_NOT_ALLOWED"
    with pytest.raises(DisclosureError) as e:
        svc.complaint_reply(actor=u["mz_rev"], complaint_id=c.pk, text=" ")
    assert e.value.code == "COMPLAINT_REPLY_REQUIRED"


def test_due_date_counts_working_days_and_the_scan_escalates_overdue(rw, villages, settings):
    # Thu 2026-12-03 + 15 working days = Thu 12-24; a rest day declared on 12-10 moves it to Fri 12-25
    Holiday.objects.create(date=datetime.date(2026, 12, 10), is_workday=False, name="测试休息日")
    f = svc.complaint_file(kind="question", region_code=villages["v1"].code, text="如何申请", policy_id=rw.policy.pk,
                           contact_name="李四", phone="0357-1234567", now=THU)
    c = f.complaint
    assert c.due_on == datetime.date(2026, 12, 25)
    assert svc.complaints_escalate(today=datetime.date(2026, 12, 25)) == 0
    fin = rw.users["fin"]
    assert not complaints_scope.may_handle(fin, c)
    assert svc.complaints_escalate(today=datetime.date(2026, 12, 28)) == 1
    c.refresh_from_db()
    assert c.escalation == EscalationLevel.COUNTY
    assert complaints_scope.may_handle(fin, c)  # the level above now sees it, on the to-do list
    from yikatong.disclosure.todo import complaints_open
    assert [t.url for t in complaints_open(fin)] and svc.complaints_escalate(today=datetime.date(2026, 12, 28)) == 0


def test_profile_sets_the_reply_period(settings):
    from yikatong.core.profiles import current_profile
    assert current_profile().complaint_reply_working_days == 15


def test_public_filing_is_rate_limited(db, settings):
    settings.YKT_COMPLAINT_FILE_RATE = "2/hour"
    svc.throttle("new", "10.0.0.1")
    svc.throttle("new", "10.0.0.1")
    with pytest.raises(DisclosureError) as e:
        svc.throttle("new", "10.0.0.1")
    assert e.value.code == "COMPLAINT_RATE_LIMITED"
    svc.throttle("new", "10.0.0.2")


def test_public_pages_file_and_track_without_login_and_staff_page_is_404_out_of_scope(rw, villages, client):
    r = client.post("/public/complaints/new/", {"kind": "report", "region": villages["v1"].code,
                                                "text": "冒领补贴", "policy": str(rw.policy.pk)})
    assert r.status_code == 200, r.content.decode()[:500]
    c = Complaint.objects.get()
    code = r.context["code"]
    assert c.tracking_no in r.content.decode() and code in r.content.decode()
    assert c.department_id == rw.orgs["mz"].pk  # the published policy's department
    r = client.post("/public/complaints/track/", {"number": c.tracking_no, "code": code})
    assert r.status_code == 200 and "已接收" in r.content.decode()
    wrong = client.post("/public/complaints/track/", {"number": c.tracking_no, "code": "WRONG000"}).content.decode()
    unknown = client.post("/public/complaints/track/", {"number": "TS2000010100001", "code": code}).content.decode()
    assert "受理编号或查询码不正确" in wrong and "受理编号或查询码不正确" in unknown and "已接收" not in wrong
    client.force_login(rw.users["ny_rev"])
    assert client.get(f"/disclosure/complaints/{c.pk}/").status_code == 404
    client.force_login(rw.users["mz_rev"])
    r = client.post(f"/disclosure/complaints/{c.pk}/reply/", {"text": "已转纪检核查", "close": "1"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.state == ComplaintState.CLOSED
