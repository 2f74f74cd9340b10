"""账户变更申请: the station's request, the finance office's decision, a person's account history."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yikatong.core import uploads
from yikatong.core.downloads import download_response
from yikatong.web.actions import FAILURES, perform, report_refusal
from yikatong.web.permissions import Forbidden

from .. import card_selectors, change_selectors, selectors, services
from ..forms import AccountChangeForm, DecisionForm
from ..permissions import ACCOUNT_CHANGE_APPROVE_ROLES, ACCOUNT_CHANGE_REQUEST_ROLES, VIEW_ROLES

NOT_FOUND = "没有这条账户变更申请，或不在您的辖区"


@require_GET
def account_changes(request):
    if not request.user.has_role(*VIEW_ROLES):
        raise Forbidden()
    return render(request, "registry/account_changes.html", {
        "to_decide": list(change_selectors.changes_to_decide(request.user)[:200]),
        "changes": list(change_selectors.changes_for(request.user)[:200])})


@require_http_methods(["GET", "POST"])
def account_change_new(request, person_id: int):
    if not request.user.has_role(*ACCOUNT_CHANGE_REQUEST_ROLES):
        raise Forbidden()
    person = selectors.persons_for(request.user).filter(pk=person_id).first()
    if person is None:
        raise Http404("没有这个人员，或不在您的辖区")
    form = AccountChangeForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        try:
            uploads.refuse_oversized(request, "attachment", "change")
        except uploads.UploadRefused as exc:
            uploads.flash(request, exc)
            return redirect("registry_account_change_new", person_id=person_id)
        if form.is_valid():
            data = form.cleaned_data
            f = data["attachment"]
            try:
                req = services.account_change_request(
                    actor=request.user, person_id=person_id, account_no=data["account_no"], bank=data["bank"],
                    reason=data["reason"], effective_date=data["effective_date"], kind=data["kind"],
                    holder_name=data["holder_name"], attachment=uploads.read(request, f, "change") if f else None,
                    attachment_name=f.name if f else "")
            except FAILURES as exc:  # a refusal is flashed with its code
                report_refusal(request, exc)
            else:
                messages.success(request, "已提交账户变更申请，待乡镇财政所审核")
                return redirect("registry_account_change", request_id=req.pk)
    return render(request, "registry/account_change_new.html", {"form": form, "p": person})


def _visible(request, request_id: int):
    req = change_selectors.changes_for(request.user).filter(pk=request_id).first()
    if req is None:
        raise Http404(NOT_FOUND)
    return req


@require_GET
def account_change(request, request_id: int):
    if not request.user.has_role(*VIEW_ROLES):
        raise Forbidden()
    req = _visible(request, request_id)
    can_decide = (req.state == "pending" and request.user.has_role(*ACCOUNT_CHANGE_APPROVE_ROLES)
                  and req.requested_by_id != request.user.pk)
    return render(request, "registry/account_change.html", {"r": req, "can_decide": can_decide,
                                                            "form": DecisionForm() if can_decide else None})


@require_POST
def account_change_decide(request, request_id: int):
    if not request.user.has_role(*ACCOUNT_CHANGE_APPROVE_ROLES):
        raise Forbidden()
    _visible(request, request_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择批准或不予批准")
        return redirect("registry_account_change", request_id=request_id)
    data = form.cleaned_data
    approve = data["decision"] == "approve"
    return perform(request, lambda: services.account_change_decide(
        actor=request.user, request_id=request_id, approve=approve, reason=data["reason"]),
        lambda r: f"账户变更申请 #{r.pk}：{r.get_state_display()}",
        redirect("registry_account_change", request_id=request_id).url, flash_denied=True)


@require_GET
def account_change_attachment(request, request_id: int):
    if not request.user.has_role(*VIEW_ROLES):
        raise Forbidden()
    req = _visible(request, request_id)
    if not req.attachment_sha256:
        raise Http404("此申请没有附件")
    full = type(req).objects.get(pk=req.pk)  # the sealed bytes (deferred in the list query)
    return download_response(full.attachment(), filename=req.attachment_name, content_type=req.attachment_type)


@require_GET
def account_history(request, person_id: int):
    if not request.user.has_role(*VIEW_ROLES):
        raise Forbidden()
    detail = selectors.person_detail(request.user, person_id)
    cards = card_selectors.person_cards(request.user, person_id)
    if detail is None or cards is None:
        raise Http404("没有这个人员，或不在您的辖区")
    return render(request, "registry/account_history.html", {
        "d": detail, "p": detail.person, "c": cards,
        "can_request": request.user.has_role(*ACCOUNT_CHANGE_REQUEST_ROLES)})
