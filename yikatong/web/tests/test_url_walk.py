"""Deny by default: every URL pattern refuses anonymous users unless explicitly public."""
import re

import pytest
from django.urls import get_resolver

from tests.support.env import walk_urls as _walk
from yikatong.accounts.public import PUBLIC_URL_NAMES as PUBLIC

# Pinned here too: making a page public must be a deliberate change in two places.
EXPECTED_PUBLIC = {
    "login", "healthz", "api:openapi-json",
    "public_policy_index", "public_policy_list", "public_policy_export", "public_policy_detail", "public_policy_basis",
    # the public half (issue 15): published lists, the self-query, complaints
    "public_list_region", "public_list_detail", "public_self_query", "public_complaint_new", "public_complaint_track",
    "public_list_objection",
}


def test_public_allow_list_is_exactly_the_expected_one():
    assert set(PUBLIC) == EXPECTED_PUBLIC

SAMPLE = {"int": "1", "str": "x", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000000", "path": "x"}


def _concrete(route: str) -> str:
    route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE.get(m.group(1) or "str", "1"), route)
    return "/" + route.lstrip("^").rstrip("$")


ALL = sorted(set(_walk(get_resolver().url_patterns)))


def test_the_walk_sees_every_app():
    names = {n for _, n in ALL}
    assert {"home", "login", "jobs", "audit_events", "api:me", "api:openapi-json"} <= names
    assert len(ALL) >= 20


@pytest.mark.django_db
@pytest.mark.parametrize("route,name", ALL, ids=[n or r for r, n in ALL])
def test_anonymous_is_refused_unless_public(client, route, name):
    url = _concrete(route)
    for method in ("get", "post"):
        resp = getattr(client, method)(url)
        if name in PUBLIC:
            assert resp.status_code < 500, f"{method} {url} -> {resp.status_code}"
            continue
        refused = resp.status_code == 401 or (
            resp.status_code == 302 and resp["Location"].startswith("/login/")
        )
        # django-ninja answers 405 for a method the operation does not declare, before auth
        if route.startswith("api/") and resp.status_code == 405:
            refused = True
        assert refused, f"anonymous {method.upper()} {url} ({name}) -> {resp.status_code}"
    if name not in PUBLIC and route.startswith("api/") and name not in ("api:openapi-view", "api:api-root"):
        statuses = {client.get(url).status_code, client.post(url).status_code}
        assert 401 in statuses, f"{url} never asks for authentication: {statuses}"
