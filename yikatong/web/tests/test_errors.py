"""Issue 13: error answers are Chinese pages with a code (JSON {"code", "message"} under /api/); a
server error shows a reference id, never the raw exception (a database error quotes values)."""
import io
import logging
import re

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, close_old_connections
from django.test import RequestFactory

from conftest import PASSWORD
from yikatong.accounts.roles import Role

pytestmark = pytest.mark.django_db

LEAK = 'duplicate key value violates unique constraint "registry_person_id_hash" DETAIL: Key (id)=(141024199001011234)'


@pytest.fixture
def op(client, make_user):
    make_user("op", Role.TOWNSHIP_OPERATOR)
    client.login(username="op", password=PASSWORD)
    return client


def test_an_unknown_page_is_a_chinese_404_with_its_code(op):
    resp = op.get("/no-such-page/")
    body = resp.content.decode()
    assert resp.status_code == 404
    assert 'data-error-code="NOT_FOUND"' in body and 'lang="zh-CN"' in body


def test_a_server_error_page_shows_a_reference_and_no_database_text(op, monkeypatch, caplog):
    def broken(user):
        raise DatabaseError(LEAK)

    monkeypatch.setattr("yikatong.web.views.todos_for", broken)
    op.raise_request_exception = False
    with caplog.at_level(logging.ERROR):
        resp = op.get("/")
    body = resp.content.decode()
    assert resp.status_code == 500 and 'data-error-code="INTERNAL_ERROR"' in body
    reference = re.search(r'data-reference="([0-9A-F]{12})"', body).group(1)
    assert "141024199001011234" not in body and "registry_person" not in body
    ours = [r for r in caplog.records if r.name == "yikatong.errors"]
    assert len(ours) == 1 and reference in ours[0].getMessage() and "DatabaseError" in ours[0].getMessage()
    assert "141024199001011234" not in ours[0].getMessage() and not ours[0].exc_info
    # what the configured console handler writes (its filter drops or redacts Django's own record)
    from yikatong.web.errors import RedactExceptionFilter

    handler = logging.StreamHandler(io.StringIO())
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    handler.addFilter(RedactExceptionFilter())
    for record in caplog.records:
        handler.handle(record)
    assert reference in handler.stream.getvalue()
    assert "141024199001011234" not in handler.stream.getvalue()
    from django.conf import settings

    assert "redact" in settings.LOGGING["handlers"]["console"]["filters"]
    assert "141024199001011234" not in handler.stream.getvalue()


def test_an_api_server_error_is_json_with_a_reference(op, monkeypatch):
    def broken():
        raise DatabaseError(LEAK)

    monkeypatch.setattr("yikatong.web.api.health", broken)
    resp = op.get("/api/health")
    data = resp.json()
    assert resp.status_code == 500 and data["code"] == "INTERNAL_ERROR" and len(data["reference"]) == 12
    assert "141024199001011234" not in resp.content.decode()


def test_api_403_and_404_are_json_with_codes(client, make_user):
    make_user("nobody")
    client.login(username="nobody", password=PASSWORD)
    resp = client.post("/api/registry/persons/search", {"q": "张"}, content_type="application/json")
    assert resp.status_code == 403 and resp.json()["code"] == "REGISTRY_ROLE_NOT_ALLOWED" and resp.json()["message"]
    resp = client.get("/api/no/such/operation")
    assert resp.status_code == 404 and resp.json()["code"] == "NOT_FOUND"


def test_api_404_of_a_missing_object_is_json_with_a_code(client, make_user):
    make_user("fin", Role.TOWNSHIP_FINANCE)
    client.login(username="fin", password=PASSWORD)
    resp = client.get("/api/registry/persons/999999")
    assert resp.status_code == 404 and resp.json()["code"] == "PERSON_NOT_IN_SCOPE" and resp.json()["message"]


@pytest.mark.parametrize("body", ["{bad json", b"\xff\xfe{}", '{"rows": [}'])
def test_malformed_json_to_the_api_is_400_with_a_code(op, body):
    resp = op.post("/api/registry/compare", body, content_type="application/json")
    assert resp.status_code == 400 and resp.json()["code"] == "MALFORMED_REQUEST"


def test_a_csrf_failure_is_a_chinese_page_with_its_code(make_user):
    from django.test import Client

    make_user("op", Role.TOWNSHIP_OPERATOR)
    browser = Client(enforce_csrf_checks=True)
    browser.login(username="op", password=PASSWORD)
    resp = browser.post("/calendar/set/", {"date": "2099-10-01"})
    assert resp.status_code == 403 and 'data-error-code="CSRF_FAILED"' in resp.content.decode()


def _wsgi(path: str, query: str = "", raw_uri: str | None = None) -> tuple[str, bytes]:
    """Call the WSGI application with raw PATH_INFO as a server passes it (latin-1 decoded bytes):
    the test client cannot send bytes that are not UTF-8."""
    environ = RequestFactory()._base_environ(PATH_INFO=path, QUERY_STRING=query, REQUEST_METHOD="GET")
    if raw_uri is not None:
        environ["RAW_URI"] = raw_uri
    environ["wsgi.input"] = io.BytesIO(b"")
    status = []
    # as the test client does: the test's connection (inside its transaction) must not be closed
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = WSGIHandler()(environ, lambda s, h, *a: status.append(s))
        body = b"".join(response)
        response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return status[0], body


@pytest.mark.parametrize("path,query,raw_uri", [
    ("/registry/\xff/", "", None),                    # bytes that are not UTF-8 in the path
    ("/registry/\xc0\xaf/", "", None),                # an overlong encoding
    ("/api/registry/persons/\xe4\xb8", "", None),     # a truncated character, API
    ("/registry/%zz/", "", "/registry/%zz/"),         # a broken percent escape (raw URI, gunicorn)
    ("/public/policies/", "q=%ff", None),             # a query that is not UTF-8
    ("/public/policies/", "q=%z1", None),             # a broken escape in the query
])
def test_a_malformed_url_is_400_not_404_or_500(path, query, raw_uri):
    status, body = _wsgi(path, query, raw_uri)
    assert status.startswith("400") and b"MALFORMED_URL" in body


def test_a_well_formed_chinese_url_still_passes():
    status, _ = _wsgi("/public/policies/", "q=%E4%BD%8E%E4%BF%9D", "/public/policies/?q=%E4%BD%8E%E4%BF%9D")
    assert status.startswith("200")


def test_a_bad_request_is_a_chinese_400_page(client):
    resp = client.get("/login/", HTTP_HOST="evil.example")  # not in ALLOWED_HOSTS: SuspiciousOperation
    assert resp.status_code == 400 and 'data-error-code="BAD_REQUEST"' in resp.content.decode()


def test_a_plain_permission_denied_shows_the_views_reason(client, make_user, regions):
    """registry.require_region raises PermissionDenied with a Chinese reason: the 403 page shows it."""
    from yikatong.web.errors import permission_denied
    from django.core.exceptions import PermissionDenied

    request = RequestFactory().get("/registry/compare/")
    body = permission_denied(request, PermissionDenied("您没有可比对的辖区")).content.decode()
    assert "您没有可比对的辖区" in body and 'data-error-code="FORBIDDEN"' in body


def test_an_api_csrf_failure_is_json_with_its_code(make_user):
    from django.test import Client

    make_user("op", Role.TOWNSHIP_OPERATOR)
    browser = Client(enforce_csrf_checks=True)
    browser.login(username="op", password=PASSWORD)
    resp = browser.post("/api/registry/compare", {"rows": []}, content_type="application/json")
    assert resp.status_code == 403 and resp.json()["code"] == "CSRF_FAILED"
