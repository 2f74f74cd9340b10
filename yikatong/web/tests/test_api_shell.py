"""The shell's API (issue 17): the working-day calendar (only the system-wide administrator changes it,
403 HOLIDAY_SYSADMIN_ONLY otherwise, each change audited) and the audit trail (supervisors and
system administrators; a county's supervisor sees its county only)."""
import datetime

import pytest

from tests.support.api import bearer, call
from yikatong.accounts.models import RoleGrant, User
from yikatong.accounts.roles import Role
from yikatong.audit.models import AuditEvent
from yikatong.core import calendar
from yikatong.core.models import Holiday
from yikatong.jobs.models import Job

pytestmark = pytest.mark.django_db


def _system_admin() -> User:
    user = User.objects.create_superuser("admin", "", "x-Long-enough-9")
    RoleGrant.objects.create(user=user, role=Role.SYSADMIN)
    return user


def test_holidays(client, make_user):
    admin, county_admin = _system_admin(), make_user("county_admin", Role.SYSADMIN)
    day = datetime.date(2099, 10, 1)
    body = {"date": "2099-10-01", "is_workday": False, "name": "国庆节"}
    denied = call(client, "post", "/api/calendar/holidays", bearer(county_admin), body)
    assert denied.status_code == 403 and denied.json()["code"] == "HOLIDAY_SYSADMIN_ONLY"
    ok = call(client, "post", "/api/calendar/holidays", bearer(admin), body)
    assert ok.status_code == 200, ok.content
    assert not calendar.is_workday(day) and AuditEvent.objects.filter(action="core.holiday.set").exists()
    listed = call(client, "get", "/api/calendar/holidays?year=2099", bearer(county_admin)).json()
    assert [d["date"] for d in listed["days"]] == ["2099-10-01"] and not listed["can_edit"]
    denied = call(client, "post", "/api/calendar/holidays/2099-10-01/delete", bearer(county_admin))
    assert denied.status_code == 403 and denied.json()["code"] == "HOLIDAY_SYSADMIN_ONLY"
    gone = call(client, "post", "/api/calendar/holidays/2099-10-01/delete", bearer(admin))
    assert gone.status_code == 200 and gone.json()["deleted"] and not Holiday.objects.exists()
    assert AuditEvent.objects.filter(action="core.holiday.delete").exists()
    again = call(client, "post", "/api/calendar/holidays/2099-10-01/delete", bearer(admin))
    assert again.status_code == 200 and not again.json()["deleted"]


def test_audit_events_and_verify(client, world, make_user, regions):
    sup = make_user("sup", Role.SUPERVISOR)  # the county's supervisor
    other_sup = make_user("other_sup", Role.SUPERVISOR, region=regions["other_county"])
    from yikatong.policies.services import catalogue_create

    catalogue_create(actor=world.users["fin"], region=regions["county"], year=2027)  # one event of the county
    denied = call(client, "get", "/api/audit/events", bearer(world.users["fin"]))
    assert denied.status_code == 403 and denied.json()["code"] == "AUDIT_ROLE_NOT_ALLOWED"
    mine = call(client, "get", "/api/audit/events?action=policies.", bearer(sup))
    assert mine.status_code == 200, mine.content
    assert mine.json() and all(e["action"].startswith("policies.") for e in mine.json())
    assert call(client, "get", "/api/audit/events?action=policies.", bearer(other_sup)).json() == []
    denied = call(client, "post", "/api/audit/verify", bearer(world.users["fin"]))
    assert denied.status_code == 403 and not Job.objects.exists()
    started = call(client, "post", "/api/audit/verify", bearer(sup))
    assert started.status_code == 202 and Job.objects.filter(pk=started.json()["job"]).exists()
