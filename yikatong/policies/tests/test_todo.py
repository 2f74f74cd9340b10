"""Catalogue deadlines from the profile show on the finance to-do list, overdue ones flagged."""
import datetime

import pytest
from django.test import override_settings

from tests.support.factories import make_spec
from tests.support.scenarios import publish
from yikatong.core.profiles import get_profile
from yikatong.policies import services
from yikatong.policies.deadlines import catalogue_deadlines
from yikatong.policies.models import ChangeKind
from yikatong.policies.todo import catalogue_todos, change_request_todos

pytestmark = pytest.mark.django_db


def todos_for(user):
    """This app's providers only (other apps' providers are tested in their own suites)."""
    return [*catalogue_todos(user), *change_request_todos(user)]


def test_publish_deadline_of_seed_004(world):
    county = world.regions["county"]
    p004 = get_profile("004")
    items = catalogue_deadlines(county, today=datetime.date(2026, 4, 10), profile=p004)
    assert [(i.title, i.due, i.overdue) for i in items] == [
        ("洪洞县2026年补贴政策清单须于2026年3月31日前向社会公布", datetime.date(2026, 3, 31), True)
    ]
    assert catalogue_deadlines(county, today=datetime.date(2026, 2, 15), profile=p004)[0].overdue is False
    early = catalogue_deadlines(county, today=datetime.date(2025, 11, 1), profile=p004)
    assert [i.due.year for i in early] == [2025]  # 2026's deadline is too far ahead to show yet
    publish(world, "county", "fin", "city_fin", [make_spec("HT-1", world.orgs["mz"])])
    assert catalogue_deadlines(county, today=datetime.date(2026, 4, 10), profile=p004) == []


def test_filing_deadline_of_seed_001_is_in_the_year_before(world):
    city = world.regions["city"]
    items = catalogue_deadlines(city, today=datetime.date(2026, 11, 24), profile=get_profile("001"))
    assert [(i.due, i.overdue) for i in items] == [(datetime.date(2025, 12, 20), True), (datetime.date(2026, 12, 20), False)]
    assert all("报送备案" in i.title for i in items)
    # the province files with nobody above it: no filing deadline
    assert catalogue_deadlines(world.regions["province"], today=datetime.date(2026, 11, 24), profile=get_profile("001")) == []


@override_settings(YKT_PROFILE="004")
def test_finance_to_do_list(world, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: datetime.date(2026, 4, 10))
    todos = todos_for(world.users["fin"])
    assert any(t.overdue and "向社会公布" in t.title for t in todos)
    assert todos_for(world.users["op"]) == [] and todos_for(world.users["mz_rev"]) == []
    cat = services.catalogue_create(actor=world.users["fin"], region=world.regions["county"], year=2026)
    services.catalogue_transition(actor=world.users["fin"], catalogue=cat, action="submit")
    assert any("请审核备案" in t.title for t in todos_for(world.users["city_fin"]))
    services.catalogue_transition(actor=world.users["city_fin"], catalogue=cat, action="file")
    assert any("请向社会公布" in t.title for t in todos_for(world.users["fin"]))


def test_change_requests_wait_on_the_deciders_list(world):
    cat = publish(world, "county", "fin", "city_fin", [make_spec("HT-1", world.orgs["mz"])])
    services.change_request_file(actor=world.users["mz_rev"], catalogue=cat, kind=ChangeKind.RETIRE,
                                 policy_code="HT-1", reason="整合")
    assert [t.title for t in todos_for(world.users["mz_head"]) if "调整变更申请" in t.title]
    assert not [t for t in todos_for(world.users["fin"]) if "调整变更申请" in t.title]
