"""Publishing by the system (disclosure.publish_auto): a registered notice goes online at once; a result list
still unpublished when the profile's deadline arrives (seed 001: 5 working days after the bank's answer, by the
working-day calendar) is published by the daily job, once, audited as 系统."""
import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.support.scenarios import PHONE, entered_notice_on, notice_window, pay_round
from yikatong.accounts.roles import Role
from yikatong.audit.models import AuditEvent
from yikatong.core.models import Holiday
from yikatong.core.profiles import get_profile
from yikatong.disclosure import publish
from yikatong.disclosure.models import PublishedList
from yikatong.disclosure.publish_auto import results_deadline, results_due, results_publish_due
from yikatong.jobs import services as jobs
from yikatong.jobs.models import RunState
from yikatong.policies.models import Policy
from yikatong.rosters import notices
from yikatong.rosters.importer.run import roster_import
from yikatong.rosters.models import Batch, BatchEvent
from yikatong.rosters.tests.files import good_rows, to_csv

pytestmark = pytest.mark.django_db

FRIDAY = datetime.date(2031, 1, 10)  # a year past the library's official data: weekends + Holiday rows
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def paid(pw, approved):
    """The approved batch paid (bank answered) on FRIDAY, under profile 001 (results within 5 working days)."""
    pay_round(approved, pw)
    Batch.objects.filter(pk=approved.pk).update(profile_code="001")
    BatchEvent.objects.filter(batch=approved, to_state__in=("paid", "partly_failed")).update(
        at=datetime.datetime.combine(FRIDAY, datetime.time(16, 30), SHANGHAI))
    pw.user("gkpub", "czj", Role.DISCLOSURE_ADMIN)
    return Batch.objects.get(pk=approved.pk)


def test_profile_001_states_the_deadline_as_data():
    assert get_profile("001").results_publish_working_days == 5
    assert get_profile("000").results_publish_working_days is None


def test_deadline_counts_working_days_over_weekend_and_holiday(paid):
    # Friday + 5 working days: Mon 13, Tue 14, Wed 15, Thu 16, Fri 17
    assert results_deadline(FRIDAY, "001") == datetime.date(2031, 1, 17)
    Holiday.objects.create(date=datetime.date(2031, 1, 14), is_workday=False, name="测试假日")
    deadline = results_deadline(FRIDAY, "001")
    assert deadline == datetime.date(2031, 1, 20)  # the holiday pushes it over the weekend to Monday
    assert results_due(datetime.date(2031, 1, 17)) == []
    assert results_due(datetime.date(2031, 1, 19)) == []  # Sunday: still within the deadline
    assert results_due(deadline) == [paid.pk]
    assert results_due(deadline + datetime.timedelta(days=3)) == [paid.pk]  # a missed day catches up
    assert results_deadline(FRIDAY, "000") is None


def test_due_result_list_is_published_once_as_the_system(paid):
    deadline = results_deadline(FRIDAY, "001")
    assert results_publish_due(today=deadline - datetime.timedelta(days=1)) == {"published": 0, "skipped": 0}
    assert results_publish_due(today=deadline) == {"published": 1, "skipped": 0}
    assert results_publish_due(today=deadline) == {"published": 0, "skipped": 0}  # a second run: nothing
    pl = PublishedList.objects.get(batch=paid, kind="result")
    assert pl.version == 1 and pl.published_by is None and pl.row_count == paid.item_count
    event = AuditEvent.objects.get(action="disclosure.list.publish", object_id=str(pl.pk))
    assert event.actor is None and event.actor_name == "系统" and "期限届满" in event.after["auto"]
    assert results_due(deadline) == []


def test_a_list_published_or_withdrawn_by_hand_is_left_alone(paid):
    deadline = results_deadline(FRIDAY, "001")
    pl = publish.list_publish(actor=paid_admin(paid), batch_id=paid.pk, kind="result")
    assert results_due(deadline) == []
    publish.list_withdraw(actor=paid_admin(paid), list_id=pl.pk, reason="回盘有误，核对后重新公开")
    assert results_publish_due(today=deadline) == {"published": 0, "skipped": 0}
    assert PublishedList.objects.filter(batch=paid, kind="result").count() == 1


def paid_admin(batch):
    from yikatong.accounts.models import User

    return User.objects.get(username="gkpub")


def test_no_deadline_in_the_profile_or_a_confidential_policy_is_never_due(paid):
    deadline = results_deadline(FRIDAY, "001")
    Batch.objects.filter(pk=paid.pk).update(profile_code="000")
    assert results_due(deadline + datetime.timedelta(days=30)) == []
    Batch.objects.filter(pk=paid.pk).update(profile_code="001")
    Policy.objects.filter(pk=paid.policy_id).update(confidential=True)
    assert results_due(deadline) == []


def test_the_daily_slot_publishes_what_is_due(paid, django_capture_on_commit_callbacks):
    BatchEvent.objects.filter(batch=paid, to_state__in=("paid", "partly_failed")).update(
        at=datetime.datetime(2026, 9, 1, 16, 0, tzinfo=SHANGHAI))  # `when` and the job read today: long past
    slot = datetime.datetime(2026, 12, 3, 6, 0, tzinfo=SHANGHAI)
    with django_capture_on_commit_callbacks(execute=True):
        run = jobs.schedule_slot_fire("results_publish", slot)
    run.refresh_from_db()
    assert run.state == RunState.DONE and "已自动公开 1 份" in run.message, run.message
    assert paid.code not in run.message
    assert PublishedList.objects.filter(batch=paid, kind="result").count() == 1


def test_a_registered_notice_goes_online_but_never_a_confidential_one(rw, batch):
    roster_import(actor=rw.users["zhan"], batch_id=batch.pk, data=to_csv(good_rows(2)), filename="清册.csv",
                  mode="all_or_nothing")
    Batch.objects.filter(pk=batch.pk).update(state="notice")
    start, _ = notice_window(5)
    entered_notice_on(batch, start)
    Policy.objects.filter(pk=batch.policy_id).update(confidential=True)
    notices.notice_record(actor=rw.users["zhan"], batch_id=batch.pk, level="village", start=start, working_days=5,
                          place="村委会公示栏", phone=PHONE)
    assert batch.notices.count() == 1 and not PublishedList.objects.filter(batch=batch).exists()
    Policy.objects.filter(pk=batch.policy_id).update(confidential=False)
    notices.notice_record(actor=rw.users["zhan"], batch_id=batch.pk, level="township", start=start, working_days=5,
                          place="镇政务公开栏", phone=PHONE)
    pl = PublishedList.objects.get(batch=batch)
    assert pl.kind == "notice" and pl.row_count == 2 and pl.published_by is None
