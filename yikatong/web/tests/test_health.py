"""Issue 13: /healthz and the API health operation say ok / not ok, never why (a database error names
hosts, users and tables)."""
import pytest
from django.db import OperationalError

from conftest import PASSWORD
from yikatong.accounts.roles import Role

pytestmark = pytest.mark.django_db
SECRET = 'connection to server at "db.internal" (10.0.0.5), port 5432 failed: password authentication failed for user "ykt_admin"'


class BrokenConnection:
    vendor = "postgresql"

    def cursor(self):
        raise OperationalError(SECRET)


@pytest.fixture
def broken_db(monkeypatch):
    monkeypatch.setattr("yikatong.web.health.connection", BrokenConnection())


def test_healthz_with_a_broken_database_is_503_without_detail(client, broken_db):
    resp = client.get("/healthz")
    assert resp.status_code == 503
    assert resp.json() == {"status": "error", "database": {"state": "error"}, "worker": {"state": "unknown"}}
    for word in ("db.internal", "10.0.0.5", "ykt_admin", "password", "postgresql"):
        assert word not in resp.content.decode()


def test_api_health_with_a_broken_database_is_503_without_detail(client, make_user, broken_db):
    make_user("op", Role.TOWNSHIP_OPERATOR)
    client.login(username="op", password=PASSWORD)
    resp = client.get("/api/health")
    assert resp.status_code == 503 and resp.json()["database"] == {"state": "error"}
    assert "ykt_admin" not in resp.content.decode() and "db.internal" not in resp.content.decode()


def test_healthz_ok_names_no_vendor_or_detail(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200 and resp.json()["database"] == {"state": "ok"}
    assert set(resp.json()["worker"]) == {"state"}
