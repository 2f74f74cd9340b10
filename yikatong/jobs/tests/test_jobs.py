import pytest
from django.core.management import call_command
from django.db import transaction

from yikatong.audit.models import AuditEvent
from yikatong.jobs import services
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
    raise ValueError("第5行数据有误")


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
def test_failure_is_recorded_with_its_reason():
    job = services.enqueue(actor=None, kind="yikatong.jobs.tests.test_jobs.failing_job", title="失败", key="f")
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "第5行数据有误" in job.message


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


@pytest.mark.django_db
def test_interrupted_jobs_are_failed_when_a_worker_starts():
    job = Job.objects.create(key="k", kind=KIND, title="t", state=JobState.RUNNING)
    assert services.recover_interrupted() == 1
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "中断" in job.message
    again = services.enqueue(actor=None, kind=KIND, title="t", key="k")
    assert again.pk != job.pk
