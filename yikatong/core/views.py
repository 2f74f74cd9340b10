"""Working-day calendar page: view the year's configured days; system admins correct them."""
import datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import calendar, services
from .holiday_access import can_edit_calendar, require_calendar_admin
from .models import Holiday


def holiday_list(request):
    today = datetime.date.today()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    rows = Holiday.objects.filter(date__year=year).order_by("date")
    known = year in calendar.LIBRARY_YEARS
    start = datetime.date(year, 1, 1)
    workdays = calendar.working_days_between(start - datetime.timedelta(days=1), datetime.date(year, 12, 31))
    return render(
        request, "core/holidays.html",
        {"year": year, "rows": rows, "known": known, "workdays": workdays, "can_edit": can_edit_calendar(request.user)},
    )


@require_POST
def holiday_set(request):
    require_calendar_admin(request.user)  # CalendarRefused: 403 page with the code
    try:
        day = datetime.date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        messages.error(request, "日期格式不正确，应为 年-月-日，如 2027-10-01")
        return redirect("holidays")
    services.holiday_set(
        actor=request.user, date=day, is_workday=request.POST.get("is_workday") == "1", name=request.POST.get("name", "")
    )
    messages.success(request, f"{day.isoformat()} 已设置。")
    return redirect(f"/calendar/?year={day.year}")


@require_POST
def holiday_delete(request, day: str):
    require_calendar_admin(request.user)  # CalendarRefused: 403 page with the code
    try:
        date = datetime.date.fromisoformat(day)
    except ValueError:
        return redirect("holidays")
    services.holiday_delete(actor=request.user, date=date)
    messages.success(request, f"{date.isoformat()} 的设置已删除，恢复默认日历。")
    return redirect(f"/calendar/?year={date.year}")
