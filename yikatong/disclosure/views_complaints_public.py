"""Public complaint pages (no login): file a complaint/report/question, track it with number + code."""
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from yikatong.audit.middleware import client_ip
from yikatong.core import uploads
from yikatong.core.downloads import sniff
from yikatong.core.refusals import Refusal
from yikatong.regions.models import Region

from . import complaints as svc
from .models.complaints import ComplaintKind


def _choices():
    regions = Region.objects.filter(level__in=(svc.TOWNSHIP_LEVEL, svc.VILLAGE_LEVEL)).order_by("code")[:2000]
    policies = svc.public_policies().order_by("name").only("pk", "name")[:500]
    return {"kinds": ComplaintKind.choices, "regions": regions, "policies": policies}


@never_cache
def complaint_new(request):
    ctx = {**_choices(), "form": request.POST}
    if request.method == "POST":
        try:
            svc.throttle("new", client_ip(request))
            attachment = None
            f = request.FILES.get("attachment")
            if f:
                data = uploads.read(request, f, "attachment")
                attachment = (f.name, sniff(data) or "application/octet-stream", data)
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
