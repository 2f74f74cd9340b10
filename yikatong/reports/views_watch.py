"""Pages of the two watch lists of issue 16 §5: accounts paying many persons (一卡多人, shared_accounts) with
the drill-down to one account's lines and their xlsx/CSV export, and the yearly per-person view (person_year,
a POST form so the ID number never appears in a URL or a log)."""
import io

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from yikatong.audit.services import record_export
from yikatong.core.csvfile import csv_writer
from yikatong.core.downloads import export_response
from yikatong.core.xlsx import write_xlsx
from yikatong.web.actions import FAILURES
from yikatong.web.cli_support import refusal_text
from yikatong.web.permissions import requires_roles

from . import person_year as py
from . import shared_accounts as sa

PAGE = 50


def _args(request) -> dict:
    g = request.GET
    return {"year": g.get("year", "").strip() or f"{timezone.localdate():%Y}",
            "min_recipients": g.get("min", "").strip() or sa.MIN_RECIPIENTS, "item": g.get("item", "").strip()}


@require_GET
@requires_roles(*sa.READERS)
def shared_accounts(request):
    args, result, page, tail, lines, error = _args(request), None, None, "", None, ""
    try:
        if args["item"]:
            tail, qs = sa.account_lines(request.user, year=args["year"], item_id=args["item"])
            lines = list(qs)
            for r in lines:
                r["amount_yuan"] = sa.yuan(r["amount_fen"])
        else:
            result = sa.shared_accounts(request.user, year=args["year"], min_recipients=args["min_recipients"])
            page = Paginator(result.rows, PAGE).get_page(request.GET.get("page"))
            for r in page.object_list:
                r["last4"], r["total_yuan"] = sa.last4(r["masked"]), sa.yuan(r["total_fen"])
    except FAILURES as exc:
        error = refusal_text(exc)
    return render(request, "reports/shared_accounts.html", {
        "args": args, "result": result, "page": page, "tail": tail, "lines": lines, "error": error},
        status=400 if error else 200)


def export(user, args: dict, fmt: str):
    """(bytes, filename, content type): the list, or one account's lines when args["item"] is given."""
    if fmt not in ("xlsx", "csv"):
        raise Http404
    if args.get("item"):
        tail, qs = sa.account_lines(user, year=args["year"], item_id=args["item"])
        headers, rows, title = sa.LINE_HEADERS, list(sa.export_line_rows(tail, qs)), f"{args['year']}年尾号{tail}账户发放明细"
    else:
        result = sa.shared_accounts(user, year=args["year"], min_recipients=args["min_recipients"])
        headers, rows, title = sa.HEADERS, list(sa.export_rows(result)), f"{result.year}年疑似一卡多人账户"
    record_export(actor=user, what="shared_accounts", rows=len(rows), object_type="reports.watch",
                  object_id=str(args["year"]))
    if fmt == "xlsx":
        return write_xlsx(headers, rows, title=title, sheet_name="一卡多人", text_columns=(0,)), f"{title}.xlsx", None
    buf = io.StringIO()
    w = csv_writer(buf)
    w.writerow(headers)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8-sig"), f"{title}.csv", "text/csv; charset=utf-8"


@require_GET  # an export is audited: never on an unsafe method
@requires_roles(*sa.READERS)
def shared_accounts_export(request):
    try:
        data, name, ctype = export(request.user, _args(request), request.GET.get("format", "xlsx"))
    except FAILURES as exc:
        return render(request, "reports/shared_accounts.html", {"args": _args(request), "error": refusal_text(exc)},
                      status=400)
    return export_response(data, filename=name, **({"content_type": ctype} if ctype else {}))


@requires_roles(*py.READERS)
def person_year(request):
    year = (request.POST.get("year") or request.GET.get("year") or f"{timezone.localdate():%Y}").strip()
    view, error = None, ""
    if request.method == "POST":
        try:
            view = py.person_year(request.user, id_number=request.POST.get("id_number", ""), year=year)
        except FAILURES as exc:
            error = refusal_text(exc)
    if view:
        for p in view.people:
            p.total_yuan = sa.yuan(p.total_fen)
            p.policies = [(name, sa.yuan(fen)) for name, fen in p.by_policy.items()]
            for line in p.lines:
                line["amount_yuan"] = sa.yuan(line["amount_fen"])
    return render(request, "reports/person_year.html", {
        "year": year, "view": view, "total_yuan": sa.yuan(view.total_fen) if view else "", "error": error},
        status=400 if error else 200)
