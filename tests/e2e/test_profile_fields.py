"""Issue 14: profile fields read where they matter. Each test changes one field of a profile (data, via
PROFILES or settings.YKT_PROFILE) and shows the behaviour changes with it."""
import dataclasses
import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.support.scenarios import do
from yikatong.accounts.roles import Role
from yikatong.core.profiles import PROFILES
from yikatong.core.refusals import Refusal
from yikatong.funds.models import FundQuota
from yikatong.payments import bans
from yikatong.payments.clearing import quota_clear
from yikatong.reports import services as report_services, todo as report_todo
from yikatong.rosters import flows
from yikatong.rosters.errors import TransitionRefused
from yikatong.rosters.importer.run import roster_import
from yikatong.rosters.tests.files import good_rows, to_csv
from yikatong.web.todo import todos_for


def _with(monkeypatch, code, **changes):
    monkeypatch.setitem(PROFILES, code, dataclasses.replace(PROFILES[code], **changes))
    return PROFILES[code]


# --- finance_office_compares_before_review ------------------------------------------------------------

def test_comparison_step_is_in_the_table_only_where_the_profile_says():
    for code in ("000", "001", "002", "003"):
        assert flows.find(PROFILES[code], "comparing", "compare_pass") is not None
    off = dataclasses.replace(PROFILES["000"], finance_office_compares_before_review=False)
    assert flows.find(off, "draft", "send_compare") is None
    assert not any(tr.source == "comparing" or tr.target == "comparing" for tr in flows.transitions_for(off))
    assert flows.find(off, "draft", "submit").target == "dept_review"
    verify_off = dataclasses.replace(PROFILES["001"], finance_office_compares_before_review=False)
    assert flows.find(verify_off, "draft_verified", "submit").target == "dept_review"


@pytest.mark.django_db
def test_without_the_finance_office_comparison_the_station_submits_straight_to_the_department(
        rw, batch, monkeypatch):
    roster_import(actor=rw.users["zhan"], batch_id=batch.pk, data=to_csv(good_rows(3)), filename="清册.csv",
                  mode="all_or_nothing")
    with pytest.raises(TransitionRefused) as exc:  # profile 000 as its seed says: the finance office compares first
        do(batch, rw.users["zhan"], "submit")
    assert exc.value.code == "TRANSITION_NOT_ALLOWED"
    _with(monkeypatch, batch.profile_code, finance_office_compares_before_review=False)
    with pytest.raises(TransitionRefused) as exc:
        do(batch, rw.users["zhan"], "send_compare")
    assert exc.value.code == "TRANSITION_NOT_ALLOWED"
    assert do(batch, rw.users["zhan"], "submit").state == "dept_review"


# --- year_end_clearing --------------------------------------------------------------------------------

@pytest.mark.django_db
def test_year_end_clearing_only_where_the_profile_has_it(rw, settings):
    quota = FundQuota.objects.get(doc_number="洪财社〔2026〕1号")
    settings.YKT_PROFILE = "000"
    with pytest.raises(Refusal) as exc:
        quota_clear(actor=rw.users["fin"], quota_id=quota.pk)
    assert exc.value.code == "CLEARING_NOT_IN_PROFILE"
    settings.YKT_PROFILE = "004"  # seed 004 §四: 年底清算，结余资金收回
    assert quota_clear(actor=rw.users["fin"], quota_id=quota.pk).recovered_fen == quota.received_fen


# --- bans ---------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_only_the_bans_the_profile_lists_apply(pw, approved, monkeypatch):
    from yikatong.rosters.models import BatchItem

    BatchItem.objects.filter(pk=approved.items.order_by("seq").first().pk).update(account_holder="王五")
    assert PROFILES[approved.profile_code].bans == ()  # seed 000 lists no bans
    assert bans.breaches(approved) == []
    _with(monkeypatch, approved.profile_code, bans=(bans.CASH,))
    assert bans.breaches(approved) == []  # someone else's account is not a cash payment
    _with(monkeypatch, approved.profile_code, bans=PROFILES["004"].bans)
    found = bans.breaches(approved)
    assert [(b.seq, b.ban) for b in found] == [(1, bans.OTHERS_ACCOUNT)]


# --- monitoring_reports -------------------------------------------------------------------------------

def _monitoring(user, month=11):
    return [t for t in todos_for(user) if t.category == "资金监测" and f"年{month}月，" in t.title]


@pytest.mark.django_db
def test_monthly_monitoring_reports_are_todos_until_submitted_by_the_profiles_day(world, settings, monkeypatch):
    fin, dept = world.users["fin"], world.users["mz_rev"]
    today = datetime.date(2026, 11, 25)
    monkeypatch.setattr(report_todo.timezone, "localdate", lambda: today)
    settings.YKT_PROFILE = "000"  # no monthly report in seed 000
    assert _monitoring(fin) == [] and _monitoring(dept) == []
    with pytest.raises(ValidationError) as exc:
        report_services.report_build(actor=fin, definition="001_monthly", period="2026-11", today=today)
    assert exc.value.code == "MONITORING_NOT_IN_PROFILE"
    settings.YKT_PROFILE = "001"  # seed 001 §六(二): 《月监测表》于每月末25日前上报
    [todo] = _monitoring(fin)
    assert todo.due == datetime.date(2026, 11, 25) and not todo.overdue
    assert _monitoring(dept) == []  # 001's report is the county's
    settings.YKT_PROFILE = "003"  # seed 003 §五(一): departments on the 28th, the county by the 5th
    assert _monitoring(fin) == []  # November's county report is due in December
    [todo] = _monitoring(dept)
    assert todo.due == datetime.date(2026, 11, 30)  # the 28th is a Saturday: the next working day
    today = datetime.date(2026, 12, 1)
    [todo] = _monitoring(dept)
    assert todo.overdue and "逾期" in todo.title
    assert _monitoring(world.users["op"]) == []  # a township operator does not file it
    report = report_services.report_build(actor=dept, definition="003_department_monthly", period="2026-11",
                                          today=today)
    assert len(_monitoring(dept)) == 1  # built but not submitted
    report_services.report_submit(actor=dept, pk=report.pk)
    assert _monitoring(dept) == []
    with pytest.raises(Refusal) as exc:
        report_services.report_build(actor=dept, definition="003_department_monthly", period="2026-11", today=today)
    assert exc.value.code == "REPORT_LOCKED"
    today = datetime.date(2026, 12, 2)
    [todo] = _monitoring(fin)  # December: the county's November report, due the 7th (the 5th is a Saturday)
    assert todo.due == datetime.date(2026, 12, 7) and not todo.overdue
