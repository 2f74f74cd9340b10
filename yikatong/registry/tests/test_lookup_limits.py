"""Issue 13: personal-data lookups (search, compare, reference hits) are rate limited per user — the
N+1st in a window answers 429 LOOKUP_RATE_LIMITED — and audited with the number of rows returned."""
import pytest

from conftest import PASSWORD
from yikatong.accounts.roles import Role
from yikatong.audit.models import AuditEvent

from .conftest import register_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(clerk, do_import, population, client):
    do_import(register_file(population), actor=clerk)
    client.login(username="czs1", password=PASSWORD)
    return population


def _search(client, q):
    return client.post("/api/registry/persons/search", {"q": q}, content_type="application/json")


def test_the_search_api_answers_429_at_n_plus_one(client, registered, settings):
    settings.YKT_LOOKUP_RATE = "3/min"
    name = registered[0].name
    for _ in range(3):
        assert _search(client, name).status_code == 200
    resp = _search(client, name)
    assert resp.status_code == 429 and resp.json()["code"] == "LOOKUP_RATE_LIMITED"
    assert AuditEvent.objects.filter(action="registry.search").count() == 3  # a refused lookup returns nothing


def test_the_limit_is_per_user(client, registered, settings, make_user, regions):
    from django.test import Client

    settings.YKT_LOOKUP_RATE = "1/min"
    assert _search(client, registered[0].name).status_code == 200
    assert _search(client, registered[0].name).status_code == 429
    make_user("czs1b", Role.TOWNSHIP_FINANCE, region=regions["town1"])
    other = Client()
    other.login(username="czs1b", password=PASSWORD)
    assert _search(other, registered[0].name).status_code == 200


def test_a_search_is_audited_with_the_row_count_and_never_the_query(client, registered):
    m = registered[0]
    rows = _search(client, m.id_number).json()
    assert len(rows) == 1
    event = AuditEvent.objects.get(action="registry.search")
    assert event.after["rows"] == 1 and event.actor.username == "czs1"
    assert m.id_number not in str(event.after) and m.id_number not in event.object_repr


def test_the_search_page_answers_429_with_the_code(client, registered, settings):
    settings.YKT_LOOKUP_RATE = "2/min"
    for _ in range(2):
        assert client.post("/registry/", {"q": registered[0].name}).status_code == 200
    resp = client.post("/registry/", {"q": registered[0].name})
    assert resp.status_code == 429 and "LOOKUP_RATE_LIMITED" in resp.content.decode()
    assert 'data-testid="results"' not in resp.content.decode()  # no results table


def _compare(client, members):
    rows = [{"name": m.name, "id_number": m.id_number} for m in members]
    return client.post("/api/registry/compare", {"rows": rows}, content_type="application/json")


def test_compare_counts_calls_and_rows(client, registered, settings):
    settings.YKT_COMPARE_ROWS_PER_HOUR = 5
    assert _compare(client, registered[:3]).status_code == 200
    resp = _compare(client, registered[3:6])
    assert resp.status_code == 429 and resp.json()["code"] == "COMPARE_ROWS_LIMITED"
    assert _compare(client, registered[3:5]).status_code == 200  # exactly the cap
    events = AuditEvent.objects.filter(action="registry.compare").order_by("seq")
    assert [(e.after["rows"], e.after["found"]) for e in events] == [(3, 3), (2, 2)]


def test_compare_calls_share_the_lookup_rate(client, registered, settings):
    settings.YKT_LOOKUP_RATE = "2/min"
    assert _compare(client, registered[:1]).status_code == 200
    assert _search(client, registered[0].name).status_code == 200
    resp = _compare(client, registered[:1])
    assert resp.status_code == 429 and resp.json()["code"] == "LOOKUP_RATE_LIMITED"


def test_reference_lookups_are_limited_and_audited(client, registered, settings):
    settings.YKT_LOOKUP_RATE = "1/min"
    url = "/api/registry/reference-hits"
    assert client.post(url, {"id_number": registered[0].id_number}, content_type="application/json").status_code == 200
    resp = client.post(url, {"id_number": registered[0].id_number}, content_type="application/json")
    assert resp.status_code == 429 and resp.json()["code"] == "LOOKUP_RATE_LIMITED"
    assert AuditEvent.objects.get(action="registry.reference_hits").after == {"rows": 0, "how": ""}
