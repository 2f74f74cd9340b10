"""The demo step: a realistic published catalogue at three levels and quotas; idempotent."""
import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from yikatong.accounts.demo import build_demo_county
from yikatong.funds import demo as funds_demo
from yikatong.funds.models import FundAllocation, FundQuota
from yikatong.policies import demo as policies_demo
from yikatong.policies.models import Policy, PolicyCatalogue
from yikatong.policies.selectors import payable_policies
from yikatong.policies.services import assert_payable

pytestmark = pytest.mark.django_db


def _counts():
    return PolicyCatalogue.objects.count(), Policy.objects.count(), FundQuota.objects.count(), FundAllocation.objects.count()


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])  # the demo users, fast
def test_demo_catalogue_and_quotas(client):
    call_command("regions", "load", "--county", "141024", stdout=io.StringIO())
    build_demo_county("141024")
    out = io.StringIO()
    policies_demo.build("141024", size=0, stdout=out)
    funds_demo.build("141024", size=0, stdout=out)
    first = _counts()
    policies_demo.build("141024", size=0, stdout=out)
    funds_demo.build("141024", size=0, stdout=out)
    assert _counts() == first
    year = PolicyCatalogue.objects.first().year
    payable = payable_policies("141024100000", year)
    assert payable.count() >= 20 and payable.filter(confidential=True).exists()
    assert {c.region.level for c in PolicyCatalogue.objects.all()} == {1, 2, 3}
    assert payable.filter(department__code__startswith="141024-").exists()  # the county's own departments
    gl = payable.get(name="高龄津贴")
    assert [t.age_min for t in gl.tiers.all()] == [80, 90, 100]
    assert_payable(gl, region_code="141024100000", period=f"{year}-11")
    assert [a for a in FundAllocation.objects.all() if a.is_overdue]
    assert all(q.balance_fen >= 0 for q in FundQuota.objects.all())
    body = client.get("/public/policies/141024/").content.decode()
    assert "耕地地力保护补贴" in body and "部分退役人员生活补助" not in body
