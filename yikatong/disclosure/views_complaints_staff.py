"""Staff complaint pages (/disclosure/complaints/): the list in the user's scope with handling time in working
days and overdue marks, one complaint with its replies, and the actions (受理, 答复, 答复并办结, 登记疑点,
移送线索, the attachment's download). Thin: selector/service, render."""
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yikatong.core.downloads import download_response
from yikatong.supervision.selectors import may_read as clue_reader
from yikatong.web.actions import perform

from . import complaints as svc
from . import complaints_links, complaints_scope, complaints_selectors
from .errors import ComplaintNotFound
from .models.complaints import Complaint, ComplaintState


def _get(request, pk: int) -> Complaint:
    try:
        return complaints_scope.visible_to(request.user).select_related(
            "region", "township", "department", "policy", "finding__batch", "finding__item", "clue",
            "objection__notice__batch").get(pk=pk)
    except Complaint.DoesNotExist:
        raise Http404 from None


def complaints(request):
    state, overdue = request.GET.get("state", ""), request.GET.get("overdue") == "1"
    rows = complaints_selectors.staff_list(request.user, state=state, overdue=overdue)
    return render(request, "disclosure/complaints/staff_list.html", {
        "rows": rows, "summary": complaints_selectors.summary(rows), "states": ComplaintState.choices,
        "state": state, "overdue": overdue})


def complaint_detail(request, pk: int):
    c = _get(request, pk)
    return render(request, "disclosure/complaints/staff_detail.html", {
        "c": c, "replies": c.replies.select_related("by"), "may_handle": complaints_scope.may_handle(request.user, c),
        "may_read_clues": clue_reader(request.user), "today": timezone.localdate()})


def complaint_attachment(request, pk: int):
    c = _get(request, pk)
    try:
        c, data = complaints_links.complaint_attachment_download(actor=request.user, complaint_id=c.pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    except ComplaintNotFound as exc:
        raise Http404(str(exc)) from exc
    return download_response(data, filename=c.attachment_name, content_type=c.attachment_type)


@require_POST
def complaint_assign(request, pk: int):
    c = _get(request, pk)
    return perform(request, lambda: svc.complaint_assign(actor=request.user, complaint_id=c.pk), success="已受理",
                   then=reverse("disclosure_complaint", args=[c.pk]))


@require_POST
def complaint_reply(request, pk: int):
    c = _get(request, pk)
    return perform(request, lambda: svc.complaint_reply(actor=request.user, complaint_id=c.pk,
                                                        text=request.POST.get("text", ""),
                                                        close=request.POST.get("close") == "1"),
                   success="已答复", then=reverse("disclosure_complaint", args=[c.pk]))


def _back(c) -> str:
    return reverse("disclosure_complaint", args=[c.pk])


@require_POST
def complaint_open_finding(request, pk: int):
    c = _get(request, pk)

    def call():
        item_id = complaints_links.item_lookup(actor=request.user, batch_code=request.POST.get("batch", ""),
                                               seq=request.POST.get("seq", ""))
        return complaints_links.complaint_open_finding(actor=request.user, complaint_id=c.pk, item_id=item_id,
                                                       reason=request.POST.get("reason", ""))

    return perform(request, call, lambda out: f"已登记疑点 #{out.finding_id}，须处置后批次才能审批", _back(c),
                   flash_denied=True)


@require_POST
def complaint_transfer_clue(request, pk: int):
    c = _get(request, pk)
    return perform(request, lambda: complaints_links.complaint_transfer_clue(
        actor=request.user, complaint_id=c.pk, reason=request.POST.get("reason", "")),
        lambda out: f"已移送监督检查，线索编号 {out.clue.case_no}", _back(c), flash_denied=True)
