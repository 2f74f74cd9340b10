"""Social-security cards: the pre-payment list of unusable cards per township (page and xlsx),
a person's card status and activation follow-ups."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from yikatong.audit.services import record_export
from yikatong.core.downloads import export_response
from yikatong.core.xlsx import write_xlsx
from yikatong.web.actions import perform
from yikatong.web.permissions import Forbidden

from .. import card_selectors, selectors, services
from ..forms import CardFollowUpForm
from ..permissions import CARD_FOLLOWUP_ROLES, VIEW_ROLES

EXPORT_HEADERS = ["序号", "姓名", "身份证号码", "村(社区)", "户号", "账户类型", "开户银行", "账号", "社保卡状态", "信息来源",
                  "状态日期", "最近跟进"]


@require_GET
def cards(request):
    if not request.user.has_role(*VIEW_ROLES):
        raise Forbidden()
    township = request.GET.get("township", "")
    rows = card_selectors.card_list(request.user, township_code=township)
    return render(request, "registry/cards.html", {
        "rows": rows, "township": township, "townships": card_selectors.township_choices(request.user),
        "can_follow": request.user.has_role(*CARD_FOLLOWUP_ROLES)})


@require_GET
def cards_export(request):
    if not request.user.has_role(*VIEW_ROLES):
        raise Forbidden()
    township = request.GET.get("township", "")
    rows = card_selectors.card_list(request.user, township_code=township)
    if rows is None:
        raise Http404("请先选择乡镇")
    data = write_xlsx(EXPORT_HEADERS, [
        (i, r.name, r.masked_id, r.village, r.household, r.kind, r.bank, r.masked_account, r.status_label, r.source,
         r.since.isoformat() if r.since else "", r.followup) for i, r in enumerate(rows, 1)],
        title="发放前社保卡状态异常人员清单（未激活、冻结、挂失、销户）", sheet_name="社保卡状态", text_columns=(2, 4, 7))
    record_export(actor=request.user, what="registry_cards_xlsx", rows=len(rows), object_type="registry.card_list",
                  object_id=township or (request.user.scope_prefix or ""))
    return export_response(data, filename="社保卡状态异常人员清单.xlsx")


@require_POST
def card_followup(request, person_id: int):
    if not request.user.has_role(*CARD_FOLLOWUP_ROLES):
        raise Forbidden()
    if not selectors.persons_for(request.user).filter(pk=person_id).exists():
        raise Http404("没有这个人员，或不在您的辖区")
    form = CardFollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[k].label}：{'、'.join(v)}" for k, v in form.errors.items()))
        return redirect("registry_person", person_id=person_id)
    data = form.cleaned_data
    return perform(request, lambda: services.card_followup_record(
        actor=request.user, person_id=person_id, contacted_on=data["contacted_on"], result=data["result"],
        note=data["note"]), "已登记激活跟进", redirect("registry_person", person_id=person_id).url)
