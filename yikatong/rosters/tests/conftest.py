"""A county with a published catalogue (one monthly policy, 500 yuan/person, 民政局), a quota,
a township station and finance office, and the users of every step."""
import datetime

import pytest

from yikatong.accounts.models import OrgKind
from yikatong.accounts.roles import Role
from yikatong.funds.services.quotas import receive_quota
from yikatong.policies.tests.factories import build_world, make_spec, publish
from yikatong.rosters import services


@pytest.fixture
def rw(regions):
    w = build_world(regions)
    type(w.orgs["mz"]).objects.filter(pk=w.orgs["mz"].pk).update(line="mz")
    w.org("station", "大槐树镇民政办", OrgKind.TOWNSHIP_STATION, "town1", parent=w.orgs["mz"])
    w.org("fin_office", "大槐树镇财政所", OrgKind.TOWNSHIP_FINANCE, "town1")
    w.user("zhan", "station", Role.TOWNSHIP_OPERATOR)
    w.user("czs", "fin_office", Role.TOWNSHIP_FINANCE)
    catalogue = publish(w, "county", "fin", "city_fin", [make_spec("DB01", w.orgs["mz"], name="城乡居民最低生活保障")])
    w.policy = catalogue.policies.get(code="DB01")
    receive_quota(actor=w.users["fin"], region=regions["county"], doc_number="洪财社〔2026〕1号", issuing_level="county",
                  received_on=datetime.date(2026, 1, 10), policy=w.policy, year=2026,
                  amounts_fen={"county_fen": 100_000_000})
    return w


@pytest.fixture
def batch(rw, regions):
    return services.create_batch(actor=rw.users["zhan"], policy=rw.policy, period="2026-11", region=regions["town1"])
