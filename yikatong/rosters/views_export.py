"""Downloads and printable pages of a batch."""
from django.http import Http404, HttpResponse
from django.shortcuts import render

from yikatong.audit.services import record_export
from yikatong.core.downloads import export_response
from yikatong.core.money import Money

from . import exports
from .views import _batch



def _xlsx(data: bytes, name: str) -> HttpResponse:
    return export_response(data, filename=name)


def template(request, batch_id: int):
    b = _batch(request, batch_id)
    return _xlsx(exports.template_xlsx(b), f"{exports.title_of(b, '发放清册模板')}.xlsx")


def roster(request, batch_id: int):
    b = _batch(request, batch_id)
    data = exports.roster_xlsx(b)
    record_export(actor=request.user, what="roster_xlsx", obj=b, rows=b.items.filter(status="active").count())
    return _xlsx(data, f"{exports.title_of(b, '发放清册')}.xlsx")


def summary(request, batch_id: int):
    b = _batch(request, batch_id)
    return _xlsx(exports.summary_xlsx(b), f"{exports.title_of(b, '汇总表')}.xlsx")


def printable(request, batch_id: int, what: str):
    if what not in ("roster", "summary", "notice"):
        raise Http404
    b = _batch(request, batch_id)
    ctx = {"batch": b, "title": exports.title_of(b, {"roster": "发放清册", "summary": "发放汇总表", "notice": "公示表"}[what]),
           "total": Money.from_fen(b.total_fen), "signatures": exports.SIGNATURES}
    if what == "roster":
        ctx["rows"] = list(exports.roster_rows(b))
        ctx["headers"] = exports.ROSTER_HEADERS
    elif what == "summary":
        ctx["excluded"] = exports.excluded(b)
        ctx["summary"] = exports.summary(b, ctx["excluded"])
    else:
        from . import notice_print

        ctx.update(notice_print.context(b))
        ctx["rows"] = [r for s in ctx["sheets"] for r in s.rows]  # one sheet per village (rosters.notice_print)
    if "rows" in ctx:  # lists of persons: audited with the count (the summary holds none)
        record_export(actor=request.user, what=f"print_{what}", obj=b, rows=len(ctx["rows"]))
    return render(request, f"rosters/print_{what}.html", ctx)
