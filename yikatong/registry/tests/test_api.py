"""JSON API: compare, search, person, reference hits; authentication and role checks."""
import pytest

from yikatong.accounts import services as account_services
from yikatong.accounts.roles import Role
from yikatong.core.crypto import vault
from yikatong.registry.models import Person

from .conftest import register_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(clerk, do_import, population):
    do_import(register_file(population), actor=clerk)
    return account_services.issue_api_token(user=clerk, name="测试")


def _post(client, url, data, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(url, data, content_type="application/json", **headers)


def test_compare_api(client, token, population):
    m = population[0]
    resp = _post(client, "/api/registry/compare", {"rows": [
        {"name": m.name, "id_number": m.id_number, "account_no": m.card, "line": 3},
        {"name": "无名", "id_number": "123"},
    ]}, token)
    assert resp.status_code == 200
    first, second = resp.json()
    assert first["ok"] and first["line"] == 3 and first["statuses"][0]["code"] == "matched"
    assert second["statuses"][0]["code"] == "invalid_id" and "位数不对" in second["statuses"][0]["message"]


def test_search_and_person_api_are_masked(client, token, population):
    m = population[0]
    (row,) = _post(client, "/api/registry/persons/search", {"q": m.id_number}, token).json()
    assert row["name"] == m.name and row["masked_id"].startswith(m.id_number[:4]) and "*" in row["masked_id"]
    detail = client.get(f"/api/registry/persons/{row['id']}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert m.id_number not in str(detail) and m.card not in str(detail)


def test_api_needs_authentication_and_role(client, token, make_user, population):
    assert _post(client, "/api/registry/compare", {"rows": []}).status_code == 401
    bank = make_user("bank", Role.BANK)
    bank_token = account_services.issue_api_token(user=bank, name="x")
    denied = _post(client, "/api/registry/compare", {"rows": []}, bank_token)
    assert denied.status_code == 403 and denied.json()["code"] == "REGISTRY_ROLE_NOT_ALLOWED"
    p = Person.objects.get(id_bidx=vault().id_index(population[0].id_number))
    denied = client.get(f"/api/registry/persons/{p.pk}", HTTP_AUTHORIZATION=f"Bearer {bank_token}")
    assert denied.status_code == 403 and denied.json()["code"] == "REGISTRY_ROLE_NOT_ALLOWED"


def test_compare_api_refuses_another_township(client, token, regions):
    resp = _post(client, "/api/registry/compare", {"rows": [], "township_code": regions["town2"].code}, token)
    assert resp.status_code == 403 and resp.json()["code"] == "REGISTRY_REGION_NOT_IN_SCOPE"


def test_compare_sees_only_the_callers_region_and_is_audited(client, token, population, make_user, regions):
    """Issue 13 (critical): a finance reviewer of another county compared 30 of 30 people of this one and
    was told their villages. Now the comparison sees only the caller's subtree: outside it a person is
    simply not in the register, and no place is named. Each call is audited with counts, never IDs."""
    from yikatong.audit.models import AuditEvent

    m = population[0]
    rows = {"rows": [{"name": m.name, "id_number": m.id_number, "account_no": m.card}]}
    outsider = make_user("other_county_fin", Role.FINANCE_REVIEWER, region=regions["other_county"])
    other_token = account_services.issue_api_token(user=outsider, name="测试")
    (answer,) = _post(client, "/api/registry/compare", rows, other_token).json()
    assert [s["code"] for s in answer["statuses"]] == ["not_in_register"] and answer["person_id"] is None
    assert "村" not in str(answer)  # nothing says where the person lives
    (mine,) = _post(client, "/api/registry/compare", rows, token).json()  # the town's own finance office
    assert mine["statuses"][0]["code"] == "matched" and mine["person_id"] is not None
    events = list(AuditEvent.objects.filter(action="registry.compare").order_by("pk"))
    assert [e.after["found"] for e in events] == [0, 1] and all(e.after["rows"] == 1 for e in events)
    assert m.id_number not in str([e.after for e in events])
