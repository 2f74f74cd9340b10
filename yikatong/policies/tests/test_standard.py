import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.support.factories import make_spec, tiered_spec
from yikatong.policies import services
from yikatong.policies.choices import Frequency, Unit
from yikatong.policies.spec import PolicySpec, TierSpec, percent, validate_spec
from yikatong.policies.standard import (
    check_period, eligibility_problems, period_year, standard_amount_fen, tier_for_age,
)


pytestmark = pytest.mark.django_db


def _id(first17: str) -> str:
    from stdnum.cn import ric

    return first17 + ric.calc_check_digit(first17 + "0")


@pytest.fixture
def draft(world):
    return services.create_catalogue(actor=world.users["fin"], region=world.regions["county"], year=2026)


def test_standard_is_quantity_times_rate_in_fen(world, draft):
    spec = make_spec("G-1", world.orgs["nync"], unit=Unit.MU, rate_fen=12345, frequency=Frequency.YEARLY)
    policy = services.add_policy(actor=world.users["fin"], catalogue=draft, spec=spec)
    assert standard_amount_fen(policy) == 12345
    assert standard_amount_fen(policy, quantity=Decimal("2.5")) == 30863  # 30862.5 rounds half up
    assert standard_amount_fen(policy, quantity=3) == 37035
    with pytest.raises(TypeError):
        standard_amount_fen(policy, quantity=2.5)
    with pytest.raises(ValidationError):
        standard_amount_fen(policy, quantity=Decimal("-1"))


def test_tiered_standard_needs_a_tier(world, draft):
    policy = services.add_policy(actor=world.users["fin"], catalogue=draft, spec=tiered_spec("CJ-1", world.orgs["mz"]))
    assert standard_amount_fen(policy, tier="1") == 10000
    assert standard_amount_fen(policy, tier="二级", quantity=3) == 24000
    with pytest.raises(ValidationError, match="请指明档次"):
        standard_amount_fen(policy)
    with pytest.raises(ValidationError, match="没有“三级”这一档"):
        standard_amount_fen(policy, tier="三级")


def test_age_tiers_and_eligibility_from_the_id_number(world, draft):
    spec = make_spec(
        "GL-1", world.orgs["mz"], rate_fen=None, tier_basis="年龄段", age_min=80,
        tiers=(TierSpec("80", "80-89周岁", 5000, 80, 89), TierSpec("90", "90-99周岁", 10000, 90, 99),
               TierSpec("100", "100周岁以上", 50000, 100, None)),
    )
    policy = services.add_policy(actor=world.users["fin"], catalogue=draft, spec=spec)
    day = datetime.date(2026, 11, 1)
    born_1940, born_1960 = _id("11010519400101001"), _id("11010519600101001")
    assert tier_for_age(policy, id_number=born_1940, on_date=day).key == "80"
    assert eligibility_problems(policy, id_number=born_1940, region_code="141024100001", on_date=day) == []
    problems = eligibility_problems(policy, id_number=born_1960, region_code="140702000000", on_date=day)
    assert any("未达到" in p for p in problems) and any("不在“洪洞县”辖区内" in p for p in problems)
    assert eligibility_problems(policy, id_number="123", region_code=None, on_date=day)[0].startswith("身份证号码")


def test_periods_follow_the_frequency(world, draft):
    policy = services.add_policy(actor=world.users["fin"], catalogue=draft, spec=make_spec("DB-1", world.orgs["mz"]))
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
    assert "合计应为100%，现为83.33%" in " ".join(exc.value.messages)
    assert percent(10000) == "100" and percent(2550) == "25.5"


def test_spec_validation_names_every_problem(world):
    spec = make_spec("bad code!", world.orgs["prov_mz"], rate_fen=None, age_min=90, age_max=80)
    with pytest.raises(ValidationError) as exc:
        validate_spec(spec, region_code=world.regions["county"].code)
    text = " ".join(exc.value.messages)
    assert "统一代码" in text and "不属于本清单所在区划" in text and "补贴标准" in text and "年龄条件下限" in text


def test_spec_round_trips_through_json(world, draft):
    spec = tiered_spec("CJ-2", world.orgs["mz"], exclusive_codes=("DB-1",))
    assert PolicySpec.from_dict(spec.to_dict()) == spec
    policy = services.add_policy(actor=world.users["fin"], catalogue=draft, spec=spec)
    assert PolicySpec.from_policy(policy) == spec
