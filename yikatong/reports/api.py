"""JSON API of monitoring reports (mounted at /api/reports/): the same selectors and services as the pages.
Readers are finance, line departments (their own organization's) and supervisors (403 REPORT_READ_ROLE); a
report outside the caller's scope is 404; a step the report's state does not allow is 409."""
import datetime

from django.http import Http404
from ninja import Router, Schema

from yikatong.core.downloads import export_response

from . import dashboard_selectors, exports, selectors, services
from .flow import REPORTS

router = Router(tags=["监测报表"])


class ReportOut(Schema):
    id: int
    definition: str
    title: str
    organization: str
    region: str
    period: str
    state: str
    due_on: datetime.date
    overdue: bool
    remarks: str
    returned_reason: str
    submitted_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    frozen_sha256: str
    actions: list[str]


class ReportDetailOut(ReportOut):
    content: dict  # rows per policy × region (amounts in fen), totals, quotas


def _out(r, user, detail: bool = False) -> dict:
    out = {"id": r.pk, "definition": r.definition, "title": r.title, "organization": r.organization.name,
           "region": r.region_id, "period": r.period, "state": r.state, "due_on": r.due_on,
           "overdue": selectors.is_overdue(r), "remarks": r.remarks, "returned_reason": r.returned_reason,
           "submitted_at": r.submitted_at, "approved_at": r.approved_at, "frozen_sha256": r.frozen_sha256,
           "actions": [tr.action for tr in REPORTS.available(r) if user.has_role(*tr.roles)]}
    if detail:
        out["content"] = r.frozen["content"] if r.frozen else r.content
    return out


@router.get("/", response=list[ReportOut], url_name="reports_list_api",
            summary="监测报表列表（本辖区；可按期间 YYYY-MM、状态、逾期筛选）")
def report_list(request, period: str = "", state: str = "", overdue: bool = False):
    return [_out(r, request.user) for r in selectors.reports_for(request.user, period=period[:7], state=state,
                                                                  overdue=overdue)[:500]]


class BuildIn(Schema):
    definition: str  # e.g. 001_monthly, 003_department_monthly, 003_county_monthly (the profile's)
    period: str  # YYYY-MM


@router.post("/", response=ReportDetailOut, url_name="reports_build_api",
             summary="按当前数据生成（或重新生成）本单位某月的报表草稿")
def report_build(request, payload: BuildIn):
    r = services.report_build(actor=request.user, definition=payload.definition, period=payload.period)
    return _out(selectors.report_get(request.user, r.pk), request.user, detail=True)


@router.get("/dashboard", response=dict, url_name="reports_dashboard_api",
            summary="监管看板数据：按角色（财政/主管部门/乡镇/监督）在本辖区内的资金、进度、疑点、投诉与激活率，每项附明细列表链接")
def report_dashboard(request, period: str = ""):
    return dashboard_selectors.dashboard(request.user, period=period[:7])


@router.get("/{report_id}", response=ReportDetailOut, url_name="reports_detail_api",
            summary="报表详情：按补贴项目 × 区划的数据表、合计、指标使用")
def report_detail(request, report_id: int):
    return _out(selectors.report_get(request.user, report_id), request.user, detail=True)


class RemarksIn(Schema):
    remarks: str = ""


@router.post("/{report_id}/remarks", response=ReportDetailOut, url_name="reports_remarks_api",
             summary="保存填报说明（仅草稿）")
def report_remarks(request, report_id: int, payload: RemarksIn):
    r = selectors.report_get(request.user, report_id)
    services.report_remarks(actor=request.user, pk=r.pk, remarks=payload.remarks)
    return _out(selectors.report_get(request.user, r.pk), request.user, detail=True)


class TransitionIn(Schema):
    reason: str = ""


@router.post("/{report_id}/transitions/{action}", response=ReportDetailOut, url_name="reports_transition_api",
             summary="报表流转：submit 报送 / approve 审核通过（锁定） / return 退回（须理由） / send_up 上报上级")
def report_transition(request, report_id: int, action: str, payload: TransitionIn):
    r = selectors.report_get(request.user, report_id)
    calls = {"submit": lambda: services.report_submit(actor=request.user, pk=r.pk),
             "approve": lambda: services.report_approve(actor=request.user, pk=r.pk),
             "return": lambda: services.report_return(actor=request.user, pk=r.pk, reason=payload.reason),
             "send_up": lambda: services.report_send_up(actor=request.user, pk=r.pk)}
    if action not in calls:
        raise Http404("未知的操作")
    calls[action]()
    return _out(selectors.report_get(request.user, r.pk), request.user, detail=True)


@router.get("/{report_id}/xlsx", url_name="reports_xlsx_api", summary="导出已审核版本（xlsx，据锁定内容）")
def report_xlsx(request, report_id: int):
    r = selectors.report_get(request.user, report_id)
    if not r.frozen:
        raise REPORTS.refuse("REPORT_NOT_APPROVED", report=f"{r.title}（{r.period}）")
    return export_response(exports.xlsx(r.frozen, r.frozen_sha256), filename=exports.filename(r.frozen, "xlsx"))
