"""Monitoring report pages (监测报表): the list by period, state and overdue; the detail (a table per policy ×
region); build, remarks, submit, approve, return, send up; exports of the approved version. Thin: check,
call one selector or service, render."""
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yikatong.core.downloads import export_response
from yikatong.web.actions import perform
from yikatong.web.permissions import requires

from . import definitions, exports, selectors, services
from .flow import REPORTS
from .models import ReportState

ACTIONS = {"submit": "已报送", "approve": "已审核通过，内容已锁定", "return": "已退回修改", "send_up": "已上报上级"}


@requires(selectors.may_read)
def report_list(request):
    f = {"period": request.GET.get("period", "").strip()[:7], "state": request.GET.get("state", ""),
         "overdue": request.GET.get("overdue") == "1"}
    today = timezone.localdate()
    reports = list(selectors.reports_for(request.user, **f, today=today)[:500])
    for r in reports:
        r.overdue = selectors.is_overdue(r, today)
    return render(request, "reports/list.html", {
        "f": f, "reports": reports, "states": ReportState.choices, "specs": definitions.specs_filed_by(request.user),
        "default_period": f["period"] or f"{today:%Y-%m}",
    })


@require_POST
def report_build(request):
    return perform(request, lambda: services.report_build(
        actor=request.user, definition=request.POST.get("definition", ""), period=request.POST.get("period", "")),
        success="报表已按当前数据生成", then=lambda r: reverse("reports_detail", args=[r.pk]) if r else
        reverse("reports_list"), flash_denied=True)


@requires(selectors.may_read)
def report_detail(request, pk: int):
    report = selectors.report_get(request.user, pk)
    content = report.frozen["content"] if report.frozen else report.content
    headers, rows = exports.table(content)
    may = {tr.action: tr for tr in REPORTS.available(report) if request.user.has_role(*tr.roles)}
    return render(request, "reports/detail.html", {
        "report": report, "content": content, "headers": headers, "rows": rows, "overdue": selectors.is_overdue(report), "may": may,
        "may_edit": report.state == ReportState.DRAFT and request.user.organization_id == report.organization_id
        and "submit" in may,
    })


@require_POST
def report_remarks(request, pk: int):
    report = selectors.report_get(request.user, pk)
    return perform(request, lambda: services.report_remarks(actor=request.user, pk=report.pk,
                                                            remarks=request.POST.get("remarks", "")),
                   success="填报说明已保存", then=reverse("reports_detail", args=[report.pk]), flash_denied=True)


@require_POST
def report_transition(request, pk: int, action: str):
    report = selectors.report_get(request.user, pk)
    calls = {
        "submit": lambda: services.report_submit(actor=request.user, pk=report.pk),
        "approve": lambda: services.report_approve(actor=request.user, pk=report.pk),
        "return": lambda: services.report_return(actor=request.user, pk=report.pk,
                                                 reason=request.POST.get("reason", "")),
        "send_up": lambda: services.report_send_up(actor=request.user, pk=report.pk),
    }
    if action not in calls:
        raise Http404("未知的操作")
    return perform(request, calls[action], success=ACTIONS[action], then=reverse("reports_detail", args=[report.pk]),
                   flash_denied=True)


def _approved(request, pk: int):
    report = selectors.report_get(request.user, pk)
    if not report.frozen:
        raise Http404("报表尚未审核，没有可导出的正式版本")
    return report


@requires(selectors.may_read)
def report_xlsx(request, pk: int):
    report = _approved(request, pk)
    return export_response(exports.xlsx(report.frozen, report.frozen_sha256),
                           filename=exports.filename(report.frozen, "xlsx"))


@requires(selectors.may_read)
def report_print(request, pk: int):
    report = _approved(request, pk)
    headers, rows = exports.table(report.frozen["content"])
    return render(request, "reports/print.html", {"report": report, "frozen": report.frozen, "headers": headers,
                                                  "rows": rows})
