"""`yikatong checks sweep --region … --as …` (checks/management/commands/checks.py)."""
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yikatong.audit.models import AuditEvent
from yikatong.checks.models import RuleRun
from yikatong.jobs.models import Job

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("checks", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_sweep_of_a_county_runs_over_its_batches_as_the_user(rw, batch):
    out = run("sweep", "--region", "141024", "--engine", "db", "--as", "fin", "--wait")
    assert "全量比对完成" in out
    job = Job.objects.get(kind="yikatong.checks.tasks.sweep_job")
    assert job.owner == rw.users["fin"] and job.params["region_prefix"] == "141024"
    assert AuditEvent.objects.filter(action="jobs.enqueue", actor=rw.users["fin"]).exists()
    assert RuleRun.objects.filter(scope="sweep").count() == 1


def test_sweep_of_another_county_is_refused_with_its_code(rw, batch):
    with pytest.raises(CommandError, match=r"\[SWEEP_REGION_NOT_IN_SCOPE\]"):
        run("sweep", "--region", "140702", "--as", "fin")
    assert not Job.objects.filter(kind="yikatong.checks.tasks.sweep_job").exists()


def test_sweep_by_a_role_that_may_not_is_refused(rw, batch):
    with pytest.raises(CommandError, match=r"\[SWEEP_NOT_ALLOWED\]"):
        run("sweep", "--region", "141024", "--as", "zhan")


def test_sweep_with_an_unknown_user(rw):
    with pytest.raises(CommandError, match=r"\[CLI_ACTOR_UNKNOWN\]"):
        run("sweep", "--region", "141024", "--as", "ghost")


def test_sweep_restricted_to_a_region_leaves_other_batches_out(rw, batch, regions, monkeypatch):
    from tests.support.factories import clone_batch
    from yikatong.checks import services

    other = clone_batch(batch, regions["town2"], "T2")
    seen = {}
    monkeypatch.setattr(services, "_run", lambda **kw: seen.setdefault("ids", {b.pk for b in kw["batches"]}))
    services.sweep_run(actor=None, engine="db", region_prefix="141024100")
    assert seen.pop("ids") == {batch.pk}
    services.sweep_run(actor=None, engine="db", region_prefix="141024")
    assert seen.pop("ids") == {batch.pk, other.pk}
