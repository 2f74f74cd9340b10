"""Pages of the bank's obligations after the answer: recording the return of failed funds with its receipt
(失败资金原渠道退回) and the yearly survey of each bank's service (代发银行满意度调查). One service per POST."""
import datetime

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yikatong.accounts.roles import Role
from yikatong.core import uploads
from yikatong.core.downloads import download_response
from yikatong.core.money import Money, MoneyError
from yikatong.web.actions import FAILURES, perform
from yikatong.web.permissions import requires_roles

from . import returns, selectors, surveys
from .errors import PaymentError


def _int(text: str, code: str):
    text = (text or "").strip()
    if not text.lstrip("-").isdigit():
        raise PaymentError(code)
    return int(text)


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat((text or "").strip())
    except ValueError:
        raise PaymentError("FUND_RETURN_DATE_INVALID", day=text[:10], arrived="") from None


def _amount_fen(text: str) -> int:
    try:
        return Money.parse((text or "").strip()).fen
    except MoneyError:
        raise PaymentError("FUND_RETURN_AMOUNT_INVALID", amount=(text or "")[:20]) from None


@require_POST
@requires_roles(Role.BANK, Role.FINANCE_REVIEWER)
def fund_return_record(request, pk):
    """The bank (or finance on its behalf) records the return; back to where the form was."""
    get_object_or_404(selectors.orders_readable(request.user), pk=pk)  # another region's order: 404, never named
    back = reverse("payments_bank_orders") if request.user.has_role(Role.BANK) else reverse("payments_order", args=[pk])
    upload = request.FILES.get("receipt")

    def call():
        return returns.fund_return_record(
            actor=request.user, order_id=pk, amount_fen=_amount_fen(request.POST.get("amount", "")),
            returned_on=_day(request.POST.get("returned_on", "")), receipt_name=upload.name if upload else "",
            receipt_data=uploads.read(request, upload, "attachment") if upload else None,
            note=request.POST.get("note", ""))

    return perform(request, call, lambda r: f"已登记失败资金退回 {Money(r.amount_fen)}（批次号 {r.order.batch_no}）", back)


def fund_return_receipt(request, pk):
    ret = get_object_or_404(selectors.fund_returns_for(request.user), order_id=pk)
    return download_response(ret.receipt(), filename=ret.receipt_name, content_type=ret.receipt_type)


@requires_roles(*selectors.READERS)
def survey_list(request):
    """Per bank, the surveys of each year; finance records a new one where the profile says so."""
    return render(request, "payments/surveys.html", {
        "rows": surveys.banks_with_surveys(request.user), "offered": surveys.offered(),
        "can_record": surveys.offered() and request.user.has_role(Role.FINANCE_REVIEWER),
        "this_year": timezone.localdate().year})


@require_POST
@requires_roles(*selectors.READERS)
def survey_create(request):
    p, upload = request.POST, request.FILES.get("report")
    bank_id = p.get("bank", "")
    if bank_id.isdigit():
        get_object_or_404(selectors.banks_for(request.user), pk=int(bank_id))  # outside the region: 404

    def call():
        figures = {k: _int(p.get(k, ""), "SURVEY_FIGURES_INVALID") for k in ("respondents", "satisfied", "score")}
        return surveys.survey_record(
            actor=request.user, bank_id=_int(bank_id, "SURVEY_BANK_REQUIRED"),
            year=_int(p.get("year", ""), "SURVEY_FIGURES_INVALID"), findings=p.get("findings", ""),
            report_name=upload.name if upload else "",
            report_data=uploads.read(request, upload, "attachment") if upload else None, **figures)

    return perform(request, call, lambda s: f"已登记 {s}", "payments_surveys", failures=FAILURES)


def survey_report(request, pk):
    s = get_object_or_404(surveys.surveys_for(request.user).exclude(report_sha256=""), pk=pk)
    return download_response(s.report(), filename=s.report_name, content_type=s.report_type)
