from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.support.factories import make_spec, tiered_spec
from yikatong.policies import services
from yikatong.policies.choices import Frequency, Unit
from yikatong.policies.spec import PolicySpec, TierSpec, percent, validate_spec
from yikatong.policies.standard import check_period, period_year, standard_amount_fen


pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world):
    return services.catalogue_create(actor=world.users["fin"], region=world.regions["county"], year=2026)


def test_standard_is_quantity_times_rate_in_fen(world, draft):
    spec = make_spec("G-1", world.orgs["nync"], unit=Unit.MU, rate_fen=12345, frequency=Frequency.YEARLY)
    policy = services.policy_add(actor=world.users["fin"], catalogue=draft, spec=spec)
    assert standard_amount_fen(policy) == 12345
    assert standard_amount_fen(policy, quantity=Decimal("2.5")) == 30863  # 30862.5 rounds half up
    assert standard_amount_fen(policy, quantity=3) == 37035
    with pytest.raises(TypeError):
        standard_amount_fen(policy, quantity=2.5)
    with pytest.raises(ValidationError):
        standard_amount_fen(policy, quantity=Decimal("-1"))


def test_tiered_standard_needs_a_tier(world, draft):
    policy = services.policy_add(actor=world.users["fin"], catalogue=draft, spec=tiered_spec("CJ-1", world.orgs["mz"]))
    assert standard_amount_fen(policy, tier="1") == 10000
    assert standard_amount_fen(policy, tier="二级", quantity=3) == 24000
    with pytest.raises(ValidationError) as exc:
        standard_amount_fen(policy)
    assert exc.value.code == "TIER_REQUIRED"
    with pytest.raises(ValidationError) as exc:
        standard_amount_fen(policy, tier="三级")
    assert exc.value.code == "TIER_UNKNOWN"


def test_age_band_tiers_are_kept_and_priced_by_tier(world, draft):
    # who falls in which band, and the policy's age limit, are cross-check rules (checks/rules.py)
    spec = make_spec(
        "GL-1", world.orgs["mz"], rate_fen=None, tier_basis="年龄段", age_min=80,
        tiers=(TierSpec("80", "80-89周岁", 5000, 80, 89), TierSpec("90", "90-99周岁", 10000, 90, 99),
               TierSpec("100", "100周岁以上", 50000, 100, None)),
    )
    policy = services.policy_add(actor=world.users["fin"], catalogue=draft, spec=spec)
    assert [(t.key, t.age_min, t.age_max) for t in policy.tiers.order_by("rate_fen")] == \
        [("80", 80, 89), ("90", 90, 99), ("100", 100, None)]
    assert policy.age_min == 80
    assert standard_amount_fen(policy, tier="90") == 10000


def test_periods_follow_the_frequency(world, draft):
    policy = services.policy_add(actor=world.users["fin"], catalogue=draft, spec=make_spec("DB-1", world.orgs["mz"]))
    check_period(policy, "2026-11")
    with pytest.raises(ValidationError, match="2026-11"):
        check_period(policy, "2026Q4")
    assert period_year("2026Q4") == 2026 and period_year("2025") == 2025
    with pytest.raises(ValidationError):
        period_year("26-11")


def test_fund_shares_must_sum_to_100_percent(world):
    spec = make_spec("X-1", world.orgs["mz"], share_central_bp=5000, share_province_bp=3333)
    with pytest.raises(ValidationError) as exc:
        validate_spec(spec, region_code=world.regions["county"].code)
    assert [e.code for e in exc.value.error_list] == ["POLICY_SHARES_NOT_FULL"] and "83.33%" in " ".join(exc.value.messages)
    assert percent(10000) == "100" and percent(2550) == "25.5"


def test_spec_validation_names_every_problem(world):
    spec = make_spec("bad code!", world.orgs["prov_mz"], rate_fen=None, age_min=90, age_max=80)
    with pytest.raises(ValidationError) as exc:
        validate_spec(spec, region_code=world.regions["county"].code)
    codes = {e.code for e in exc.value.error_list}
    assert {"POLICY_CODE_FORMAT", "POLICY_DEPARTMENT_OTHER_REGION", "POLICY_RATE_REQUIRED", "POLICY_AGE_RANGE_INVALID"} <= codes


def test_spec_round_trips_through_json(world, draft):
    spec = tiered_spec("CJ-2", world.orgs["mz"], exclusive_codes=("DB-1",))
    assert PolicySpec.from_dict(spec.to_dict()) == spec
    policy = services.policy_add(actor=world.users["fin"], catalogue=draft, spec=spec)
    assert PolicySpec.from_policy(policy) == spec
