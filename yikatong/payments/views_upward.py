"""上报数据 (upward exchange, payments.upward): finance sees the exports of the counties in their region,
makes a new version of a county's month, and downloads a CSV or JSON file (full ID numbers: finance only,
each download audited)."""
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yikatong.core.downloads import export_response
from yikatong.web.actions import perform
from yikatong.web.permissions import requires_roles

from . import upward
from . import upward_selectors as sel

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
SHOWN = 200


@requires_roles(*sel.MAKERS)
def upward_list(request):
    exports = sel.exports_for(request.user)
    return render(request, "payments/upward.html", {
        "exports": exports[:SHOWN], "more": exports.count() > SHOWN, "counties": sel.counties_for(request.user),
        "last_month": upward.last_month()})


@require_POST
@requires_roles(*sel.MAKERS)
def upward_create(request):
    p = request.POST
    return perform(request, lambda: upward.upward_export(actor=request.user, county_code=p.get("county", "").strip(),
                                                         period=p.get("period", "").strip()),
                   lambda e: f"已生成 {e.county.name} {e.period} 上报数据文件第 {e.version} 版：{e.row_count} 笔，"
                             f"合计 {e.total_fen} 分", reverse("payments_upward"), flash_denied=True)


@requires_roles(*sel.MAKERS)
def upward_file(request, pk, fmt):
    get_object_or_404(sel.exports_for(request.user), pk=pk)
    if fmt not in CONTENT_TYPES:
        from django.http import Http404

        raise Http404
    export, data = upward.upward_download(actor=request.user, export_id=pk, fmt=fmt)
    resp = export_response(data, filename=export.filename(fmt), content_type=CONTENT_TYPES[fmt])
    resp["X-Content-SHA256"] = export.csv_sha256 if fmt == "csv" else export.json_sha256
    return resp
