"""漏发比对 (rosters.missing): the page of last period's people missing from this period's roster, per policy
and village, paged; and its xlsx/CSV export (masked ID numbers; audited with the row count)."""
import io

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from yikatong.audit.services import record_export
from yikatong.core.csvfile import csv_writer
from yikatong.core.downloads import export_response
from yikatong.core.xlsx import write_xlsx
from yikatong.web.actions import FAILURES
from yikatong.web.cli_support import refusal_text
from yikatong.web.permissions import requires_roles

from . import missing, scope

PAGE = 50


def _policies(user):
    return (scope.batches_for(user, roles=missing.READERS).order_by("policy__code")
            .values_list("policy__code", "policy__name").distinct())


def _args(request) -> dict:
    g = request.GET
    return {"policy_code": g.get("policy", "").strip(), "period": g.get("period", "").strip(),
            "village": g.get("village", "").strip()}


@requires_roles(*missing.READERS)
def missing_list(request):
    args, comparison, page, error = _args(request), None, None, ""
    if args["policy_code"] or args["period"]:
        try:
            comparison = missing.missing(request.user, **args)
            page = Paginator(comparison.rows, PAGE).get_page(request.GET.get("page"))
            for row in page.object_list:
                row["reason"], row["amount_yuan"] = missing.reason(row), missing.yuan(row["amount_fen"])
        except FAILURES as exc:
            error = refusal_text(exc)
    return _page(request, args, comparison, page, error)


def _page(request, args, comparison=None, page=None, error=""):
    return render(request, "rosters/missing.html", {
        "policies": _policies(request.user), "args": args, "c": comparison, "page": page, "error": error,
        "this_month": f"{timezone.localdate():%Y-%m}"}, status=400 if error else 200)


def export(user, args: dict, fmt: str):
    """(bytes, filename, content type) of the export; refusals raise (the page and the API report them)."""
    if fmt not in ("xlsx", "csv"):
        raise Http404
    c = missing.missing(user, **args)
    rows = list(missing.export_rows(c))
    title = f"{c.policy_name}{c.period}漏发比对（对照{c.previous}）"
    record_export(actor=user, what="missing", rows=len(rows), object_type="policies.policy", object_id=c.policy_code)
    if fmt == "xlsx":
        return write_xlsx(missing.HEADERS, rows, title=title, sheet_name="漏发比对", text_columns=(3, 4)), \
            f"{title}.xlsx", None
    buf = io.StringIO()
    w = csv_writer(buf)
    w.writerow(missing.HEADERS)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8-sig"), f"{title}.csv", "text/csv; charset=utf-8"


@requires_roles(*missing.READERS)
def missing_export(request):
    try:
        data, name, ctype = export(request.user, _args(request), request.GET.get("format", "xlsx"))
    except FAILURES as exc:
        return _page(request, _args(request), error=refusal_text(exc))
    return export_response(data, filename=name, **({"content_type": ctype} if ctype else {}))
