"""Inspections (抽查): the draw is reproducible from its seed, risk weighting favours flagged items, a failed
check opens a finding, refusals carry codes."""
import pytest
from django.core.exceptions import ValidationError

from yikatong.checks.evidence import Upload
from yikatong.checks.manual import manual_rule
from yikatong.checks.models import Finding
from yikatong.core.refusals import Refusal
from yikatong.supervision import inspection_results as results, inspections, sampling
from yikatong.supervision.models import InspectionPlan, PlanState

from .inspection_support import paid  # noqa: F401  (fixture)

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def _plan(actor, regions, **kw):
    args = {"region_code": regions["county"].code, "period": "2026-11", "methods": ["phone", "visit"],
            "sampling_kind": "simple_random", "sample_size": 5, **kw}
    return inspections.plan_create(actor=actor, **args)


def _drawn_ids(plan):
    return list(plan.samples.order_by("rank").values_list("item_id", flat=True))


def test_a_draw_is_reproducible_from_its_seed(people, regions, paid):
    a = inspections.plan_draw(actor=people["sup"], plan_id=_plan(people["sup"], regions).pk, seed=42)
    b = inspections.plan_draw(actor=people["fin"], plan_id=_plan(people["fin"], regions).pk, seed=42)
    c = inspections.plan_draw(actor=people["sup"], plan_id=_plan(people["sup"], regions).pk, seed=43)
    assert a.state == PlanState.DRAWN and a.seed == 42 and a.population == 30 and len(_drawn_ids(a)) == 5
    assert _drawn_ids(a) == _drawn_ids(b)
    assert _drawn_ids(a) != _drawn_ids(c)
    assert {i.pk for i in paid["items"]} >= set(_drawn_ids(a))  # only the paid month's items
    check = inspections.redraw(a)
    assert check.sample_same and check.population_same and check.recomputed == _drawn_ids(a)
    w1 = inspections.plan_draw(actor=people["sup"], plan_id=_plan(people["sup"], regions, sampling_kind="risk_weighted").pk,
                               seed=7)
    w2 = inspections.plan_draw(actor=people["sup"], plan_id=_plan(people["sup"], regions, sampling_kind="risk_weighted").pk,
                               seed=7)
    assert _drawn_ids(w1) == _drawn_ids(w2) and inspections.redraw(w1).sample_same
    # a fresh seed is recorded when none is given
    fresh = inspections.plan_draw(actor=people["sup"], plan_id=_plan(people["sup"], regions).pk)
    assert fresh.seed is not None and inspections.redraw(fresh).sample_same


def test_redraw_notices_a_changed_population(people, regions, paid, batch):
    from .inspection_support import paid_copy

    plan = inspections.plan_draw(actor=people["sup"], plan_id=_plan(people["sup"], regions).pk, seed=5)
    paid_copy(batch, regions, "NOV2", "2026-11", range(40, 45))  # approved after the draw
    check = inspections.redraw(plan)
    assert not check.population_same and check.population_now == 35


def test_risk_weights_name_their_reasons(people, regions, paid):
    items = paid["items"]
    Finding.objects.create(rule=manual_rule(), fingerprint="x", batch=paid["batch"], item=items[0],
                           id_bidx=items[0].id_bidx, severity="block", message="疑点", first_seen_at=paid["batch"].state_since,
                           last_seen_at=paid["batch"].state_since)
    plan = _plan(people["sup"], regions, sampling_kind="risk_weighted")
    units = {u.item_id: u for u in sampling.weigh(sampling.population(plan))}
    assert units[items[0].pk].weight == 1 + sampling.W_FINDING and "有未排除的疑点 1 条" in units[items[0].pk].reasons
    assert units[items[2].pk].reasons == ["金额较上期增长 200%"]  # person 3
    assert units[items[25].pk].reasons == ["首次领取"] and units[items[25].pk].weight == 1 + sampling.W_FIRST
    assert units[items[5].pk].weight == 1 and units[items[5].pk].reasons == []


def test_risk_weighted_sampling_favours_flagged_items():
    """Over 400 fixed seeds, 5 of 100 units weighted 5 are drawn far more often than the others (weight 1)."""
    units = [sampling.Unit(i, f"b{i}", 1, "2026-11", 100, None, weight=5.0 if i <= 5 else 1.0) for i in range(1, 101)]
    flagged = plain = 0
    for seed in range(400):
        for u in sampling.draw(units, size=10, seed=seed, weighted=True):
            flagged += u.item_id <= 5
            plain += u.item_id > 5
    rate_flagged, rate_plain = flagged / (400 * 5), plain / (400 * 95)
    assert rate_flagged > 3 * rate_plain, (rate_flagged, rate_plain)
    simple = sum(u.item_id <= 5 for seed in range(400) for u in sampling.draw(units, size=10, seed=seed, weighted=False))
    assert abs(simple / (400 * 5) - 0.1) < 0.03  # simple random ignores the weights: 10 of 100 each time
    assert [u.item_id for u in sampling.draw(units, size=10, seed=1, weighted=True)] == \
           [u.item_id for u in sampling.draw(list(reversed(units)), size=10, seed=1, weighted=True)]


def test_a_failed_check_opens_a_finding_with_sealed_evidence(people, regions, paid):
    plan = inspections.plan_draw(actor=people["sup"], plan_id=_plan(people["sup"], regions).pk, seed=1)
    first, second = list(plan.samples.order_by("rank"))[:2]
    with pytest.raises(ValidationError) as exc:
        results.result_record(actor=people["sup"], sample_id=first.pk, method="phone", outcome="pass")
    assert exc.value.code == "INSPECTION_PLAN_NOT_IN_PROGRESS"
    inspections.plan_start(actor=people["sup"], plan_id=plan.pk)
    bad = results.result_record(actor=people["sup"], sample_id=first.pk, method="visit", outcome="fail",
                                notes="入户核实本人已于2025年去世", evidence_files=[Upload("走访照片.png", PNG)])
    f = Finding.objects.get(pk=bad.finding_id)
    assert f.rule.code == "INSPECTION" and f.item_id == first.item_id and f.state == "open"
    assert plan.plan_no in f.message and f.evidence["source"] == "inspection"
    ev = bad.evidence.get()
    assert bytes(ev.content_enc) != PNG and ev.size == len(PNG)
    got, data = results.evidence_download(actor=people["fin"], evidence_id=ev.pk)
    assert data == PNG
    ok = results.result_record(actor=people["fin"], sample_id=second.pk, method="phone", outcome="pass")
    assert ok.finding_id is None
    with pytest.raises(ValidationError) as exc:
        results.result_record(actor=people["sup"], sample_id=first.pk, method="phone", outcome="pass")
    assert exc.value.code == "INSPECTION_RESULT_EXISTS"
    with pytest.raises(Refusal) as exc:
        inspections.plan_close(actor=people["sup"], plan_id=plan.pk)
    assert exc.value.code == "INSPECTION_RESULTS_MISSING"
    for s in plan.samples.filter(result__isnull=True):
        results.result_record(actor=people["sup"], sample_id=s.pk, method="phone", outcome="unreachable")
    assert inspections.plan_close(actor=people["sup"], plan_id=plan.pk).state == PlanState.DONE


@pytest.mark.parametrize("kw, code", [
    ({"period": "2026-13"}, "INSPECTION_PERIOD_INVALID"),
    ({"methods": ["sms"]}, "INSPECTION_METHOD_INVALID"),
    ({"methods": []}, "INSPECTION_METHOD_INVALID"),
    ({"sampling_kind": "cluster"}, "INSPECTION_SAMPLING_INVALID"),
    ({"sample_size": 0}, "INSPECTION_SIZE_INVALID"),
    ({"sample_size": 501}, "INSPECTION_SIZE_INVALID"),
    ({"region_code": "141024999999"}, "INSPECTION_REGION_UNKNOWN"),
    ({"policy_id": 999999}, "INSPECTION_POLICY_UNKNOWN"),
])
def test_plan_input_refusals(people, regions, kw, code):
    with pytest.raises(ValidationError) as exc:
        _plan(people["sup"], regions, **kw)
    assert exc.value.code == code


def test_scope_and_role_refusals(people, regions, paid):
    with pytest.raises(Refusal) as exc:
        _plan(people["zhan"], regions)
    assert exc.value.code == "INSPECTION_ROLE"
    with pytest.raises(Refusal) as exc:
        _plan(people["sup_other"], regions)
    assert exc.value.code == "INSPECTION_NOT_IN_SCOPE"
    plan = _plan(people["sup"], regions)
    with pytest.raises(Refusal) as exc:
        inspections.plan_draw(actor=people["sup_other"], plan_id=plan.pk, seed=1)
    assert exc.value.code == "INSPECTION_NOT_IN_SCOPE"
    with pytest.raises(Refusal) as exc:
        inspections.plan_draw(actor=people["zhan"], plan_id=plan.pk, seed=1)
    assert exc.value.code == "INSPECTION_ROLE"
    assert not plan.samples.exists() and InspectionPlan.objects.get(pk=plan.pk).state == PlanState.DRAFT
    with pytest.raises(ValidationError) as exc:
        inspections.plan_draw(actor=people["sup"], plan_id=plan.pk, seed=-1)
    assert exc.value.code == "INSPECTION_SEED_INVALID"
    inspections.plan_draw(actor=people["sup"], plan_id=plan.pk, seed=1)
    with pytest.raises(Refusal) as exc:
        inspections.plan_draw(actor=people["sup"], plan_id=plan.pk, seed=1)
    assert exc.value.code == "TRANSITION_NOT_ALLOWED"
    inspections.plan_start(actor=people["sup"], plan_id=plan.pk)
    sample = plan.samples.first()
    with pytest.raises(Refusal) as exc:
        results.result_record(actor=people["sup_other"], sample_id=sample.pk, method="phone", outcome="pass")
    assert exc.value.code == "INSPECTION_NOT_IN_SCOPE"
    with pytest.raises(ValidationError) as exc:
        results.result_record(actor=people["sup"], sample_id=sample.pk, method="documents", outcome="pass")
    assert exc.value.code == "INSPECTION_METHOD_NOT_IN_PLAN"
    with pytest.raises(ValidationError) as exc:
        results.result_record(actor=people["sup"], sample_id=sample.pk, method="phone", outcome="fail")
    assert exc.value.code == "INSPECTION_NOTES_REQUIRED"
    empty = _plan(people["sup"], regions, period="2025-01")
    with pytest.raises(ValidationError) as exc:
        inspections.plan_draw(actor=people["sup"], plan_id=empty.pk, seed=1)
    assert exc.value.code == "INSPECTION_POPULATION_EMPTY"
    assert InspectionPlan.objects.get(pk=empty.pk).state == PlanState.DRAFT


def test_complaints_about_the_village_weigh_in(people, regions, paid, rw):
    """disclosure hands complaints in through the hook: only those filed before the draw count."""
    from django.utils import timezone

    from yikatong.disclosure.complaints import complaint_file
    from yikatong.rosters.models import BatchItem

    item = paid["items"][6]
    BatchItem.objects.filter(pk=item.pk).update(village=regions["village1"])
    before = timezone.now()
    complaint_file(kind="complaint", region_code=regions["village1"].code, text="补贴被村干部代领",
                   policy_id=rw.policy.pk, contact_name="群众", phone="13900001234")
    plan = _plan(people["sup"], regions, sampling_kind="risk_weighted")
    units = {u.item_id: u for u in sampling.weigh(sampling.population(plan))}
    assert units[item.pk].reasons == ["所在村一年内有投诉举报 1 件"]
    earlier = {u.item_id: u for u in sampling.weigh(sampling.population(plan), as_of=before)}
    assert earlier[item.pk].reasons == []
