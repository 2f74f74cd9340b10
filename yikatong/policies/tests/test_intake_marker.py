"""The intake marker of a policy (issue 14.3): roster by default; set on the policy form, kept by the
spec (so change requests and new catalogue versions carry it), shown on the policy detail page."""
import pytest
from django.urls import reverse

from conftest import PASSWORD
from tests.support.factories import make_spec
from yikatong.policies import services
from yikatong.policies.forms import PolicyForm
from yikatong.policies.spec import PolicySpec

pytestmark = pytest.mark.django_db


def test_the_policy_form_sets_the_marker_and_the_detail_page_shows_it(world, regions, client):
    catalogue = services.catalogue_create(actor=world.users["fin"], region=regions["county"], year=2026)
    policy = services.policy_add(actor=world.users["fin"], catalogue=catalogue, spec=make_spec("LB01", world.orgs["mz"]))
    assert (policy.intake, policy.democratic_review) == ("roster", False)
    data = {**PolicyForm.initial_from(PolicySpec.from_policy(policy)), "intake": "application", "democratic_review": "on"}
    form = PolicyForm(data, region_code=regions["county"].code)
    assert form.is_valid(), form.errors
    policy = services.policy_update(actor=world.users["fin"], policy=policy, spec=form.spec)
    policy.refresh_from_db()
    assert (policy.intake, policy.democratic_review) == ("application", True)
    assert PolicySpec.from_dict(PolicySpec.from_policy(policy).to_dict()).intake == "application"
    client.login(username="fin", password=PASSWORD)
    page = client.get(reverse("policy_detail", args=[policy.pk])).content.decode()
    assert "个人申请、逐级审核" in page and "村级须民主评议" in page
