"""Pages of accountability (追回/问责): the recovery list (open / overdue), a recovery with its repayments and
sanctions, and the forms (open, repay, write off, transfer to 纪委监委, sanctions of a recovery or a clue). Thin:
one selector or service per request. Readers: supervisors and finance; finance opens and records."""
import datetime

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yikatong.core import uploads
from yikatong.core.downloads import download_response
from yikatong.core.money import Money, MoneyError
from yikatong.core.refusals import invalid
from yikatong.web.actions import perform
from yikatong.web.permissions import requires

from . import recovery, recovery_selectors, selectors
from .recovery_models import Measure, RecoveryState, Repayment


def _filters(request) -> dict:
    g = request.GET
    return {"state": g.get("state", "").strip(), "overdue": g.get("overdue") == "1", "q": g.get("q", "").strip()[:40]}


def _fen(text: str, code: str) -> int:
    try:
        return Money.parse((text or "").strip()).fen
    except MoneyError:
        raise invalid(code, amount=(text or "")[:20], paid="", outstanding="") from None


def _day(text: str, code: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat((text or "").strip())
    except ValueError:
        raise invalid(code, day=(text or "")[:10], opened="") from None


@requires(recovery_selectors.may_read)
def recoveries(request):
    f = _filters(request)
    rows = list(recovery_selectors.recoveries_for(request.user, **f)[:500])
    return render(request, "supervision/recoveries.html", {
        "f": f, "rows": [(r, recovery_selectors.is_overdue(r)) for r in rows], "states": RecoveryState.choices,
        "candidates": recovery_selectors.candidates(request.user),
        "may_open": recovery.county_finance(request.user)})


@require_POST
@requires(recovery_selectors.may_read)
def recovery_open(request):
    p = request.POST

    def call():
        finding = p.get("finding", "").strip()
        if not finding.isdigit():
            raise invalid("RECOVERY_FINDING_NO_ITEM", finding=finding[:12])
        amount = p.get("amount", "").strip()
        return recovery.recovery_open(actor=request.user, finding_id=int(finding), reason=p.get("reason", ""),
                                      amount_fen=_fen(amount, "RECOVERY_AMOUNT_INVALID") if amount else None)

    return perform(request, call, lambda r: f"已立案追回 {r.recovery_no}",
                   lambda r: reverse("supervision_recovery", args=[r.pk]) if r else reverse("supervision_recoveries"),
                   flash_denied=True)


@requires(recovery_selectors.may_read)
def recovery_detail(request, pk: int):
    r = get_object_or_404(recovery_selectors.recoveries_for(request.user), pk=pk)
    finance = recovery.county_finance(request.user)
    return render(request, "supervision/recovery.html", {
        "r": r, "overdue": recovery_selectors.is_overdue(r), "repayments": r.repayments.select_related("recorded_by"),
        "sanctions": r.sanctions.all(), "measures": Measure.choices, "may_record": finance and r.state in recovery.LIVE,
        "may_write_off": finance and r.state in recovery.LIVE and r.opened_by_id != request.user.pk,
        "today": timezone.localdate().isoformat()})


def _on(request, pk: int, call, success: str):
    r = get_object_or_404(recovery_selectors.recoveries_for(request.user), pk=pk)
    return perform(request, lambda: call(r.pk), success, reverse("supervision_recovery", args=[r.pk]),
                   flash_denied=True)


@require_POST
@requires(recovery_selectors.may_read)
def recovery_repay(request, pk: int):
    p, upload = request.POST, request.FILES.get("evidence")
    return _on(request, pk, lambda rid: recovery.repayment_record(
        actor=request.user, recovery_id=rid, amount_fen=_fen(p.get("amount", ""), "REPAYMENT_AMOUNT_INVALID"),
        repaid_on=_day(p.get("repaid_on", ""), "REPAYMENT_DATE_INVALID"), voucher_no=p.get("voucher_no", ""),
        evidence_name=upload.name if upload else "",
        evidence_data=uploads.read(request, upload, "attachment") if upload else None), "已登记缴回")


@require_POST
@requires(recovery_selectors.may_read)
def recovery_write_off(request, pk: int):
    return _on(request, pk, lambda rid: recovery.recovery_write_off(
        actor=request.user, recovery_id=rid, reason=request.POST.get("reason", "")), "已核销")


@require_POST
@requires(recovery_selectors.may_read)
def recovery_transfer(request, pk: int):
    return _on(request, pk, lambda rid: recovery.recovery_transfer(
        actor=request.user, recovery_id=rid, reason=request.POST.get("reason", ""),
        case_no=request.POST.get("case_no", "")), "已移送纪委监委（关联线索）")


def _sanction(request, **target):
    p = request.POST
    return recovery.sanction_record(
        actor=request.user, position=p.get("position", ""), measure=p.get("measure", ""),
        decided_on=_day(p.get("decided_on", ""), "SANCTION_DATE_INVALID"), doc_number=p.get("doc_number", ""),
        note=p.get("note", ""), **target)


@require_POST
@requires(recovery_selectors.may_read)
def recovery_sanction(request, pk: int):
    return _on(request, pk, lambda rid: _sanction(request, recovery_id=rid), "已登记处理处分")


@require_POST
@requires(selectors.may_read)
def clue_sanction(request, pk: int):
    clue = get_object_or_404(selectors.clues_for(request.user), pk=pk)
    return perform(request, lambda: _sanction(request, clue_id=clue.pk), "已登记处理处分",
                   reverse("supervision_clue", args=[clue.pk]), flash_denied=True)


@requires(recovery_selectors.may_read)
def repayment_evidence(request, pk: int):
    pay = get_object_or_404(Repayment.objects.filter(recovery__in=recovery_selectors.recoveries_for(request.user)),
                            pk=pk)
    return download_response(pay.evidence(), filename=pay.evidence_name, content_type=pay.evidence_type)

