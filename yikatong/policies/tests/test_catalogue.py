"""Catalogue flow: draft -> submitted -> filed -> published, by the right finance offices;
published catalogues are frozen; every write audited."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.support.factories import make_spec
from tests.support.scenarios import publish
from yikatong.audit.models import AuditEvent
from yikatong.policies import services
from yikatong.policies.models import CatalogueState, Policy, PolicyCatalogue

pytestmark = pytest.mark.django_db


def _events(action):
    return AuditEvent.objects.filter(action=action).count()


def test_county_catalogue_goes_through_its_states(world):
    fin, city_fin = world.users["fin"], world.users["city_fin"]
    cat = services.catalogue_create(actor=fin, region=world.regions["county"], year=2026)
    services.policy_add(actor=fin, catalogue=cat, spec=make_spec("HT-1", world.orgs["mz"]))
    services.catalogue_transition(actor=fin, catalogue=cat, action="submit")
    # the county cannot file its own list; the prefecture can send it back with a reason
    with pytest.raises(PermissionDenied):
        services.catalogue_transition(actor=fin, catalogue=cat, action="file")
    with pytest.raises(ValidationError) as exc:
        services.catalogue_transition(actor=city_fin, catalogue=cat, action="return")
    assert exc.value.code == "CATALOGUE_REASON_REQUIRED"
    services.catalogue_transition(actor=city_fin, catalogue=cat, action="return", reason="标准依据缺失")
    cat.refresh_from_db()
    assert cat.state == CatalogueState.DRAFT and cat.return_reason == "标准依据缺失"
    services.catalogue_transition(actor=fin, catalogue=cat, action="submit")
    services.catalogue_transition(actor=city_fin, catalogue=cat, action="file")
    cat = services.catalogue_transition(actor=fin, catalogue=cat, action="publish")
    assert cat.state == CatalogueState.PUBLISHED and cat.published_on is not None and cat.filed_by == city_fin
    assert [_events(f"policies.catalogue_{a}") for a in ("create", "submit", "return", "file", "publish")] == [1, 2, 1, 1, 1]


def test_wrong_actors_are_refused_and_nothing_changes(world):
    fin = world.users["fin"]
    with pytest.raises(PermissionDenied):
        services.catalogue_create(actor=world.users["mz_rev"], region=world.regions["county"], year=2026)
    with pytest.raises(PermissionDenied):
        services.catalogue_create(actor=world.users["other_fin"], region=world.regions["county"], year=2026)
    assert not PolicyCatalogue.objects.exists()
    cat = services.catalogue_create(actor=fin, region=world.regions["county"], year=2026)
    before = AuditEvent.objects.count()
    for who in ("other_fin", "op", "city_fin"):
        with pytest.raises(PermissionDenied):
            services.catalogue_transition(actor=world.users[who], catalogue=cat, action="submit")
    with pytest.raises(PermissionDenied):  # a department only edits its own policies
        services.policy_add(actor=world.users["ny_rev"], catalogue=cat, spec=make_spec("HT-1", world.orgs["mz"]))
    cat.refresh_from_db()
    assert cat.state == CatalogueState.DRAFT and AuditEvent.objects.count() == before and not Policy.objects.exists()


def test_departments_edit_their_own_policies_in_a_draft(world):
    cat = services.catalogue_create(actor=world.users["fin"], region=world.regions["county"], year=2026)
    policy = services.policy_add(actor=world.users["mz_rev"], catalogue=cat, spec=make_spec("HT-1", world.orgs["mz"]))
    services.policy_update(actor=world.users["mz_rev"], policy=policy,
                           spec=make_spec("HT-1", world.orgs["mz"], name="城乡低保", rate_fen=60000))
    policy.refresh_from_db()
    assert policy.name == "城乡低保" and policy.rate_fen == 60000
    with pytest.raises(PermissionDenied):
        services.policy_remove(actor=world.users["ny_rev"], policy=policy)
    services.policy_remove(actor=world.users["mz_head"], policy=policy)
    assert not Policy.objects.exists()
    assert AuditEvent.objects.get(action="policies.policy_remove").before["name"] == "城乡低保"


def test_published_catalogue_is_frozen(world):
    cat = publish(world, "county", "fin", "city_fin", [make_spec("HT-1", world.orgs["mz"])])
    policy = cat.policies.get()
    with pytest.raises(ValidationError) as exc:
        services.policy_update(actor=world.users["fin"], policy=policy, spec=make_spec("HT-1", world.orgs["mz"], rate_fen=1))
    assert exc.value.code == "CATALOGUE_NOT_DRAFT"
    with pytest.raises(ValidationError) as exc:
        services.policy_add(actor=world.users["fin"], catalogue=cat, spec=make_spec("HT-2", world.orgs["mz"]))
    assert exc.value.code == "CATALOGUE_NOT_DRAFT"
    with pytest.raises(ValidationError) as exc:
        services.catalogue_create(actor=world.users["fin"], region=world.regions["county"], year=2026)
    assert exc.value.code == "CATALOGUE_EXISTS"
    policy.refresh_from_db()
    assert policy.rate_fen == 50000


def test_codes_are_unique_along_the_region_chain(world):
    publish(world, "province", "prov_fin", "prov_fin", [make_spec("SX-1", world.orgs["prov_mz"])])
    cat = services.catalogue_create(actor=world.users["fin"], region=world.regions["county"], year=2026)
    with pytest.raises(ValidationError) as exc:
        services.policy_add(actor=world.users["fin"], catalogue=cat, spec=make_spec("SX-1", world.orgs["mz"]))
    assert exc.value.code == "POLICY_CODE_TAKEN"
    services.policy_add(actor=world.users["fin"], catalogue=cat, spec=make_spec("HT-1", world.orgs["mz"]))
    with pytest.raises(ValidationError) as exc:
        services.policy_add(actor=world.users["fin"], catalogue=cat, spec=make_spec("ht-1", world.orgs["mz"]))
    assert exc.value.code == "POLICY_CODE_IN_CATALOGUE"


def test_next_year_starts_from_last_years_list(world):
    publish(world, "county", "fin", "city_fin", [make_spec("HT-1", world.orgs["mz"]), make_spec("HT-2", world.orgs["mz"])],
            year=2025)
    cat = services.catalogue_create(actor=world.users["fin"], region=world.regions["county"], year=2026)
    assert sorted(cat.policies.values_list("code", flat=True)) == ["HT-1", "HT-2"]
    assert all(p.previous is not None for p in cat.policies.all())


def test_concurrent_double_publish_moves_once(world):
    cat = services.catalogue_create(actor=world.users["fin"], region=world.regions["county"], year=2026)
    stale = PolicyCatalogue.objects.get(pk=cat.pk)
    services.catalogue_transition(actor=world.users["fin"], catalogue=cat, action="submit")
    with pytest.raises(ValidationError):  # the stale copy still says draft: the conditional update refuses
        services.catalogue_transition(actor=world.users["fin"], catalogue=stale, action="submit")
    assert _events("policies.catalogue_submit") == 1
