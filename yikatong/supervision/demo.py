"""Demo of accountability (追回, issue 16 §7): a recovery in progress in the demo county, through the real services —
a complaint-style manual finding on a paid item of the paid batch, confirmed by county finance, the recovery opened
and half of it repaid with a voucher (the ledger takes it back onto the quota). Runs after the payments demo;
idempotent (only when the county has no recovery yet)."""
from __future__ import annotations

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def build(county_code: str, *, size: int, stdout) -> None:
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
