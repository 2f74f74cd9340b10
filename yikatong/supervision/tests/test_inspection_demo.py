"""The demo county carries an inspection plan in progress with a passed and a failed check (issue 16 §7)."""
import io

import pytest
from django.core.management import call_command

from yikatong.supervision.models import InspectionPlan, PlanState

pytestmark = pytest.mark.django_db


def test_the_demo_leaves_an_inspection_plan_with_results(settings, tmp_path):
    settings.YKT_BANK_OUTBOX, settings.YKT_BANK_INBOX = tmp_path / "outbox", tmp_path / "inbox"
    call_command("demo", "--county", "141024", "--size", "200", stdout=io.StringIO())
    plan = InspectionPlan.objects.get()
    assert plan.state == PlanState.IN_PROGRESS and plan.seed is not None and plan.samples.count() == 5
    outcomes = sorted(plan.samples.filter(result__isnull=False).values_list("result__outcome", flat=True))
    assert outcomes == ["fail", "pass"]
    failed = plan.samples.get(result__outcome="fail").result
    assert failed.finding.rule.code == "INSPECTION"
    call_command("demo", "--county", "141024", "--size", "200", stdout=io.StringIO())
    assert InspectionPlan.objects.count() == 1
