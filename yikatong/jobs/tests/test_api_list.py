"""The job list of the API (issue 17): the caller's own jobs only, as on the jobs page."""
import pytest

from tests.support.api import bearer, call
from yikatong.jobs import services

pytestmark = pytest.mark.django_db


def test_job_list_is_the_callers(client, world):
    mine = services.enqueue(actor=world.users["fin"], kind="yikatong.web.tasks.verify_job", title="审计链完整性校验",
                            key="t:1")
    services.enqueue(actor=world.users["other_fin"], kind="yikatong.web.tasks.verify_job", title="审计链完整性校验",
                     key="t:2")
    resp = call(client, "get", "/api/jobs/", bearer(world.users["fin"]))
    assert resp.status_code == 200, resp.content
    assert [j["id"] for j in resp.json()] == [mine.pk]
    assert client.get("/api/jobs/").status_code == 401
