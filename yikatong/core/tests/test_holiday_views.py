import datetime

import pytest
from django.urls import reverse

from conftest import PASSWORD
from yikatong.accounts.models import RoleGrant, User
from yikatong.accounts.roles import Role
from yikatong.core import calendar
from yikatong.core.holiday_access import CalendarRefused
from yikatong.core.models import Holiday
from yikatong.core.services import holiday_delete, holiday_set

pytestmark = pytest.mark.django_db


def _system_admin() -> User:
    """The system-wide administrator: no organization, so no region limit (accounts.scope.scope_prefix "")."""
    user = User.objects.create_superuser("admin", "", PASSWORD)
    RoleGrant.objects.create(user=user, role=Role.SYSADMIN)
    return user


@pytest.mark.parametrize("who,allowed", [("op", False), ("county_admin", False), ("admin", True)])
def test_only_the_system_administrator_configures_holidays(client, make_user, who, allowed):
    """Issue 13: the calendar is nationwide; a county's administrator (SYSADMIN role in a county
    organization) used to be able to change it for everybody."""
    make_user("op", Role.TOWNSHIP_OPERATOR)
    make_user("county_admin", Role.SYSADMIN)
    _system_admin()
    client.login(username=who, password=PASSWORD)
    day = datetime.date(2099, 10, 1)  # a Thursday in a year the library does not know
    assert calendar.is_workday(day)
    resp = client.post(reverse("holiday_set"), {"date": "2099-10-01", "is_workday": "0", "name": "国庆节"})
    assert Holiday.objects.filter(date=day).exists() is allowed
    assert calendar.is_workday(day) is not allowed
    assert resp.status_code == (302 if allowed else 403)
    if not allowed:
        assert b'data-error-code="HOLIDAY_SYSADMIN_ONLY"' in resp.content
    page = client.get(reverse("holidays") + "?year=2099").content.decode()
    assert ("国庆节" in page) is allowed and "尚无国务院节假日数据" in page


def test_a_county_administrator_cannot_delete_a_holiday_either(client, make_user):
    holiday_set(actor=None, date=datetime.date(2099, 10, 2), is_workday=False, name="国庆节")
    make_user("county_admin", Role.SYSADMIN)
    client.login(username="county_admin", password=PASSWORD)
    resp = client.post(reverse("holiday_delete", args=["2099-10-02"]))
    assert resp.status_code == 403 and b'data-error-code="HOLIDAY_SYSADMIN_ONLY"' in resp.content
    assert Holiday.objects.filter(date=datetime.date(2099, 10, 2)).exists()


def test_the_service_refuses_a_county_administrator(make_user):
    county_admin = make_user("county_admin", Role.SYSADMIN)
    with pytest.raises(CalendarRefused) as refused:
        holiday_set(actor=county_admin, date=datetime.date(2099, 10, 3), is_workday=False)
    assert refused.value.code == "HOLIDAY_SYSADMIN_ONLY"
    with pytest.raises(CalendarRefused):
        holiday_delete(actor=county_admin, date=datetime.date(2099, 10, 3))
    assert not Holiday.objects.filter(date=datetime.date(2099, 10, 3)).exists()
    assert holiday_set(actor=_system_admin(), date=datetime.date(2099, 10, 3), is_workday=False).pk
