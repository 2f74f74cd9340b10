"""Issue 19: a page's action is one service that owns its transaction (the view opens none)."""
import datetime

import pytest
from django.utils import timezone

from tests.support.scenarios import PHONE, PNG
from yikatong.jobs.models import Job
from yikatong.rosters import notices, services
from yikatong.rosters.errors import RosterError
from yikatong.rosters.models import Attachment, Batch, ImportRun, Notice

from .files import good_rows, to_csv

pytestmark = pytest.mark.django_db


def _notice(rw, batch, start, **extra):
    return notices.notice_record_with_proof(
        actor=rw.users["zhan"], batch_id=batch.pk, level="village", start=start, working_days=5,
        place="村委会公示栏", phone=PHONE, **extra)


def test_a_refused_notice_leaves_no_photo_behind(rw, batch):
    Batch.objects.filter(pk=batch.pk).update(state="notice")
    backdated = timezone.localdate() - datetime.timedelta(days=3)
    with pytest.raises(RosterError) as refused:
        _notice(rw, batch, backdated, proof_name="公示.png", proof_data=PNG)
    assert refused.value.code == "NOTICE_BACKDATED"
    assert not Attachment.objects.exists() and not Notice.objects.exists()


def test_a_notice_with_its_photo_is_recorded_together(rw, batch):
    Batch.objects.filter(pk=batch.pk).update(state="notice")
    notice = _notice(rw, batch, timezone.localdate(), proof_name="公示.png", proof_data=PNG)
    assert notice.proof is not None and notice.proof.kind == "notice_photo" and notice.proof.batch_id == batch.pk


def test_a_notice_without_a_photo_stores_none(rw, batch):
    Batch.objects.filter(pk=batch.pk).update(state="notice")
    assert _notice(rw, batch, timezone.localdate()).proof_id is None
    assert not Attachment.objects.exists()


def test_start_import_keeps_the_file_and_links_its_job(rw, batch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as sent:
        run = services.roster_import_start(actor=rw.users["zhan"], batch_id=batch.pk, data=to_csv(good_rows(2)),
                                    filename="清册.csv", mode="all_or_nothing")
    run = ImportRun.objects.get(pk=run.pk)
    assert run.job is not None and run.job.params == {"run_id": run.pk}
    assert Job.objects.get(pk=run.job_id).key == f"rosters.import:{run.pk}"
    assert len(sent) == 1  # the job is sent once the import is committed


def test_start_import_is_one_transaction(rw, batch, monkeypatch):
    """A job that cannot be queued leaves no staged file behind."""
    from yikatong.jobs import services as job_services

    def refuse(**kwargs):
        raise RosterError("JOB_REFUSED", message="不能排队")

    monkeypatch.setattr(job_services, "enqueue", refuse)
    with pytest.raises(RosterError):
        services.roster_import_start(actor=rw.users["zhan"], batch_id=batch.pk, data=to_csv(good_rows(2)),
                              filename="清册.csv", mode="all_or_nothing")
    assert not ImportRun.objects.exists() and not Job.objects.exists()
