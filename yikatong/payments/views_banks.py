"""代发银行与协议: the agent banks of the caller's region and their agreements (accounts masked), read by
finance, treasury, supervisors and admins; a system administrator registers a bank or an agreement here.
One service per POST (payments.banks); refusals are flashed with their code."""
from django.shortcuts import render
from django.views.decorators.http import require_POST

from yikatong.accounts.roles import Role
from yikatong.web.actions import perform
from yikatong.web.permissions import requires_roles

from . import banks, selectors, surveys
from .forms import AgreementForm, BankForm


def _page(request, bank_form=None, agreement_form=None, status=200):
    u = request.user
    agreements = {}
    for a in selectors.agreements_for(u).order_by("bank__code", "-valid_from", "pk"):
        agreements.setdefault(a.bank_id, []).append(a)
    rows = [(b, agreements.pop(b.pk, [])) for b in selectors.banks_for(u).order_by("code")]
    can_register = u.has_role(Role.SYSADMIN)
    return render(request, "payments/banks.html", {
        "rows": rows,
        # agreements of this region's payers with a bank registered outside it (e.g. at the prefecture)
        "other_agreements": [a for group in agreements.values() for a in group],
        "can_register": can_register,
        "survey_offered": surveys.offered(),  # seed 003: the yearly survey of each bank's service
        "bank_form": bank_form or (BankForm(actor=u) if can_register else None),
        "agreement_form": agreement_form or (AgreementForm(actor=u) if can_register else None),
    }, status=status)


@requires_roles(*selectors.READERS)
def bank_list(request):
    return _page(request)


@require_POST
@requires_roles(*selectors.READERS)
def bank_create(request):
    form = BankForm(request.POST, actor=request.user)
    if not form.is_valid():
        return _page(request, bank_form=form, status=400)
    d = form.cleaned_data
    return perform(request, lambda: banks.agent_bank_create(actor=request.user, code=d["code"].strip(),
                                                            name=d["name"].strip(), organization=d["organization"]),
                   lambda b: f"代发银行 {b} 已登记", "payments_banks", flash_denied=True)


@require_POST
@requires_roles(*selectors.READERS)
def agreement_create(request):
    form = AgreementForm(request.POST, request.FILES, actor=request.user)
    if not form.is_valid():
        return _page(request, agreement_form=form, status=400)
    d = form.cleaned_data

    def call():
        return banks.agreement_create(
            actor=request.user, bank=d["bank"], payer=d["payer"], department=d["department"],
            payer_account="".join(d["payer_account"].split()), payer_name=d["payer_name"].strip(),
            mac_key=banks.mac_key_from_text(d["mac_key"]), valid_from=d["valid_from"], valid_to=d["valid_to"],
            document=d["document"], pay_within_working_days=d["pay_within_working_days"],
            report_within_days=d["report_within_days"])

    return perform(request, call, lambda a: f"代发协议已登记：{a}", "payments_banks", flash_denied=True)
