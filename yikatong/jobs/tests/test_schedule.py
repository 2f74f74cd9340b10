"""Scheduled jobs: declared in settings.YKT_SCHEDULES, fired by each worker's scheduler, each slot
claimed by exactly one worker (ScheduleRun unique on name + slot time), failures on the page."""
import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils.module_loading import import_string

from tests.support.concurrency import race
from tests.support.env import as_user
from yikatong.accounts.roles import Role
from yikatong.jobs import scheduler, services
from yikatong.jobs.models import Job, JobState, RunState, ScheduleRun
from yikatong.jobs.registry import job_handler, resolve
from yikatong.jobs.schedule import Schedule, cron_in_words, declared

SH = ZoneInfo("Asia/Shanghai")
CALLS = []


@job_handler
def tick_job(job, progress):
    CALLS.append(job.params.get("n"))
    return "已处理 3 项", {"n": 3}


@job_handler
def boom_job(job, progress):
    raise RuntimeError("磁盘已满")


def nothing_waiting() -> bool:
    return False


TEST_SCHEDULES = {
    "tick": {"cron": "*/10 * * * *", "handler": "yikatong.jobs.tests.test_schedule.tick_job", "params": {"n": 7},
             "title": "测试任务", "description": "每十分钟"},
    "boom": {"cron": "0 2 * * *", "handler": "yikatong.jobs.tests.test_schedule.boom_job", "title": "会失败的任务"},
    "idle": {"cron": "0 * * * *", "handler": "yikatong.jobs.tests.test_schedule.tick_job",
             "when": "yikatong.jobs.tests.test_schedule.nothing_waiting", "title": "无事可做"},
}
SLOT = datetime.datetime(2026, 12, 3, 2, 0, tzinfo=SH)


@pytest.fixture
def schedules(db, settings):
    settings.YKT_SCHEDULES = TEST_SCHEDULES
    CALLS.clear()
    return declared()


def test_every_declared_schedule_names_a_job_handler_and_a_valid_cron():
    entries = declared()
    assert {"checks_sweep", "sms_deliver", "bank_inbox_collect", "deadline_scan"} <= set(entries)
    for entry in entries.values():
        assert resolve(entry.handler)  # a @job_handler, or this raises
        assert entry.next_slot() is not None
        if entry.when:
            assert callable(import_string(entry.when))
        assert entry.title and entry.description


def test_slots_and_cron_in_words():
    weekdays = Schedule("w", "30 7 * * 1-5", "h", "t")
    saturday = datetime.datetime(2026, 12, 5, 8, 0, tzinfo=SH)
    assert weekdays.next_slot(saturday) == datetime.datetime(2026, 12, 7, 7, 30, tzinfo=SH)  # Monday, not Tuesday
    assert weekdays.last_slot(saturday) == datetime.datetime(2026, 12, 4, 7, 30, tzinfo=SH)  # Friday
    every10 = Schedule("t", "*/10 * * * *", "h", "t")
    at = datetime.datetime(2026, 12, 3, 2, 10, 0, 300, tzinfo=SH)
    assert every10.last_slot(at) == datetime.datetime(2026, 12, 3, 2, 10, tzinfo=SH)
    assert every10.next_slot(at) == datetime.datetime(2026, 12, 3, 2, 20, tzinfo=SH)
    assert cron_in_words("0 2 * * *") == "每天 02:00"
    assert cron_in_words("*/10 * * * *") == "每 10 分钟"
    assert cron_in_words("30 7 * * 1-5") == "每周一至周五 07:30"
    assert cron_in_words("0 3 1 * *") == "每月 1 日 03:00"


def test_two_workers_firing_the_same_slot_run_it_once(schedules, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.schedule_slot_fire("tick", SLOT)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.schedule_slot_fire("tick", SLOT)
    assert first is not None and second is None
    run = ScheduleRun.objects.get(name="tick")
    assert run.slot_time == SLOT and run.state == RunState.DONE and run.message == "已处理 3 项"
    assert Job.objects.filter(kind="yikatong.jobs.tasks.scheduled_job").count() == 1
    assert run.job.state == JobState.DONE and CALLS == [7]  # the entry's params reach the handler


def test_the_scheduler_callback_of_two_workers_claims_the_due_slot_once(schedules):
    now = datetime.datetime(2026, 12, 3, 2, 10, 3, tzinfo=SH)  # fired 3 s after 02:10
    a = scheduler.fire("tick", now=now)
    b = scheduler.fire("tick", now=now + datetime.timedelta(seconds=1))  # the other worker, a second later
    assert a is not None and b is None
    assert list(ScheduleRun.objects.values_list("slot_time", flat=True)) == [SLOT + datetime.timedelta(minutes=10)]


@pytest.mark.django_db(transaction=True)
def test_a_real_race_of_four_workers_gives_one_run_and_one_job(settings):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock races need PostgreSQL (SQLite serialises every writer)")
    settings.YKT_SCHEDULES = TEST_SCHEDULES
    outcomes = race(4, lambda i: services.schedule_slot_fire("tick", SLOT))
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(o is not None for o in outcomes) == 1
    assert ScheduleRun.objects.filter(name="tick", slot_time=SLOT).count() == 1
    assert Job.objects.filter(kind="yikatong.jobs.tasks.scheduled_job").count() == 1


def test_a_failing_handler_is_recorded_and_shown_on_the_page(schedules, make_user, client,
                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the latest slot: the page lists 30 days of failures
        services.schedule_slot_fire("boom", schedules["boom"].last_slot())
    run = ScheduleRun.objects.get(name="boom")
    assert run.state == RunState.FAILED and "JOB_FAILED" in run.message and "磁盘" not in run.message
    assert run.job.state == JobState.FAILED and run.job.message == run.message  # one message, logged once
    admin = make_user("sched_admin", Role.SYSADMIN)
    page = as_user(client, admin).get("/jobs/schedules/")
    assert page.status_code == 200
    body = page.content.decode()
    assert f'data-failed="{run.pk}"' in body and 'data-state="failed"' in body
    assert "会失败的任务" in body and "每天 02:00" in body


def test_the_page_is_for_system_admins(schedules, make_user, client):
    clerk = make_user("sched_clerk", Role.FINANCE_REVIEWER)
    page = as_user(client, clerk).get("/jobs/schedules/")
    assert page.status_code == 403 and b"SCHEDULE_ADMIN_ONLY" in page.content
    api = client.get("/api/jobs/schedules")
    assert api.status_code == 403 and api.json()["code"] == "SCHEDULE_ADMIN_ONLY"


def test_the_api_answers_what_the_page_shows(schedules, make_user, client, django_capture_on_commit_callbacks):
    from yikatong.accounts.tokens import issue_api_token

    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_slot_fire("boom", schedules["boom"].last_slot())
    admin = make_user("sched_admin2", Role.SYSADMIN)
    answer = client.get("/api/jobs/schedules", HTTP_AUTHORIZATION=f"Bearer {issue_api_token(user=admin, name='t')}")
    assert answer.status_code == 200
    rows = {r["name"]: r for r in answer.json()}
    assert set(rows) == {"tick", "boom", "idle"}
    assert rows["boom"]["in_words"] == "每天 02:00" and rows["boom"]["last_run"]["state"] == "failed"
    assert len(rows["boom"]["failures"]) == 1 and "JOB_FAILED" in rows["boom"]["failures"][0]["message"]
    assert rows["tick"]["last_run"] is None and rows["tick"]["next_run"]


def test_next_run_and_a_run_whose_job_failed_after_its_runner_died(schedules):
    run = services.schedule_slot_fire("tick", SLOT)
    Job.objects.filter(pk=run.job_id).update(state=JobState.FAILED, message="任务被中断")
    from yikatong.jobs.selectors import schedules_overview

    rows = {r["entry"].name: r for r in schedules_overview(now=SLOT + datetime.timedelta(minutes=1))}
    assert rows["tick"]["last_outcome"][0] == RunState.FAILED and rows["tick"]["last_outcome"][2] == "任务被中断"
    assert rows["tick"]["next"] == SLOT + datetime.timedelta(minutes=10)
    assert rows["boom"]["last"] is None and rows["boom"]["next"] == SLOT + datetime.timedelta(days=1)


def test_nothing_to_do_or_the_previous_run_still_going_is_skipped_without_a_job(schedules):
    idle = services.schedule_slot_fire("idle", SLOT)
    assert idle.state == RunState.SKIPPED and idle.job is None
    first = services.schedule_slot_fire("tick", SLOT)  # queued (its job not run: nothing commits here)
    later = services.schedule_slot_fire("tick", SLOT + datetime.timedelta(minutes=10))
    assert first.job.state == JobState.QUEUED
    assert later.state == RunState.SKIPPED and later.job is None and "尚未结束" in later.message


def test_an_undeclared_schedule_is_recorded_as_failed(schedules):
    run = services.schedule_slot_fire("gone", SLOT)
    assert run.state == RunState.FAILED and "SCHEDULE_UNKNOWN" in run.message


def test_a_restarted_worker_runs_a_missed_slot_within_the_grace_once(schedules, settings):
    settings.YKT_SCHEDULE_GRACE_SECONDS = 1800
    now = datetime.datetime(2026, 12, 3, 2, 25, tzinfo=SH)  # 02:20 (tick) missed; 02:00 (boom) 25 min ago
    runs = scheduler.catch_up(now=now)
    assert sorted((r.name, r.slot_time) for r in runs) == [
        ("boom", SLOT), ("idle", SLOT), ("tick", datetime.datetime(2026, 12, 3, 2, 20, tzinfo=SH))]
    assert scheduler.catch_up(now=now + datetime.timedelta(minutes=1)) == []  # a restart: nothing twice
    later = datetime.datetime(2026, 12, 3, 3, 5, tzinfo=SH)  # boom's slot is now beyond the grace
    assert [r.name for r in scheduler.catch_up(now=later)] == ["tick", "idle"]
    assert ScheduleRun.objects.filter(name="boom").count() == 1


def test_the_worker_scheduler_has_one_coalescing_job_per_entry(schedules):
    s = scheduler.build()
    jobs = {j.id: j for j in s.get_jobs()}
    assert set(jobs) == {"tick", "boom", "idle"}
    assert all(j.coalesce and j.max_instances == 1 and j.misfire_grace_time == django_settings.YKT_SCHEDULE_GRACE_SECONDS
               for j in jobs.values())
    assert jobs["tick"].kwargs == {"own_connection": True}


@pytest.mark.django_db(transaction=True)
def test_two_real_schedulers_firing_together_claim_the_slot_once(settings, monkeypatch):
    """Two workers' APScheduler instances, both told to fire now: one ScheduleRun, one job."""
    import time

    from django.utils import timezone

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers on separate connections need PostgreSQL")
    settings.YKT_SCHEDULES = {"tick": TEST_SCHEDULES["tick"]}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # queued, not run
    fired, real_fire = [], scheduler.fire
    monkeypatch.setattr(scheduler, "fire", lambda *a, **kw: fired.append(real_fire(*a, **kw)))
    workers = [scheduler.build(), scheduler.build()]
    try:
        for s in workers:
            s.start(paused=True)
            s.modify_job("tick", next_run_time=timezone.now())
        for s in workers:
            s.resume()
        deadline = time.monotonic() + 20
        while len(fired) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        for s in workers:
            s.shutdown(wait=True)
    assert len(fired) == 2 and sum(run is not None for run in fired) == 1  # both fired, one won
    assert ScheduleRun.objects.filter(name="tick").count() == 1
    assert Job.objects.filter(kind="yikatong.jobs.tasks.scheduled_job").count() == 1


def test_the_worker_starts_the_schedule_unless_told_not_to(schedules, monkeypatch):
    import io

    from django.core.management import call_command

    from yikatong.jobs.management.commands import worker

    seen = []
    monkeypatch.setattr(worker, "call_command", lambda *a, **kw: seen.append(a[0]))
    monkeypatch.setattr(scheduler, "catch_up", lambda **kw: [])
    out = io.StringIO()
    call_command("worker", "--schedule", stdout=out)
    assert "定时任务已启动：3 项" in out.getvalue() and seen == ["db_worker"]
    out = io.StringIO()
    call_command("worker", "--no-schedule", stdout=out)
    assert "定时任务" not in out.getvalue()
