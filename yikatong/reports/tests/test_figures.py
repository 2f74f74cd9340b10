"""A report for a period equals the sums of the ledger for that period (property test over random data)."""
import random

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from yikatong.reports import figures

from .support import expected, random_ledger


@pytest.mark.django_db
@hsettings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1), notice_min=st.sampled_from([None, 3, 5]),
       month=st.sampled_from([10, 11, 12]))
def test_report_equals_the_ledger_sums_of_its_period(pw, regions, seed, notice_min, month):
    with transaction.atomic():
        random_ledger(random.Random(seed), pw, regions, agreement=pw.agreement)
        content = figures.collect(region=regions["county"], year=2026, month=month, notice_min_working_days=notice_min)
        want = expected(regions["county"], 2026, month, notice_min)
        got = content["totals"]
        assert abs(got.pop("handling_hours") - want.pop("handling_hours")) <= 0.05 * max(1, len(content["rows"]))
        assert got == want
        for row in content["rows"]:  # the totals are the sums of the rows, each a policy × region
            assert row["policy_code"] == "DB01" and row["region"]
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_period_takes_the_quarter_and_year_ending_with_it():
    assert figures.period_keys(2026, 11) == ["2026-11"]
    assert figures.period_keys(2026, 12) == ["2026-12", "2026Q4", "2026"]
    assert figures.period_keys(2026, 6) == ["2026-06", "2026Q2"]


@pytest.mark.django_db
def test_quota_use_is_the_years_county_quotas(pw, regions):
    content = figures.collect(region=regions["county"], year=2026, month=11)
    assert content["quotas"] == [{"policy_code": "DB01", "policy": "城乡居民最低生活保障", "received_fen": 100_000_000,
                                  "committed_fen": 0, "paid_fen": 0}]
    assert figures.collect(region=regions["county"], year=2025, month=11)["quotas"] == []
