"""Issue 13: a Content-Security-Policy without inline script; `Cache-Control: no-store` on every
answer to a signed-in user (pages with personal data), not on static files."""
import re
from pathlib import Path

import pytest

from conftest import PASSWORD
from yikatong.accounts.roles import Role

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _directives(header: str) -> dict[str, list[str]]:
    parts = (p.strip().split() for p in header.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize("url", ["/login/", "/public/policies/"])
def test_every_page_carries_a_csp_without_inline_script(client, url):
    resp = client.get(url)
    csp = _directives(resp["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]


def test_signed_in_pages_are_no_store_and_carry_the_csp(client, make_user):
    make_user("op", Role.TOWNSHIP_OPERATOR)
    client.login(username="op", password=PASSWORD)
    resp = client.get("/")
    assert resp.status_code == 200 and "no-store" in resp["Cache-Control"]
    assert "Content-Security-Policy" in resp
    api = client.get("/api/accounts/me")
    assert api.status_code == 200 and "no-store" in api["Cache-Control"]


def test_static_files_are_not_no_store(client, make_user):
    make_user("op", Role.TOWNSHIP_OPERATOR)
    client.login(username="op", password=PASSWORD)
    resp = client.get("/static/vendor/htmx.min.js")
    assert resp.status_code == 200
    assert "no-store" not in resp.get("Cache-Control", "")


def test_anonymous_public_pages_may_be_cached(client):
    assert "no-store" not in client.get("/public/policies/").get("Cache-Control", "")


def test_no_template_has_inline_script_or_event_handlers():
    """script-src 'self' blocks inline script; a template that used one would silently break."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=", re.I)
    found = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if inline_script.search(text) or handler.search(text) or "javascript:" in text:
            found.append(str(path.relative_to(TEMPLATES)))
    assert found == []
