"""Public pages of published lists (no login): the lists of a region, one list with its digest and versions.
Masked IDs only; never a confidential policy's list (publish_selectors filters them)."""
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from yikatong.regions.models import Region

from . import public_throttle, publish_content, publish_selectors


def _region(region_code: str) -> Region:
    code = (region_code or "").strip()
    region = None
    if code.isdigit() and len(code) in (2, 4, 6, 9, 12):
        region = Region.objects.filter(code=Region.full_code(code)).first()
    if region is None:
        # also the printed sheet's fallback QR path (/public/notices/<keyed id>/) before any list is published
        raise Http404("没有这个行政区划，或该批次名单尚未公开")
    return region


@require_GET
@public_throttle.per_client
def region_lists(request, region_code: str):
    region = _region(region_code)
    # a village's lists are its township's (a roster is per township; its rows name the village)
    prefix = region.prefix if region.level < 5 else region.code[:9]
    policy, period = request.GET.get("policy", "").strip()[:30], request.GET.get("period", "").strip()[:10]
    qs = publish_selectors.public_lists(prefix, policy=policy, period=period)
    page = Paginator(qs, publish_selectors.PAGE).get_page(request.GET.get("page"))
    return render(request, "disclosure/lists/public_region.html", {
        "region": region, "page": page, "policy": policy, "period": period,
        "village": region.name if region.level == 5 else ""})


@require_GET
@public_throttle.per_client
def list_detail(request, public_id: str):
    pl = publish_selectors.public_list(public_id[:40])
    if pl is None:
        raise Http404("没有这份名单（或尚未公开）")
    village, name = request.GET.get("village", "").strip()[:100], request.GET.get("q", "").strip()[:50]
    rows = publish_selectors.rows(pl, village=village, name=name)
    page = Paginator(rows, publish_selectors.PAGE).get_page(request.GET.get("page"))
    return render(request, "disclosure/lists/public_list.html", {
        "pl": pl, "header": pl.content.get("header", {}), "page": page, "village": village, "q": name,
        "villages": publish_selectors.villages(pl), "versions": publish_selectors.versions(pl),
        "verified": publish_content.digest(pl.content) == pl.digest,
        "canonical": publish_content.canonical(pl.content).decode("utf-8") if request.GET.get("json") else ""})
