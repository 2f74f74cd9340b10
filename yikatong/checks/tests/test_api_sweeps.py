"""The full sweep through the API (issue 17): sweep_start's role and region check (403 SWEEP_NOT_ALLOWED),
the input codes, 202 with the job (its enqueueing audited); the job runs the same sweep_run."""
import pytest

from tests.support.api import bearer, call
from yikatong.audit.models import AuditEvent
from yikatong.jobs.models import Job

pytestmark = pytest.mark.django_db


def test_sweep_start(client, rw, planted, django_capture_on_commit_callbacks):
    denied = call(client, "post", "/api/checks/sweeps", bearer(rw.users["zhan"]), {"year": "2026"})
    assert denied.status_code == 403 and denied.json()["code"] == "SWEEP_NOT_ALLOWED"
    bad = call(client, "post", "/api/checks/sweeps", bearer(rw.users["fin"]), {"engine": "excel"})
    assert bad.status_code == 400 and bad.json()["code"] == "SWEEP_ENGINE_UNKNOWN"
    bad = call(client, "post", "/api/checks/sweeps", bearer(rw.users["fin"]), {"year": "26"})
    assert bad.status_code == 400 and bad.json()["code"] == "SWEEP_YEAR_INVALID"
    assert not Job.objects.filter(kind="yikatong.checks.tasks.sweep_job").exists()
    with django_capture_on_commit_callbacks(execute=True):
        started = call(client, "post", "/api/checks/sweeps", bearer(rw.users["fin"]), {"year": "2026", "engine": "db"})
    assert started.status_code == 202, started.content
    job = Job.objects.get(pk=started.json()["job"])
    assert job.kind == "yikatong.checks.tasks.sweep_job"
    # no region asked: the caller's own county, never every county
    assert job.params == {"year": "2026", "engine": "db", "region_prefix": rw.users["fin"].scope_prefix}
    assert AuditEvent.objects.filter(action="jobs.enqueue", object_id=str(job.pk)).exists()
    job.refresh_from_db()
    assert job.state == "done" and job.result["hits"] > 0


def test_sweep_of_another_county_is_refused(client, rw, regions):
    other = regions["other_county"].code
    refused = call(client, "post", "/api/checks/sweeps", bearer(rw.users["fin"]), {"region": other})
    assert refused.status_code == 403 and refused.json()["code"] == "SWEEP_REGION_NOT_IN_SCOPE"
    unknown = call(client, "post", "/api/checks/sweeps", bearer(rw.users["fin"]), {"region": "999999"})
    assert unknown.status_code == 400 and unknown.json()["code"] == "REGION_UNKNOWN"
    assert not Job.objects.filter(kind="yikatong.checks.tasks.sweep_job").exists()
