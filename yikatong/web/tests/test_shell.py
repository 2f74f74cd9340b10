import json

import pytest
from django.urls import reverse

from conftest import PASSWORD
from yikatong.accounts.roles import Role
from yikatong.jobs.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_worker(client):
    resp = client.get("/healthz")
    data = resp.json()
    assert resp.status_code == 200
    assert data["database"]["state"] == "ok" and data["worker"]["state"] == "absent"
    assert data["status"] == "degraded"
    from django.utils import timezone

    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="w", hostname="h", pid=1, started_at=now, seen_at=now)
    data = client.get("/healthz").json()
    assert data["worker"]["state"] == "ok" and data["status"] == "ok"


def test_openapi_schema_is_valid_openapi(client):
    resp = client.get("/api/openapi.json")
    schema = json.loads(resp.content)
    assert resp.status_code == 200
    assert schema["openapi"].startswith("3.")
    assert {"/api/accounts/me", "/api/health", "/api/jobs/{job_id}"} <= set(schema["paths"])
    sec = schema["components"]["securitySchemes"]
    assert {s["type"] for s in sec.values()} >= {"apiKey", "http"}
    from openapi_spec_validator import validate

    validate(schema)


def test_home_shows_role_region_and_navigation(client, make_user, regions):
    make_user("shenji", Role.SUPERVISOR)
    make_user("op", Role.TOWNSHIP_OPERATOR, region=regions["town1"])
    client.login(username="op", password=PASSWORD)
    body = client.get(reverse("home")).content.decode()
    assert "乡镇经办站所" in body and "大槐树镇" in body and "暂无待办事项" in body
    assert "审计日志" not in body
    client.logout()
    client.login(username="shenji", password=PASSWORD)
    body = client.get(reverse("home")).content.decode()
    assert "审计/纪检/监管" in body and "审计日志" in body and "洪洞县" in body


def test_home_page_is_printable(client, make_user):
    make_user("op", Role.TOWNSHIP_OPERATOR)
    client.login(username="op", password=PASSWORD)
    body = client.get(reverse("home")).content.decode()
    assert "data-ykt-print" in body and "print-signatures" in body  # js/yikatong.js prints (no inline script: CSP)


def test_session_api_call_requires_csrf_for_writes(client, make_user):
    make_user("op", Role.TOWNSHIP_OPERATOR)
    client.login(username="op", password=PASSWORD)
    assert client.get("/api/accounts/me").status_code == 200
