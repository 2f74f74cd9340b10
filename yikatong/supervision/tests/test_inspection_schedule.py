"""003's quarterly check of monthly payments: the slot makes one drawn plan per county and quarter, once."""
from yikatong.supervision import tasks
from yikatong.supervision.inspection_schedule import last_quarter, quarterly_plans_create
from yikatong.supervision.models import InspectionPlan, PlanState

from .inspection_support import paid_copy


def test_last_quarter():
    import datetime

    assert last_quarter(datetime.date(2026, 10, 1)) == "2026Q3"
    assert last_quarter(datetime.date(2026, 2, 15)) == "2025Q4"


def test_the_quarterly_slot_creates_one_plan_per_county_and_quarter(rw, batch, regions):
    paid_copy(batch, regions, "AUG", "2026-08", range(1, 31), profile="003")
    paid_copy(batch, regions, "SEP", "2026-09", range(1, 11), profile="003")
    paid_copy(batch, regions, "Q3", "2026Q3", range(50, 60), profile="003")  # not a monthly payment
    paid_copy(batch, regions, "OCT", "2026-10", range(1, 5), profile="003")  # next quarter
    made = quarterly_plans_create(quarter="2026Q3")
    assert len(made) == 1
    plan = made[0]
    assert plan.state == PlanState.DRAWN and plan.created_by is None and plan.seed is not None
    assert plan.schedule_key == "141024:2026Q3" and plan.periods == ["2026-07", "2026-08", "2026-09"]
    assert plan.population == 40 and plan.sample_size == 10 and plan.samples.count() == 10  # 2% of 40, at least 10
    assert plan.sampling == "risk_weighted" and set(plan.methods) == {"phone", "visit"}
    assert quarterly_plans_create(quarter="2026Q3") == []  # idempotent
    assert InspectionPlan.objects.count() == 1


def test_profiles_without_the_quarterly_check_get_no_plan(rw, batch, regions):
    paid_copy(batch, regions, "AUG", "2026-08", range(1, 31), profile="004")
    assert quarterly_plans_create(quarter="2026Q3") == []
    assert tasks.quarterly_inspections_due() is False


def test_a_scheduled_plan_is_in_the_inspectors_to_do_list(rw, batch, regions, people):
    from yikatong.web.todo import todos_for

    paid_copy(batch, regions, "AUG", "2026-08", range(1, 12), profile="003")
    plan = quarterly_plans_create(quarter="2026Q3")[0]
    titles = [t.title for t in todos_for(people["sup"])]
    assert any(plan.plan_no in t and "待开始核查" in t for t in titles), titles
    assert not any(plan.plan_no in t.title for t in todos_for(people["sup_other"]))
