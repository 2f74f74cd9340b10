import datetime

import pytest
from django.urls import reverse

from conftest import PASSWORD
from yikatong.accounts.roles import Role
from yikatong.core import calendar
from yikatong.core.models import Holiday

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who,allowed", [("op", False), ("admin", True)])
def test_only_sysadmin_configures_holidays(client, make_user, who, allowed):
    make_user("op", Role.TOWNSHIP_OPERATOR)
    make_user("admin", Role.SYSADMIN)
    client.login(username=who, password=PASSWORD)
    day = datetime.date(2099, 10, 1)  # a Thursday in a year the library does not know
    assert calendar.is_workday(day)
    resp = client.post(reverse("holiday_set"), {"date": "2099-10-01", "is_workday": "0", "name": "国庆节"})
    assert Holiday.objects.filter(date=day).exists() is allowed
    assert calendar.is_workday(day) is not allowed
    assert resp.status_code == (302 if allowed else 403)
    page = client.get(reverse("holidays") + "?year=2099").content.decode()
    assert ("国庆节" in page) is allowed and "尚无国务院节假日数据" in page
