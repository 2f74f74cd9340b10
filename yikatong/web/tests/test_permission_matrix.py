"""Permission matrix: anonymous / wrong role / wrong region / right role; refusals change nothing."""
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.support.env import login as _client_for
from yikatong.accounts import services
from yikatong.accounts.models import Organization, OrgKind, User
from yikatong.accounts.roles import Role
from yikatong.audit.models import AuditEvent
from yikatong.jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def actors(make_user, regions):
    return {
        "anonymous": None,
        "wrong_role": make_user("op", Role.TOWNSHIP_OPERATOR, region=regions["town1"], kind=OrgKind.TOWNSHIP_STATION),
        "wrong_region": make_user("admin_other", Role.SYSADMIN, Role.SUPERVISOR, region=regions["other_county"]),
        "right": make_user("admin", Role.SYSADMIN, Role.SUPERVISOR),
    }


def _snapshot():
    return (User.objects.count(), Job.objects.count(), AuditEvent.objects.exclude(action__startswith="accounts.login").count())


@pytest.mark.parametrize("who,expected", [("anonymous", 302), ("wrong_role", 403), ("wrong_region", 302), ("right", 302)])
def test_start_audit_verification(client, actors, who, expected):
    before = _snapshot()
    resp = _client_for(client, actors[who]).post(reverse("audit_verify"))
    assert resp.status_code == expected
    if who == "anonymous":
        assert resp["Location"].startswith("/login/")
    if who in ("anonymous", "wrong_role"):
        assert _snapshot() == before
    else:  # the audit chain is global; supervisors of any county may verify it
        assert Job.objects.count() == before[1] + 1


@pytest.mark.parametrize("who", ["anonymous", "wrong_role", "wrong_region", "right"])
def test_user_list_is_scoped(client, actors, who):
    resp = _client_for(client, actors[who]).get(reverse("users"))
    if who == "anonymous":
        assert resp.status_code == 302
        return
    if who == "wrong_role":
        assert resp.status_code == 403
        return
    body = resp.content.decode()
    assert resp.status_code == 200
    assert ("<td>op</td>" in body) is (who == "right")
    assert ("<td>admin_other</td>" in body) is (who == "wrong_region")


@pytest.mark.parametrize("who", ["wrong_role", "wrong_region", "right"])
def test_create_user_service(actors, regions, who):
    org = Organization.objects.create(name="甘亭镇民政办", kind=OrgKind.TOWNSHIP_STATION, region=regions["town2"], code="X1")
    before = _snapshot()
    kwargs = dict(username="newbie", password="Good-pass-77", full_name="新人", organization=org, roles=[Role.TOWNSHIP_OPERATOR])
    if who == "right":
        user = services.user_create(actor=actors[who], **kwargs)
        assert user.has_role(Role.TOWNSHIP_OPERATOR)
        assert AuditEvent.objects.filter(action="accounts.user_create", object_id=str(user.pk)).exists()
    else:
        with pytest.raises(PermissionDenied):
            services.user_create(actor=actors[who], **kwargs)
        assert _snapshot() == before


@pytest.mark.parametrize("who,status", [("wrong_role", 404), ("wrong_region", 404), ("right", 200)])
def test_job_progress_only_for_its_owner_or_admin(client, actors, who, status):
    job = Job.objects.create(key="k", kind="yikatong.web.tasks.verify_job", title="t", owner=actors["right"])
    resp = _client_for(client, actors[who]).get(reverse("job_progress", args=[job.pk]))
    # wrong_region holds SYSADMIN, but of another county: admins see all jobs only in scope
    assert resp.status_code == status


@pytest.mark.parametrize("who,changed", [("anonymous", False), ("wrong_role", False), ("wrong_region", False), ("right", True)])
def test_admin_unlocks_only_users_in_scope(client, actors, make_user, regions, who, changed):
    from django.utils import timezone

    target = make_user("locked_one", Role.TOWNSHIP_OPERATOR, region=regions["town2"])
    User.objects.filter(pk=target.pk).update(locked_until=timezone.now() + timezone.timedelta(minutes=10))
    _client_for(client, actors[who]).post(reverse("user_admin_action", args=[target.pk, "unlock"]))
    assert (User.objects.get(pk=target.pk).locked_until is None) is changed
