"""The URL × identity walk (issue 13): every URL pattern and every API operation, every method,
opened by everyone who must see nothing of county A — anonymous, each role of county B, a village
clerk of another township of A, an account of A with no role (what the public holds).

- anonymous: refused (302 to the login page, 401 or 403), except the declared public URLs;
- nobody here receives county A's data: marker names, unmasked ID / account / phone numbers,
  batch codes and case numbers never appear in a body (xlsx unzipped, JSON decoded);
- unsafe methods (POST, PUT, PATCH, DELETE) change nothing (row counts of every table and the
  states of the things that move) and answer 400/401/403/404/405 (302 only to the login page, or
  back to a page after a refusal shown as a message) — never 500.
Path parameters are real objects of county A (tests/security/world.py)."""
from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from django.urls import get_resolver

from tests.support.env import walk_urls as _walk
from yikatong.api import api
from yikatong.accounts.public import PUBLIC_URL_NAMES

from .fingerprint import changes, fingerprint
from .known import known_leak
from .walk_fixtures import as_identity, world  # noqa: F401  (fixtures)
from .world import IDENTITY_NAMES

# the walk's database is set up only for tests marked as using it (pytest-django collects the aliases)
pytestmark = pytest.mark.django_db

UNSAFE = ("post", "put", "patch", "delete")
REFUSED = {400, 401, 403, 404, 405}
# The caller's own account: logging out, changing one's own password or second factor, one's own
# tokens change the caller's own rows (sessions, audit of the attempt), never county A's.
PUBLIC_LOOKUP_ACTIONS = frozenset({"disclosure.self_query"})
SELF_SERVICE = frozenset({"login", "logout", "password_change", "totp_setup", "totp_verify", "tokens"})
# Actions on the whole system that every county's auditor may take by design: verifying the audit chain
# (it is one chain for all counties; the job reports only intact / broken at a sequence number).
# The API's twin (POST /api/audit/verify) likewise.
SYSTEM_WIDE = {"audit_verify": frozenset({"B_supervisor", "B_sysadmin"}),
               "api:audit_verify_api": frozenset({"B_supervisor", "B_sysadmin"})}


ROUTES = sorted(set(_walk(get_resolver().url_patterns)))
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
SCHEMA = api.get_openapi_schema()
OPERATIONS = sorted((path, method) for path, ops in SCHEMA["paths"].items() for method in ops)
# The pages (and the API's own pages: docs, schema). The API's operations are walked by
# test_api_operation — each declared method, with a well-formed body naming county A's values — which
# finds more than empty bodies would (those stop at the router: 405 for an undeclared method, 422 for a
# missing body, before any view runs); walking them here too doubled the walk for nothing.
_OP_PATHS = {p for p, _ in OPERATIONS}
PAGES = [(r, n) for r, n in ROUTES if "/" + PARAM.sub(r"{\2}", r) not in _OP_PATHS]


def _url(world, route: str, name: str) -> str:
    values = world.params.get(name, {})
    missing = [m.group(2) for m in PARAM.finditer(route) if m.group(2) not in values]
    assert not missing, f"no county-A value for {missing} of {name} ({route}): add it to world._params"
    return "/" + PARAM.sub(lambda m: values[m.group(2)], route)


def body_text(resp) -> str:
    """The response as text: streamed content joined, xlsx / zip entries unzipped, JSON decoded."""
    raw = b"".join(resp.streaming_content) if resp.streaming else resp.content
    if raw.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    text = raw.decode("utf-8", "replace")
    if "json" in resp.get("Content-Type", ""):
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    return text


def _call(client, method: str, url: str, **kw):
    try:
        return getattr(client, method)(url, **kw)
    except Exception as exc:  # noqa: BLE001 — a view that raises is a 500 in production
        pytest.fail(f"{method.upper()} {url} raised {type(exc).__name__}: {exc}")


def _to_login(resp) -> bool:
    return resp.status_code == 302 and resp["Location"].startswith("/login/")


def test_the_walk_covers_every_pattern_and_operation(world):
    names = {n for _, n in ROUTES}
    assert len(ROUTES) >= 130 and {"home", "batch_detail", "payments_order_file", "api:compare"} <= names
    # every path parameter is a real object of county A, not a placeholder
    for route, name in ROUTES:
        _url(world, route, name)
    # every OpenAPI operation is served by a pattern the walk opens
    api_routes = {"/" + PARAM.sub(r"{\2}", r) for r, _ in ROUTES if r.startswith("api/")}
    assert {p for p, _ in OPERATIONS} <= api_routes
    # every URL pattern is walked: as a page, or as the operations it serves
    assert {n for _, n in PAGES} | {n for r, n in ROUTES if "/" + PARAM.sub(r"{\2}", r) in _OP_PATHS} == names
    assert len(PAGES) >= 120 and "api:openapi-json" in {n for _, n in PAGES}
    assert len(world.secrets) > 500 and world.codes


LOOKUP_ACTIONS = frozenset({"registry.search", "registry.reference_hits", "registry.compare"})


def _beyond_own_lookups(world, changed: list[str], identity: str) -> list[str]:
    """A lookup of personal data is audited (issue 13): the caller's own lookup events are not a change."""
    from yikatong.audit.models import AuditEvent

    # the caller's own lookup events, and the caller's own rate-limit counter (core.ratelimit)
    if not set(changed) <= {"audit_auditevent", "core_ratecounter"}:
        return changed
    new = AuditEvent.objects.filter(seq__gt=world.baseline_seq)
    user = world.identities[identity]
    # an anonymous self-query (本人发放查询, issue 15) is audited without an actor and counted per client
    if all((e.action in LOOKUP_ACTIONS and user is not None and e.actor_id == user.pk)
           or (e.action in PUBLIC_LOOKUP_ACTIONS and e.actor_id is None) for e in new):
        return []
    return changed


def _strict(route: str, name: str, identity: str) -> bool:
    """An unsafe method on one of county A's objects (a URL with a path parameter) by someone outside
    its scope answers 400/403/404/405 — not a redirect, not a page. County A's policy catalogue is
    the county's own published list, readable by everyone of the county: there the catalogue views
    answer a refused POST with a message and a redirect, and serve PUT/PATCH/DELETE like GET."""
    if not PARAM.search(route) or route.startswith("api/") or name in PUBLIC_URL_NAMES:
        return False
    return not (identity.startswith("A_") and name.startswith("policy_"))


def _refused_before_the_view(resp) -> bool:
    """405 (method not declared), 401 (API auth) or the login redirect: no view code ran."""
    return resp.status_code in (401, 405) or _to_login(resp)


@pytest.mark.parametrize("identity", IDENTITY_NAMES)
@pytest.mark.parametrize("route,name", PAGES, ids=[n for _, n in PAGES])
def test_walk(world, as_identity, request, route, name, identity):
    """GET, then POST / PUT / PATCH / DELETE (empty bodies) of one URL of county A by one identity."""
    known = known_leak(name, identity)
    if known:
        request.applymarker(pytest.mark.xfail(strict=True, reason=known))
    url = _url(world, route, name)
    client = as_identity(identity)
    public = name in PUBLIC_URL_NAMES
    ran = False
    for method in ("get",) + UNSAFE:
        resp = _call(client, method, url)
        status = resp.status_code
        assert status < 500, f"{method.upper()} {url} as {identity} -> {status}"
        if identity == "anonymous" and not public:
            api_405 = route.startswith("api/") and status == 405  # ninja: undeclared method, before auth
            assert _to_login(resp) or status in (401, 403) or api_405 or (method != "get" and status == 405), (
                f"anonymous {method.upper()} {url} -> {status}")
        if method != "get" and identity != "anonymous" and _strict(route, name, identity):
            assert status in REFUSED, f"{method.upper()} {url} (county A's object) as {identity} -> {status}"
        leaked = world.leaks(body_text(resp))
        assert not leaked, f"{method.upper()} {url} as {identity} ({status}) shows county A's {leaked[:5]}"
        ran = ran or (method != "get" and not _refused_before_the_view(resp))
    if ran and name not in SELF_SERVICE and identity not in SYSTEM_WIDE.get(name, ()):
        changed = _beyond_own_lookups(world, changes(world.baseline, fingerprint()), identity)
        assert not changed, f"unsafe methods on {url} as {identity} changed {changed}"


def _example(schema: dict, world, key: str = ""):
    """A request body for an operation, filled with county A's real values where a field names one."""
    if "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if "anyOf" in schema:
        schema = next(s for s in schema["anyOf"] if s.get("type") != "null")
    kind = schema.get("type")
    if kind == "object":
        return {k: _example(v, world, k) for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        return [_example(schema["items"], world, key)]
    if kind == "integer":
        return 1
    if kind == "boolean":
        return False
    return world.samples.get(key, "x")


@pytest.mark.parametrize("identity", IDENTITY_NAMES)
@pytest.mark.parametrize("path,method", OPERATIONS, ids=[f"{m.upper()} {p}" for p, m in OPERATIONS])
def test_api_operation(world, as_identity, request, path, method, identity):
    """Every OpenAPI operation with a well-formed body naming county A's people: refused or empty."""
    op = SCHEMA["paths"][path][method]
    route_name = next(n for r, n in ROUTES if "/" + PARAM.sub(r"{\2}", r) == path)
    known = known_leak(route_name, identity)
    if known:
        request.applymarker(pytest.mark.xfail(strict=True, reason=known))
    values = world.params.get(route_name, {})
    url = re.sub(r"{(\w+)}", lambda m: values[m.group(1)], path)
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    kw = {"data": json.dumps(_example(body, world)), "content_type": "application/json"} if body else {}
    resp = _call(as_identity(identity), method, url, **kw)
    assert resp.status_code < 500, f"{method.upper()} {url} as {identity} -> {resp.status_code}"
    if identity == "anonymous" and route_name not in PUBLIC_URL_NAMES:
        assert resp.status_code == 401, f"anonymous {method.upper()} {url} -> {resp.status_code}"
    leaked = world.leaks(body_text(resp))
    assert not leaked, f"{method.upper()} {url} as {identity} ({resp.status_code}) shows county A's {leaked[:5]}"
    if method != "get" and identity not in SYSTEM_WIDE.get(route_name, ()):
        changed = _beyond_own_lookups(world, changes(world.baseline, fingerprint()), identity)
        assert not changed, f"{method.upper()} {url} as {identity} changed {changed}"


@pytest.mark.parametrize("username,name", [("czj_ks", "registry_person"), ("mz_shenhe", "batch_roster_xlsx"),
                                           ("czs", "batch_detail")])
def test_the_oracle_sees_county_a_data_where_it_is_in_scope(world, client, username, name):
    """The walk's leak detector is not blind: county A's own staff do get the marker data."""
    client.force_login(world.a_users[username])
    route = next(r for r, n in ROUTES if n == name)
    resp = client.get(_url(world, route, name))
    assert resp.status_code == 200 and world.leaks(body_text(resp))
