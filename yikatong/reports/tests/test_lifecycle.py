"""The report's life cycle: build, remarks, submit, approve (locked, frozen with its SHA-256), return (back to
draft with the reason), send up; four eyes; scope; deadlines on each profile's working-day calendar; to-do."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from yikatong.accounts.roles import Role
from yikatong.audit.models import AuditEvent
from yikatong.core.profiles import REPORT_001_MONTHLY, REPORT_003_COUNTY, REPORT_003_DEPARTMENT
from yikatong.core.refusals import Refusal
from yikatong.core.services import holiday_set
from yikatong.reports import definitions, exports, selectors, services, todo
from yikatong.reports.models import MonitoringReport

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def p003(rw, settings):
    settings.YKT_PROFILE = "003"
    return rw


def _build(rw, user="mz_rev", definition="003_department_monthly", period="2026-11"):
    return services.report_build(actor=rw.users[user], definition=definition, period=period, today=TODAY)


@pytest.mark.django_db
def test_department_report_submitted_approved_by_county_finance_locked_and_frozen(p003):
    rw = p003
    report = _build(rw)
    assert report.state == "draft" and report.region_id == rw.orgs["mz"].region_id
    assert report.due_on == dt.date(2026, 11, 30)  # the 28th is a Saturday: the next working day
    report = services.report_remarks(actor=rw.users["mz_rev"], pk=report.pk, remarks="本月按时发放")
    report = services.report_submit(actor=rw.users["mz_rev"], pk=report.pk)
    assert report.state == "submitted" and report.submitted_by == rw.users["mz_rev"]
    with pytest.raises(Refusal) as exc:  # submitted: the filer cannot change it any more
        services.report_remarks(actor=rw.users["mz_rev"], pk=report.pk, remarks="改")
    assert exc.value.code == "REPORT_LOCKED"
    with pytest.raises(Refusal) as exc:  # a department cannot approve
        services.report_approve(actor=rw.users["mz_head"], pk=report.pk)
    assert exc.value.code == "ROLE_NOT_ALLOWED"
    for outsider in ("other_fin", "city_fin"):  # another county's finance; the city's reaches down but is not it
        with pytest.raises(Refusal) as exc:
            services.report_approve(actor=rw.users[outsider], pk=report.pk)
        assert exc.value.code == "OUT_OF_SCOPE"
    report = services.report_approve(actor=rw.users["fin"], pk=report.pk)
    assert report.state == "approved" and report.approved_by == rw.users["fin"]
    assert report.frozen["remarks"] == "本月按时发放" and report.frozen["content"] == report.content
    assert report.frozen_sha256 == services.sha256_of(report.frozen)
    with pytest.raises(Refusal) as exc:
        _build(rw)
    assert exc.value.code == "REPORT_LOCKED"
    with pytest.raises(Refusal) as exc:
        services.report_return(actor=rw.users["fin"], pk=report.pk, reason="晚了")
    assert exc.value.code == "TRANSITION_NOT_ALLOWED"
    assert exports.xlsx(report.frozen, report.frozen_sha256)[:2] == b"PK"
    actions = list(AuditEvent.objects.filter(object_id=str(report.pk), action__startswith="reports.")
                   .order_by("seq").values_list("action", flat=True))
    assert actions == ["reports.report.build", "reports.report.remarks", "reports.report.submit",
                       "reports.report.approve"]


@pytest.mark.django_db
def test_returned_goes_back_to_draft_with_its_reason_and_can_be_submitted_again(p003):
    rw = p003
    report = services.report_submit(actor=rw.users["mz_rev"], pk=_build(rw).pk)
    with pytest.raises(Refusal) as exc:
        services.report_return(actor=rw.users["fin"], pk=report.pk, reason="")
    assert exc.value.code == "REASON_REQUIRED"
    report = services.report_return(actor=rw.users["fin"], pk=report.pk, reason="失败金额与银行回单不符")
    assert report.state == "draft" and report.returned_reason == "失败金额与银行回单不符" and report.frozen is None
    report = services.report_remarks(actor=rw.users["mz_rev"], pk=report.pk, remarks="已核对")
    report = services.report_submit(actor=rw.users["mz_head"], pk=report.pk)
    assert report.state == "submitted" and report.returned_reason == ""


@pytest.mark.django_db
def test_four_eyes_the_submitter_does_not_approve_a_county_report(p003, make_user):
    rw = p003
    report = services.report_build(actor=rw.users["fin"], definition="003_county_monthly", period="2026-11",
                                   today=TODAY)
    assert report.due_on == dt.date(2026, 12, 7)  # the 5th of the next month is a Saturday
    report = services.report_submit(actor=rw.users["fin"], pk=report.pk)
    with pytest.raises(Refusal) as exc:
        services.report_approve(actor=rw.users["fin"], pk=report.pk)
    assert exc.value.code == "REPORT_SAME_PERSON"
    assert MonitoringReport.objects.get(pk=report.pk).state == "submitted"
    second = make_user("fin2", Role.FINANCE_REVIEWER)
    report = services.report_approve(actor=second, pk=report.pk)
    with pytest.raises(Refusal) as exc:  # sent up by the filing organization, not by another one
        services.report_send_up(actor=second, pk=report.pk)
    assert exc.value.code == "OUT_OF_SCOPE"
    report = services.report_send_up(actor=rw.users["fin"], pk=report.pk)
    assert report.state == "sent_up" and report.sent_up_at


@pytest.mark.django_db
def test_who_builds_what_the_profile_asks_for(p003, settings):
    rw = p003
    with pytest.raises(PermissionDenied) as exc:  # finance does not fill the department report
        _build(rw, user="fin")
    assert exc.value.code == "MONITORING_ROLE_NOT_ALLOWED"
    with pytest.raises(PermissionDenied) as exc:
        _build(rw, user="op")
    assert exc.value.code == "MONITORING_ROLE_NOT_ALLOWED"
    with pytest.raises(ValidationError) as exc:
        _build(rw, period="2026-12")  # a month not yet begun
    assert exc.value.code == "REPORT_PERIOD_INVALID"
    settings.YKT_PROFILE = "000"  # seed 000 asks for no report
    with pytest.raises(ValidationError) as exc:
        _build(rw)
    assert exc.value.code == "MONITORING_NOT_IN_PROFILE"
    assert definitions.specs() == ()


@pytest.mark.django_db
def test_scope_departments_see_their_own_finance_and_supervisors_the_county(p003, make_user):
    rw = p003
    report = _build(rw)
    assert list(selectors.reports_for(rw.users["fin"])) == [report]
    assert list(selectors.reports_for(rw.users["ny_rev"])) == []  # another department
    assert list(selectors.reports_for(rw.users["other_fin"])) == []  # another county
    assert list(selectors.reports_for(make_user("sup", Role.SUPERVISOR))) == [report]
    with pytest.raises(Http404):
        selectors.report_get(rw.users["ny_rev"], report.pk)
    with pytest.raises(PermissionDenied) as exc:
        selectors.reports_for(rw.users["op"])
    assert exc.value.code == "REPORT_READ_ROLE"


@pytest.mark.django_db
def test_deadlines_follow_each_profiles_day_on_the_working_day_calendar(db):
    assert definitions.due_date(REPORT_001_MONTHLY, 2026, 11) == dt.date(2026, 11, 25)
    assert definitions.due_date(REPORT_001_MONTHLY, 2026, 10) == dt.date(2026, 10, 26)  # the 25th is a Sunday
    assert definitions.due_date(REPORT_003_DEPARTMENT, 2026, 10) == dt.date(2026, 10, 28)
    assert definitions.due_date(REPORT_003_DEPARTMENT, 2026, 2) == dt.date(2026, 2, 28)  # a Saturday worked (春节调休)
    assert definitions.due_date(REPORT_003_DEPARTMENT, 2026, 3) == dt.date(2026, 3, 30)  # the 28th is a Saturday
    assert definitions.due_date(REPORT_003_COUNTY, 2026, 12) == dt.date(2027, 1, 5)  # next month, next year
    holiday_set(actor=None, date=dt.date(2026, 11, 25), is_workday=False, name="测试放假")
    assert definitions.due_date(REPORT_001_MONTHLY, 2026, 11) == dt.date(2026, 11, 26)


def _november(user, today):
    return [(s.code, due, overdue) for s, year, month, due, overdue in todo.due_reports(user, today)
            if (year, month) == (2026, 11)]


@pytest.mark.django_db
def test_todo_until_submitted_overdue_after_the_day(p003, settings):
    rw = p003
    dept = rw.users["mz_rev"]
    assert _november(dept, dt.date(2026, 11, 20)) == []  # ten days before the 30th: not yet
    assert _november(dept, dt.date(2026, 11, 26)) == [("003_department_monthly", dt.date(2026, 11, 30), False)]
    assert _november(dept, dt.date(2026, 12, 1)) == [("003_department_monthly", dt.date(2026, 11, 30), True)]
    assert [r[2] for r in todo.due_reports(dept, dt.date(2026, 11, 20))] == [10]  # October's: never built
    report = _build(rw)
    assert len(_november(dept, dt.date(2026, 12, 1))) == 1  # a draft is not submitted
    assert selectors.is_overdue(report, dt.date(2026, 12, 1))
    assert [r.pk for r in selectors.reports_for(rw.users["fin"], overdue=True, today=dt.date(2026, 12, 1))] == [report.pk]
    services.report_submit(actor=dept, pk=report.pk)
    assert _november(dept, dt.date(2026, 12, 1)) == []
    # November's county report is due 7 December (the 5th is a Saturday)
    assert _november(rw.users["fin"], dt.date(2026, 12, 3)) == [("003_county_monthly", dt.date(2026, 12, 7), False)]
    assert todo.due_reports(rw.users["op"], dt.date(2026, 12, 1)) == []
    settings.YKT_PROFILE = "001"
    assert _november(rw.users["fin"], dt.date(2026, 11, 24)) == [("001_monthly", dt.date(2026, 11, 25), False)]


@pytest.mark.django_db
def test_demo_leaves_one_submitted_and_one_draft_report_per_definition(p003, settings):
    import io

    from yikatong.reports import demo

    demo.build("141024", size=0, stdout=io.StringIO())
    demo.build("141024", size=0, stdout=io.StringIO())  # idempotent
    states = sorted(MonitoringReport.objects.values_list("definition", "state"))
    assert states == [("003_county_monthly", "draft"), ("003_county_monthly", "submitted"),
                      ("003_department_monthly", "draft"), ("003_department_monthly", "submitted")]
    settings.YKT_PROFILE = "004"  # seed 004 asks for no report: nothing more
    demo.build("141024", size=0, stdout=io.StringIO())
    assert MonitoringReport.objects.count() == 4
