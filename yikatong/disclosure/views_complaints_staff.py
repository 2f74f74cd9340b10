"""Staff complaint pages (/disclosure/complaints/): the list in the user's scope with handling time, one
complaint with its replies, and the actions (受理, 答复, 答复并办结). Thin: selector/service, render."""
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yikatong.web.actions import perform

from . import complaints as svc
from . import complaints_scope
from .models.complaints import Complaint, ComplaintState


def _get(request, pk: int) -> Complaint:
    try:
        return complaints_scope.visible_to(request.user).select_related("region", "township", "department",
                                                                        "policy").get(pk=pk)
    except Complaint.DoesNotExist:
        raise Http404 from None


def complaints(request):
    state = request.GET.get("state", "")
    qs = complaints_scope.visible_to(request.user).select_related("region", "department")
    if state in ComplaintState.values:
        qs = qs.filter(state=state)
    return render(request, "disclosure/complaints/staff_list.html", {
        "rows": qs[:500], "states": ComplaintState.choices, "state": state, "today": timezone.localdate()})


def complaint_detail(request, pk: int):
    c = _get(request, pk)
    return render(request, "disclosure/complaints/staff_detail.html", {
        "c": c, "replies": c.replies.select_related("by"), "may_handle": complaints_scope.may_handle(request.user, c),
        "today": timezone.localdate()})


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
