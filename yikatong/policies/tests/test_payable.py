"""Acceptance: a policy cannot be used for a batch unless it is on a published catalogue of that
year and region ("一张清单管制度")."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.support.factories import make_spec
from tests.support.scenarios import publish
from yikatong.policies import services
from yikatong.policies.selectors import payable_policies, policy_usable
from yikatong.policies.services import assert_payable

pytestmark = pytest.mark.django_db

TOWN = "141024100000"


def test_only_published_catalogues_of_the_year_and_region_are_payable(world):
    fin = world.users["fin"]
    draft = services.catalogue_create(actor=fin, region=world.regions["county"], year=2026)
    policy = services.policy_add(actor=fin, catalogue=draft, spec=make_spec("HT-1", world.orgs["mz"]))
    with pytest.raises(ValidationError) as exc:
        assert_payable(policy, region_code=TOWN, period="2026-11")
    assert exc.value.code == "POLICY_NOT_IN_CATALOGUE"
    services.catalogue_transition(actor=fin, catalogue=draft, action="submit")
    services.catalogue_transition(actor=world.users["city_fin"], catalogue=draft, action="file")
    with pytest.raises(ValidationError):  # filed is not yet published
        assert_payable(policy, region_code=TOWN, period="2026-11")
    services.catalogue_transition(actor=fin, catalogue=draft, action="publish")
    assert_payable(policy, region_code=TOWN, period="2026-11")
    assert_payable("HT-1", region_code=world.regions["county"].code, period="2026Q4")
    with pytest.raises(ValidationError):  # another year
        assert_payable(policy, region_code=TOWN, period="2027-01")
    with pytest.raises(ValidationError):  # another county
        assert_payable(policy, region_code=world.regions["other_county"].code, period="2026-11")
    with pytest.raises(ValidationError) as exc:
        assert_payable(policy, region_code="999999999999", period="2026-11")
    assert exc.value.code == "PAYABLE_REGION_UNKNOWN"


def test_the_province_list_applies_to_every_county_below(world):
    publish(world, "province", "prov_fin", "prov_fin", [make_spec("SX-DB", world.orgs["prov_mz"])])
    publish(world, "county", "fin", "city_fin", [make_spec("HT-GL", world.orgs["mz"])])
    assert list(payable_policies(TOWN, 2026).values_list("code", flat=True)) == ["HT-GL", "SX-DB"]
    assert list(payable_policies(world.regions["other_county"].code, 2026).values_list("code", flat=True)) == ["SX-DB"]
    assert_payable("SX-DB", region_code=world.regions["other_county"].code, period="2026")
    with pytest.raises(ValidationError):
        assert_payable("HT-GL", region_code=world.regions["other_county"].code, period="2026")


def test_usable_on_a_date_follows_the_version_in_force(world):
    cat = publish(world, "county", "fin", "city_fin", [make_spec("HT-1", world.orgs["mz"])])
    day = cat.published_on
    assert policy_usable("HT-1", region_code=TOWN, on_date=day)
    assert not policy_usable("HT-1", region_code=TOWN, on_date=day - datetime.timedelta(days=1))
    assert not policy_usable("HT-2", region_code=TOWN, on_date=day)
    assert_payable("HT-1", region_code=TOWN, on_date=day)
