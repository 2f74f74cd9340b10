"""`yikatong users add|token` (issue 17): a user with a role in that role's organization for the region
(a township station: the station of the policy's department, created if the county has none yet),
audited; a token printed alone on the last line that authenticates the API."""
import io

import pytest
from django.core.management import CommandError, call_command

from yikatong.accounts.models import Organization, OrgKind, User
from yikatong.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def users(*args) -> str:
    out = io.StringIO()
    call_command("users", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def world(regions):
    from tests.support.factories import build_world, make_spec
    from tests.support.scenarios import publish

    w = build_world(regions)
    Organization.objects.filter(pk=w.orgs["mz"].pk).update(line="mz")
    publish(w, "county", "fin", "city_fin", [make_spec("DB01", w.orgs["mz"], name="城乡居民最低生活保障")])
    return w


def test_add_station_operator_creates_the_policy_departments_station(world, tmp_path):
    pw = tmp_path / "pw"
    pw.write_text("Zhan-2026-strong!\n", encoding="utf-8")
    out = users("add", "zhan2", "--role", "township_operator", "--region", "141024101000", "--policy", "DB01",
                "--password-file", str(pw))
    user = User.objects.get(username="zhan2")
    station = user.organization
    assert station.kind == OrgKind.TOWNSHIP_STATION and station.region_id == "141024101000"
    assert station.parent_id == world.orgs["mz"].pk and user.role_set == {"township_operator"}
    assert user.check_password("Zhan-2026-strong!") and not user.must_change_password
    assert "zhan2" in out
    assert AuditEvent.objects.filter(action="accounts.org_create", object_id=str(station.pk)).exists()
    assert AuditEvent.objects.filter(action="accounts.user_create", object_id=str(user.pk)).exists()
    # a second operator of the same township and policy joins the same station
    users("add", "zhan3", "--role", "township_operator", "--region", "141024101", "--policy", "DB01")
    assert User.objects.get(username="zhan3").organization_id == station.pk
    assert User.objects.get(username="zhan3").must_change_password


def test_add_updates_an_existing_user(world):
    users("add", "czs9", "--role", "township_finance", "--region", "141024100000")
    users("add", "czs9", "--role", "township_head", "--region", "141024100000")
    user = User.objects.get(username="czs9")
    assert user.role_set == {"township_finance", "township_head"} and user.organization.kind == OrgKind.TOWNSHIP
    assert AuditEvent.objects.filter(action="accounts.user_provision", object_id=str(user.pk)).exists()


def test_add_county_roles_and_refusals(world):
    users("add", "rev9", "--role", "dept_reviewer", "--region", "141024", "--policy", "DB01")
    assert User.objects.get(username="rev9").organization_id == world.orgs["mz"].pk
    with pytest.raises(CommandError):
        users("add", "x1", "--role", "township_operator", "--region", "141024100000")  # which department?
    with pytest.raises(CommandError):
        users("add", "x2", "--role", "no_such_role", "--region", "141024")
    with pytest.raises(CommandError):
        users("add", "x3", "--role", "township_finance", "--region", "141024")  # a county is no township
    with pytest.raises(CommandError):
        users("add", "x4", "--role", "township_operator", "--region", "141024100", "--policy", "NOPE")
    assert not User.objects.filter(username__in=["x1", "x2", "x3", "x4"]).exists()


def test_token_is_the_last_line_and_authenticates(world, client):
    users("add", "zhan2", "--role", "township_operator", "--region", "141024100", "--policy", "DB01")
    token = users("token", "zhan2", "--scope", "read", "--days", "7").strip().splitlines()[-1]
    assert token.startswith("ykt_")
    me = client.get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200
    write = client.post("/api/rosters/batches", {"policy": "DB01", "period": "2026-11", "region": "141024100000"},
                        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert write.status_code == 403 and write.json()["code"] == "TOKEN_SCOPE"  # a read token
    with pytest.raises(CommandError):
        users("token", "nobody")
