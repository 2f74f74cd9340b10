"""Permission matrix: anonymous / wrong role / wrong region / right role, for the register
import, reveal and the person page; refusals change nothing."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.support.env import login as _client
from yikatong.accounts.models import OrgKind
from yikatong.accounts.roles import Role
from yikatong.audit.models import AuditEvent
from yikatong.core.crypto import vault
from yikatong.jobs.models import Job
from yikatong.registry.models import Person, RegisterImport

from .conftest import register_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def actors(make_user, regions, clerk):
    return {
        "anonymous": None,
        "wrong_role": make_user("op", Role.TOWNSHIP_OPERATOR, region=regions["town1"], kind=OrgKind.TOWNSHIP_STATION),
        "wrong_region": make_user("czs_other", Role.TOWNSHIP_FINANCE, region=regions["town2"], kind=OrgKind.TOWNSHIP_FINANCE),
        "right": clerk,
    }


@pytest.fixture
def person(do_import, population, clerk):
    do_import(register_file(population), actor=clerk)
    return Person.objects.get(id_bidx=vault().id_index(population[0].id_number))


def _snapshot():
    return (Person.objects.count(), RegisterImport.objects.count(), Job.objects.count(),
            AuditEvent.objects.exclude(action__startswith="accounts.login").count())


@pytest.mark.parametrize("who,status", [("anonymous", 302), ("wrong_role", 403), ("wrong_region", 403), ("right", 302)])
def test_register_import_upload(client, actors, regions, population, who, status, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    before = _snapshot()
    upload = SimpleUploadedFile("底册.csv", register_file(population), content_type="text/csv")
    # every actor asks for town1: the wrong region is the other township's finance office
    resp = _client(client, actors[who]).post(reverse("registry_imports"), {"file": upload, "region": regions["town1"].code})
    assert resp.status_code == status
    if who == "anonymous":
        assert resp["Location"].startswith("/login/")
    if who == "right":
        imp = RegisterImport.objects.get()
        assert resp["Location"] == reverse("registry_import", args=[imp.pk]) and imp.region == regions["town1"]
        assert Job.objects.filter(pk=imp.job_id).exists()
    else:
        assert _snapshot() == before


@pytest.mark.parametrize("who,status", [("anonymous", 302), ("wrong_role", 403), ("wrong_region", 404), ("right", 200)])
def test_reveal(client, actors, person, population, who, status):
    before = _snapshot()
    resp = _client(client, actors[who]).post(reverse("registry_reveal", args=[person.pk, "id_number"]))
    assert resp.status_code == status
    if who == "right":
        assert population[0].id_number in resp.content.decode()
        event = AuditEvent.objects.get(action="registry.reveal")
        assert event.actor == actors["right"] and event.object_id == str(person.pk)
        assert population[0].id_number not in str(event.after)
    else:
        assert _snapshot() == before


@pytest.mark.parametrize("who,status", [("anonymous", 302), ("wrong_role", 200), ("wrong_region", 404), ("right", 200)])
def test_person_page(client, actors, person, population, who, status):
    """The township operator (wrong role for reveal and import) may read the page, masked."""
    before = _snapshot()
    resp = _client(client, actors[who]).get(reverse("registry_person", args=[person.pk]))
    assert resp.status_code == status
    if status == 200:
        body = resp.content.decode()
        assert population[0].id_number not in body and population[0].card not in body
        assert population[0].id_number[:4] + "**********" + population[0].id_number[-4:] in body
        assert ("查看完整号码" in body) is (who == "right")
    assert _snapshot() == before


def test_person_page_refuses_roles_without_register_access(client, make_user, person):
    bank = make_user("bank", Role.BANK)
    resp = _client(client, bank).get(reverse("registry_person", args=[person.pk]))
    assert resp.status_code == 403


@pytest.mark.parametrize("who", ["wrong_role", "wrong_region"])
def test_life_event_refused(client, actors, person, who):
    before = _snapshot()
    resp = _client(client, actors[who]).post(reverse("registry_life_event", args=[person.pk]),
                                              {"kind": "death", "effective_date": "2026-10-01", "source": "证明"})
    assert resp.status_code in (403, 404)
    person.refresh_from_db()
    assert person.status == "normal" and _snapshot() == before
