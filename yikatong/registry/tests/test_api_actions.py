"""The register API's reveal, life events and import result through HTTP with bearer tokens (issue 17):
the services the person and import pages call — 404 for a person or import outside the caller's
scope, 403 with the service's code for a role that may not act, the audit events."""
import pytest

from tests.support.api import bearer, call
from yikatong.accounts.models import OrgKind
from yikatong.accounts.roles import Role
from yikatong.audit.models import AuditEvent
from yikatong.core.crypto import vault
from yikatong.registry.models import Person, RegisterImport

from .conftest import register_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(do_import, population, clerk):
    do_import(register_file(population), actor=clerk)
    member = next(m for m in population if m.status == "正常")
    return Person.objects.get(id_bidx=vault().id_index(member.id_number)), member


@pytest.fixture
def outsider(make_user, regions):
    return make_user("czs2", Role.TOWNSHIP_FINANCE, region=regions["other_county"], kind=OrgKind.TOWNSHIP_FINANCE)


@pytest.fixture
def operator(make_user, regions):
    return make_user("op1", Role.TOWNSHIP_OPERATOR, region=regions["town1"], kind=OrgKind.TOWNSHIP_STATION)


def test_reveal(client, clerk, person, outsider, operator):
    p, member = person
    url = f"/api/registry/persons/{p.pk}/reveal/id_number"
    before = AuditEvent.objects.filter(action="registry.reveal").count()
    ok = call(client, "post", url, bearer(clerk), {})
    assert ok.status_code == 200, ok.content
    assert ok.json()["value"] == member.id_number
    assert AuditEvent.objects.filter(action="registry.reveal").count() == before + 1
    assert call(client, "post", url, bearer(outsider), {}).status_code == 404
    denied = call(client, "post", url, bearer(operator), {})  # sees the person masked, may not reveal
    assert denied.status_code == 403 and denied.json()["code"] == "REGISTRY_ROLE_NOT_ALLOWED"
    unknown = call(client, "post", f"/api/registry/persons/{p.pk}/reveal/salary", bearer(clerk), {})
    assert unknown.status_code == 400 and unknown.json()["code"] == "REVEAL_FIELD_UNKNOWN"
    assert AuditEvent.objects.filter(action="registry.reveal").count() == before + 1


def test_life_event(client, clerk, person, outsider, operator):
    p, _ = person
    url = f"/api/registry/persons/{p.pk}/events"
    body = {"kind": "death", "effective_date": "2026-10-09", "source": "民政办死亡证明"}
    assert call(client, "post", url, bearer(outsider), body).status_code == 404
    denied = call(client, "post", url, bearer(operator), body)
    assert denied.status_code == 403 and denied.json()["code"] == "REGISTRY_ROLE_NOT_ALLOWED"
    no_source = call(client, "post", url, bearer(clerk), {**body, "source": " "})
    assert no_source.status_code == 400 and no_source.json()["code"] == "LIFE_EVENT_SOURCE_REQUIRED"
    ok = call(client, "post", url, bearer(clerk), body)
    assert ok.status_code == 200, ok.content
    assert Person.objects.get(pk=p.pk).status == "deceased" and ok.json()["status"] == "死亡"
    assert AuditEvent.objects.filter(action="registry.life_event", object_id=str(p.pk)).count() == 1
    again = call(client, "post", url, bearer(clerk), body)
    assert again.status_code == 400 and again.json()["code"] == "LIFE_EVENT_NO_CHANGE"


def test_register_import_result(client, clerk, person, outsider, operator):
    imp = RegisterImport.objects.get()
    url = f"/api/registry/imports/{imp.pk}"
    ok = call(client, "get", url, bearer(clerk))
    assert ok.status_code == 200, ok.content
    assert ok.json()["finished"] and ok.json()["created"] > 0 and ok.json()["region"] == imp.region_id
    assert call(client, "get", url, bearer(outsider)).status_code == 404
    denied = call(client, "get", url, bearer(operator))
    assert denied.status_code == 403 and denied.json()["code"] == "REGISTRY_ROLE_NOT_ALLOWED"
