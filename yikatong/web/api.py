"""JSON API of the shell (mounted at /api/): health, the working-day calendar (core.services; core
stays free of the web framework) and the audit trail (web.audit_views' pages)."""
import datetime

from django.http import JsonResponse
from ninja import Field, Router, Schema, Status

from yikatong.core.refusals import Forbidden, register_messages

from .health import health

router = Router(tags=["系统"])

register_messages({
    "AUDIT_ROLE_NOT_ALLOWED": "只有监督人员或系统管理员可以查看审计日志",
})


@router.get("/health", summary="数据库与后台任务状态（只给出正常与否，不含错误详情）")
def api_health(request):
    report = health()
    return JsonResponse(report, status=200 if report["database"]["state"] == "ok" else 503)


# --- working-day calendar (工作日历) -------------------------------------------------------------------

class HolidayOut(Schema):
    date: datetime.date
    is_workday: bool
    name: str


class HolidaysOut(Schema):
    year: int
    known: bool  # the calendar library knows the year's official holidays
    workdays: int
    can_edit: bool
    days: list[HolidayOut]


class HolidayIn(Schema):
    date: datetime.date
    is_workday: bool = False  # True: a make-up working day (调休上班); False: a rest day (放假)
    name: str = Field("", max_length=50)


@router.get("/calendar/holidays", response=HolidaysOut, url_name="calendar_holidays",
            summary="某年度工作日历的调整（法定节假日、调休上班日）及该年工作日数")
def holidays(request, year: int | None = None):
    from yikatong.core import calendar
    from yikatong.core.holiday_access import can_edit_calendar
    from yikatong.core.models import Holiday

    year = year or datetime.date.today().year
    workdays = calendar.working_days_between(datetime.date(year, 1, 1) - datetime.timedelta(days=1),
                                             datetime.date(year, 12, 31))
    return {"year": year, "known": year in calendar.LIBRARY_YEARS, "workdays": workdays,
            "can_edit": can_edit_calendar(request.user),
            "days": [{"date": h.date, "is_workday": h.is_workday, "name": h.name}
                     for h in Holiday.objects.filter(date__year=year).order_by("date")]}


@router.post("/calendar/holidays", response=HolidayOut, url_name="calendar_holiday_set",
             summary="设置某一天为放假或调休上班（仅系统级系统管理员；记入审计）")
def holiday_set(request, payload: HolidayIn):
    from yikatong.core import services

    h = services.holiday_set(actor=request.user, date=payload.date, is_workday=payload.is_workday, name=payload.name)
    return {"date": h.date, "is_workday": h.is_workday, "name": h.name}


class Deleted(Schema):
    date: datetime.date
    deleted: bool  # False: the day had no setting


@router.post("/calendar/holidays/{day}/delete", response=Deleted, url_name="calendar_holiday_delete",
             summary="删除某一天的设置，恢复默认日历（仅系统级系统管理员；记入审计）")
def holiday_delete(request, day: datetime.date):
    from yikatong.core import services

    return {"date": day, "deleted": services.holiday_delete(actor=request.user, date=day)}


# --- audit trail ---------------------------------------------------------------------------------------

class AuditEventOut(Schema):
    seq: int
    at: datetime.datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    object_repr: str


def _audit_reader(request) -> None:
    from .audit_views import _allowed

    if not _allowed(request.user):
        raise Forbidden("AUDIT_ROLE_NOT_ALLOWED")


@router.get("/audit/events", response=list[AuditEventOut], url_name="audit_events_api",
            summary="审计日志（本辖区；按动作前缀筛选，最新在前；变更前后的内容只在页面查看）")
def audit_events(request, action: str = "", limit: int = 200):
    from . import audit_selectors

    _audit_reader(request)
    qs = audit_selectors.events_for(request.user).order_by("-seq")
    if action.strip():
        qs = qs.filter(action__startswith=action.strip())
    return [{"seq": e.seq, "at": e.at, "actor": e.actor_name or (e.actor.username if e.actor_id else ""),
             "action": e.action, "object_type": e.object_type, "object_id": e.object_id, "object_repr": e.object_repr}
            for e in qs[:min(max(limit, 1), 1000)]]


class JobStarted(Schema):
    job: int


@router.post("/audit/verify", response={202: JobStarted}, url_name="audit_verify_api",
             summary="校验审计链完整性（后台任务，返回任务号）")
def audit_verify(request):
    from yikatong.jobs import services as job_services

    _audit_reader(request)
    job = job_services.enqueue(actor=request.user, kind="yikatong.web.tasks.verify_job", title="审计链完整性校验",
                               key=f"audit.verify:{request.user.pk}")
    return Status(202, {"job": job.pk})
