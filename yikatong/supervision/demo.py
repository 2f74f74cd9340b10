"""Demo of supervision (issue 16 §7), through the real services, after the payments demo; each part idempotent.

- inspections (抽查): one risk-weighted plan over the county's paid batch, drawn with a fixed seed and in
  progress — one sample checked by phone (相符), one by a home visit that failed (不相符, which opened a finding);
- accountability (追回): a complaint-style manual finding on a paid item, confirmed by county finance, the
  recovery opened and half of it repaid with a voucher (the ledger takes it back onto the quota)."""
from __future__ import annotations

SEED = 20260930
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def build(county_code: str, *, size: int, stdout) -> None:
    build_inspection(county_code, size=size, stdout=stdout)
    build_recovery(county_code, size=size, stdout=stdout)


def build_inspection(county_code: str, *, size: int, stdout) -> None:
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




def build_recovery(county_code: str, *, size: int, stdout) -> None:
    from django.utils import timezone

    from yikatong.accounts.models import User
    from yikatong.checks import services as check_services
    from yikatong.checks.manual import finding_open_manual
    from yikatong.rosters import hooks as roster_hooks
    from yikatong.rosters.models import Batch, BatchItem

    from . import recovery
    from .models import Recovery

    if Recovery.objects.filter(region__code__startswith=county_code).exists():
        return
    fin = User.objects.filter(username="czj_ks").first()
    paid = (Batch.objects.filter(region__code__startswith=county_code, state__in=("paid", "partly_failed", "closed"))
            .order_by("period", "pk").first())
    if fin is None or paid is None:
        stdout.write("违规资金追回：没有已发放的批次，跳过")
        return
    item = next((i for i in BatchItem.objects.filter(batch=paid, status="active").order_by("-seq")[:20]
                 if roster_hooks.paid_line(i) is not None), None)
    if item is None:
        return
    f = finding_open_manual(actor=fin, item_id=item.pk, reason="群众反映该户已迁出本村仍领取补贴", source_ref="DEMO-ZH-1")
    check_services.finding_dispose(actor=fin, finding_id=f.pk, decision="confirmed", reason="入户核实：已于年初迁出，属违规领取")
    r = recovery.recovery_open(actor=fin, finding_id=f.pk, reason="迁出后继续领取，责令退回")
    half = max(r.amount_fen // 2, 1)
    recovery.repayment_record(actor=fin, recovery_id=r.pk, amount_fen=half, repaid_on=timezone.localdate(),
                              voucher_no="JK-DEMO-0001", evidence_name="缴款收据.png", evidence_data=PNG)
    stdout.write(f"违规资金追回：{r.recovery_no} 已立案，已缴回一半，期限 {r.due_on:%Y-%m-%d}")
