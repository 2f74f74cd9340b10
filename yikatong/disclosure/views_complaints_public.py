"""Public complaint pages (no login): file a complaint/report/question, track it with number + code, and
file an objection to a running notice from its published list (公示异议)."""
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from yikatong.audit.middleware import client_ip
from yikatong.core import uploads
from yikatong.core.downloads import sniff
from yikatong.core.refusals import Refusal
from yikatong.regions.models import Region

from . import complaints as svc
from . import complaints_objections
from .errors import DisclosureNotFound


def _choices():
    regions = Region.objects.filter(level__in=(svc.TOWNSHIP_LEVEL, svc.VILLAGE_LEVEL)).order_by("code")[:2000]
    policies = svc.public_policies().order_by("name").only("pk", "name")[:500]
    return {"kinds": [(k.value, k.label) for k in svc.GENERAL_KINDS], "regions": regions, "policies": policies}


@never_cache
def complaint_new(request):
    ctx = {**_choices(), "form": request.POST}
    if request.method == "POST":
        try:
            svc.throttle("new", client_ip(request))
            attachment = _attachment(request)
            policy = request.POST.get("policy", "")
            filed = svc.complaint_file(kind=request.POST.get("kind", ""), region_code=request.POST.get("region", ""),
                                       text=request.POST.get("text", ""),
                                       policy_id=int(policy) if policy.isdigit() else None,
                                       contact_name=request.POST.get("contact_name", ""),
                                       phone=request.POST.get("phone", ""), attachment=attachment)
        except Refusal as exc:
            ctx["error"] = str(exc)
            return render(request, "disclosure/complaints/new.html", ctx, status=400)
        return render(request, "disclosure/complaints/filed.html", {"c": filed.complaint, "code": filed.code})
    return render(request, "disclosure/complaints/new.html", ctx)


@never_cache
def complaint_track(request):
    ctx = {"number": request.POST.get("number", "")}
    if request.method == "POST":
        try:
            svc.throttle("track", client_ip(request))
            ctx["c"] = svc.complaint_track(tracking_no=request.POST.get("number", ""),
                                           code=request.POST.get("code", ""))
        except Refusal as exc:
            ctx["error"] = str(exc)
    return render(request, "disclosure/complaints/track.html", ctx)


def _attachment(request):
    f = request.FILES.get("attachment")
    if not f:
        return None
    data = uploads.read(request, f, "attachment")
    return f.name, sniff(data) or "application/octet-stream", data


@never_cache
def list_objection(request, public_id: str):
    """公示异议: an objection to the notice of published list `public_id`, while it runs."""
    try:
        pl = complaints_objections.notice_list(public_id)
    except DisclosureNotFound as exc:
        raise Http404(str(exc)) from exc
    ctx = {"pl": pl, "running": complaints_objections.notice_running(pl), "form": request.POST}
    if request.method == "POST":
        try:
            svc.throttle("new", client_ip(request))
            filed = complaints_objections.objection_file(
                public_id=pl.public_id, text=request.POST.get("text", ""),
                contact_name=request.POST.get("contact_name", ""), phone=request.POST.get("phone", ""),
                attachment=_attachment(request))
        except Refusal as exc:
            ctx["error"] = str(exc)
            return render(request, "disclosure/complaints/objection.html", ctx, status=400)
        return render(request, "disclosure/complaints/filed.html", {"c": filed.complaint, "code": filed.code})
    return render(request, "disclosure/complaints/objection.html", ctx)
