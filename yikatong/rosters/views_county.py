"""The county-wide roster page (全县清册按乡镇拆分): upload form, then the summary per township or the
file's errors by row of the county file. Thin: rosters.county.county_roster_split does the work; it is
offered on the batch list to county users who make batches (county.may_split)."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render

from yikatong.core import uploads
from yikatong.web.actions import refusal_code, refusal_text

from .county import CountyRosterRefused, county_roster_split, may_split
from .errors import RosterError
from .forms import CountyRosterForm

FAILURES = (RosterError, PermissionDenied, ValidationError, uploads.UploadRefused)


def county_form(user, data=None, files=None) -> CountyRosterForm:
    from .views import _create_choices

    form = CountyRosterForm(data, files)
    form.fields["policy"].choices = _create_choices(user)[0]
    return form


def county_roster(request):
    if not may_split(request.user):
        raise PermissionDenied
    form = county_form(request.user, request.POST or None, request.FILES or None)
    ctx = {"form": form, "county": request.user.region}
    if request.method != "POST":
        return render(request, "rosters/county.html", ctx)
    try:
        uploads.refuse_oversized(request, "file", "roster")
        if not form.is_valid():
            raise RosterError("COUNTY_ROSTER_FILE_REQUIRED")
        from yikatong.policies.models import Policy

        upload = form.cleaned_data["file"]
        ctx["result"] = county_roster_split(
            actor=request.user, policy=Policy.objects.get(pk=form.cleaned_data["policy"]),
            period=form.cleaned_data["period"].strip(), county_region=request.user.region,
            data=uploads.read(request, upload, "roster"), filename=upload.name)
    except CountyRosterRefused as exc:
        # the uploader sees what they typed (as on an import's result page): they hold the file
        ctx.update(refusal=exc.message, refusal_code=exc.code, problems=exc.problems[:2000])
    except FAILURES as exc:
        ctx.update(refusal=refusal_text(exc), refusal_code=refusal_code(exc))
    return render(request, "rosters/county.html", ctx)


