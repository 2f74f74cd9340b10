from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.db import transaction

from yikatong.audit.models import AuditEvent
from yikatong.jobs import lease, services
from yikatong.jobs.models import Job, JobState, WorkerHeartbeat
from yikatong.jobs.registry import job_handler

CALLS = []


@job_handler
def counting_job(job, progress):
    CALLS.append(job.pk)
    for i in range(1, 4):
        progress(i, 3)
    return "完成 3 项", {"n": 3}


@job_handler
def failing_job(job, progress):
    raise ValueError("第5行数据有误 " + "1410241950" + "0101001X")  # the log must not hold it


@job_handler
def refusing_job(job, progress):
    from yikatong.core.refusals import Refusal

    raise Refusal("IMPORT_FAILED", ref="abc123")


def not_a_job(job, progress):  # not marked: must be refused
    return "", None


KIND = "yikatong.jobs.tests.test_jobs.counting_job"


@pytest.fixture(autouse=True)
def _reset():
    CALLS.clear()


@pytest.mark.django_db(transaction=True)
def test_enqueue_runs_on_commit_with_progress():
    with transaction.atomic():
        job = services.enqueue(actor=None, kind=KIND, title="测试", key="t1")
        assert CALLS == []  # nothing runs before the commit
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.done == 3 and job.total == 3 and job.percent == 100
    assert job.result == {"n": 3} and CALLS == [job.pk]
    assert AuditEvent.objects.filter(action="jobs.done", object_id=str(job.pk)).exists()


@pytest.mark.django_db(transaction=True)
def test_running_twice_does_not_redo_a_finished_job():
    job = services.enqueue(actor=None, kind=KIND, title="测试", key="t2")
    services.run(job.pk)
    services.run(job.pk)
    assert CALLS == [job.pk]


@pytest.mark.django_db
def test_same_key_is_not_queued_twice_while_active(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    a = services.enqueue(actor=None, kind=KIND, title="测试", key="same")
    b = services.enqueue(actor=None, kind=KIND, title="测试", key="same")
    assert a.pk == b.pk and Job.objects.filter(key="same").count() == 1


@pytest.mark.django_db(transaction=True)
def test_failure_is_recorded_with_its_reason(caplog):
    """A refusal says itself (with its code); any other exception is a generic message with a
    reference id - its text (which may quote personal data) reaches neither the user nor the log."""
    job = services.enqueue(actor=None, kind="yikatong.jobs.tests.test_jobs.failing_job", title="失败", key="f")
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "JOB_FAILED" in job.message and "第5行" not in job.message
    ref = job.message.split("参考编号 ")[1][:12]
    assert f"[ref {ref}]" in caplog.text and "ValueError" in caplog.text and "14102419500101001X" not in caplog.text
    job = services.enqueue(actor=None, kind="yikatong.jobs.tests.test_jobs.refusing_job", title="拒绝", key="r")
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "IMPORT_FAILED" in job.message and "abc123" in job.message


@pytest.mark.django_db
def test_unmarked_functions_and_foreign_modules_are_refused():
    with pytest.raises(ValueError):
        services.enqueue(actor=None, kind="yikatong.jobs.tests.test_jobs.not_a_job", title="x", key="x")
    with pytest.raises(ValueError):
        services.enqueue(actor=None, kind="os.system", title="x", key="y")
    assert Job.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_database_queue_and_worker_command(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # the settings fixture fires setting_changed, which makes django-tasks rebuild its backends
    job = services.enqueue(actor=None, kind=KIND, title="队列", key="q")
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.task_result_id
    call_command("worker", "--batch")
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert not WorkerHeartbeat.objects.exists()  # removed when the worker stops


def _running(key="k", *, owner="elsewhere:1:1", lease_delta=-5, attempts=1, task_result_id=""):
    return Job.objects.create(key=key, kind=KIND, title="t", state=JobState.RUNNING, attempts=attempts,
                              lease_owner=owner, lease_until=timezone.now() + timedelta(seconds=lease_delta),
                              task_result_id=task_result_id)


@pytest.mark.django_db
def test_interrupted_job_with_lapsed_lease_is_queued_again(django_capture_on_commit_callbacks):
    job = _running(attempts=1)
    with django_capture_on_commit_callbacks() as sent:
        assert services.recover_interrupted() == 1
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and "重新排队" in job.message and job.lease_owner == ""
    assert len(sent) == 1  # a new task is sent once the recovery commits
    assert AuditEvent.objects.filter(action="jobs.requeued", object_id=str(job.pk)).exists()
    assert services.enqueue(actor=None, kind=KIND, title="t", key="k").pk == job.pk  # still the active one


@pytest.mark.django_db(transaction=True)
def test_requeued_job_runs_again_and_finishes():
    job = _running(attempts=1)
    assert services.recover_interrupted() == 1
    job.refresh_from_db()  # the immediate backend ran it on commit
    assert job.state == JobState.DONE and job.attempts == 2 and CALLS == [job.pk] and job.lease_until is None


@pytest.mark.django_db
def test_interrupted_job_fails_after_max_attempts(settings):
    settings.YKT_JOB_MAX_ATTEMPTS = 3
    job = _running(attempts=3)
    assert services.recover_interrupted() == 1
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "中断" in job.message and "3 次" in job.message
    assert job.finished_at is not None
    again = services.enqueue(actor=None, kind=KIND, title="t", key="k")
    assert again.pk != job.pk


@pytest.mark.django_db
def test_job_without_lease_is_taken_back():
    job = Job.objects.create(key="k", kind=KIND, title="t", state=JobState.RUNNING)  # e.g. from before leases
    assert services.recover_interrupted() == 1
    job.refresh_from_db()
    assert job.state == JobState.QUEUED


@pytest.mark.django_db
def test_running_job_with_a_valid_lease_is_left_alone():
    job = _running(lease_delta=+30)
    assert services.recover_interrupted() == 0
    job.refresh_from_db()
    assert job.state == JobState.RUNNING


@pytest.mark.django_db
def test_dead_local_runner_is_detected_before_its_lease_lapses():
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()  # a process of this host that is gone
    owner = f"{lease.owner_id().split(':')[0]}:{proc.pid}:"
    assert lease.owner_alive(owner) is False
    job = _running(owner=owner, lease_delta=+30)
    assert services.recover_interrupted() == 1
    job.refresh_from_db()
    assert job.state == JobState.QUEUED


@pytest.mark.django_db
def test_live_local_runner_is_never_doubled_even_if_it_could_not_renew():
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        owner = f"{lease.owner_id().split(':')[0]}:{proc.pid}:{lease._start_time(proc.pid)}"
        job = _running(owner=owner, lease_delta=-30)  # another process of this host, alive
        assert services.recover_interrupted() == 0
        job.refresh_from_db()
        assert job.state == JobState.RUNNING
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.django_db
def test_own_job_is_taken_back_only_when_this_process_no_longer_runs_it():
    job = _running(owner=lease.owner_id(), lease_delta=-30, attempts=1)
    with lease.Heartbeat(job.pk, lease.owner_id(), 1):  # running it now (e.g. renewal blocked)
        assert services.recover_interrupted() == 0
    assert services.recover_interrupted() == 1  # its outcome was never written: taken back
    job.refresh_from_db()
    assert job.state == JobState.QUEUED


def test_reused_process_id_is_not_the_dead_runner():
    host, pid, start = lease.owner_id().split(":")
    assert lease.owner_alive(f"{host}:{pid}:{start}") is True
    if start:  # /proc available: same pid, other start time = a newer process
        assert lease.owner_alive(f"{host}:{pid}:{int(start) - 1}") is False
    assert lease.owner_alive(f"other-host:{pid}:{start}") is None


@pytest.mark.django_db
def test_duplicate_delivery_does_not_start_a_running_job():
    job = _running(lease_delta=+30)
    services.run(job.pk)
    assert CALLS == []


@pytest.mark.django_db(transaction=True)
def test_outcome_not_written_when_the_lease_was_taken_back():
    @job_handler
    def stalled(job, progress):  # meanwhile the job was taken back and given to another run
        Job.objects.filter(pk=job.pk).update(state=JobState.QUEUED, lease_owner="")
        return "迟到的结果", None

    import sys
    sys.modules[__name__].stalled_job = stalled
    job = Job.objects.create(key="s", kind=f"{__name__}.stalled_job", title="t")
    services.run(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.message != "迟到的结果"


@pytest.mark.django_db
def test_stale_task_result_of_the_dead_run_is_closed():
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    task = DBTaskResult.objects.create(status=TaskResultStatus.RUNNING, args_kwargs={"args": [1], "kwargs": {}},
                                       task_path="yikatong.jobs.tasks.run_job_task", backend_name="default",
                                       run_after=timezone.now())
    _running(task_result_id=str(task.id))
    services.recover_interrupted()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED


@pytest.mark.django_db
def test_queued_job_whose_task_was_never_sent_is_sent_again(django_capture_on_commit_callbacks):
    """The process died between the commit that queued the job and the sending of its task."""
    job = Job.objects.create(key="o", kind=KIND, title="t")
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    fresh = Job.objects.create(key="f", kind=KIND, title="t")  # its sender may still be committing
    with django_capture_on_commit_callbacks(execute=True):
        assert services.recover_interrupted() == 1
    job.refresh_from_db()
    fresh.refresh_from_db()
    assert job.state == JobState.DONE and CALLS == [job.pk] and fresh.state == JobState.QUEUED


@pytest.mark.django_db
def test_health_tells_of_jobs_nobody_took_back():
    from yikatong.jobs.selectors import worker_state

    assert "lapsed_jobs" not in worker_state()
    _running(lease_delta=-600)
    state = worker_state()
    assert state["lapsed_jobs"] == 1 and "租约已过期" in state["detail"]


SEEN = {}


@job_handler
def slow_job(job, progress):
    import time

    first = Job.objects.get(pk=job.pk).lease_until
    progress(1, 2, "一半")
    time.sleep(2.5)
    row = Job.objects.get(pk=job.pk)
    SEEN.update(done=row.done, total=row.total, first=first, later=row.lease_until)
    return "完成", None


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_while_running_and_the_lease_is_renewed(settings):
    from django.db import connection

    settings.YKT_JOB_LEASE_SECONDS = 3
    job = services.enqueue(actor=None, kind="yikatong.jobs.tests.test_jobs.slow_job", title="慢", key="slow")
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.lease_until is None
    assert (SEEN["done"], SEEN["total"]) == (1, 2)  # written while the handler was still running
    if not connection.vendor == "sqlite":  # the in-memory test database has no second connection
        assert SEEN["later"] > SEEN["first"]  # renewed by the heartbeat
