"""Demo of inspections (抽查, issue 16 §7): one risk-weighted plan over the county's paid batch, drawn with a
fixed seed and in progress — one sample checked by phone (相符), one by a home visit that failed (不相符, which
opened a finding). Runs after the payments demo; idempotent (only when the county has no plan yet)."""
from __future__ import annotations

SEED = 20260930


def build(county_code: str, *, size: int, stdout) -> None:
    from yikatong.accounts.models import User
    from yikatong.regions.models import Region
    from yikatong.rosters.models import Batch

    from . import inspection_results, inspections, sampling
    from .models import InspectionPlan

    sup = User.objects.filter(username="shenji").first()
    if sup is None or sup.region is None:
        stdout.write("抽查：缺少演示审计用户，跳过")
        return
    county = Region.full_code(county_code)
    if InspectionPlan.objects.filter(region__code__startswith=county_code).exists():
        return
    paid = (Batch.objects.filter(region__code__startswith=county_code, state__in=sampling.PAID_STATES)
            .order_by("pk").first())
    if paid is None:
        stdout.write("抽查：没有已发放的批次，跳过")
        return
    plan = inspections.plan_create(actor=sup, region_code=county, period=paid.period, methods=["phone", "visit"],
                                   sampling_kind="risk_weighted", sample_size=5,
                                   title=f"{paid.period} 发放情况电话抽查和入户走访")
    inspections.plan_draw(actor=sup, plan_id=plan.pk, seed=SEED)
    inspections.plan_start(actor=sup, plan_id=plan.pk)
    samples = list(plan.samples.order_by("rank")[:2])
    if samples:
        inspection_results.result_record(actor=sup, sample_id=samples[0].pk, method="phone", outcome="pass",
                                         notes="电话联系本人，确认补贴已足额到账")
    if len(samples) > 1:
        inspection_results.result_record(actor=sup, sample_id=samples[1].pk, method="visit", outcome="fail",
                                         notes="入户走访：本人常年在外务工，社保卡由他人保管，补贴由他人支取")
    stdout.write(f"抽查：计划 {plan.plan_no} 已抽取 {plan.samples.count()} 个样本（随机种子 {SEED}），已登记 2 个结果")
