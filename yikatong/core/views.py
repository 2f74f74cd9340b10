"""Working-day calendar page: view the year's configured days; system admins correct them."""
import datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yikatong.accounts.roles import Role

from . import calendar, services
from .models import Holiday


def _can_edit(user) -> bool:
    return user.has_role(Role.SYSADMIN)


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
        {"year": year, "rows": rows, "known": known, "workdays": workdays, "can_edit": _can_edit(request.user)},
    )


@require_POST
def holiday_set(request):
    if not _can_edit(request.user):
        return render(request, "web/forbidden.html", status=403)
    try:
        day = datetime.date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        messages.error(request, "日期格式不正确，应为 年-月-日，如 2027-10-01")
        return redirect("holidays")
    services.set_holiday(
        actor=request.user, date=day, is_workday=request.POST.get("is_workday") == "1", name=request.POST.get("name", "")
    )
    messages.success(request, f"{day.isoformat()} 已设置。")
    return redirect(f"/calendar/?year={day.year}")


@require_POST
def holiday_delete(request, day: str):
    if not _can_edit(request.user):
        return render(request, "web/forbidden.html", status=403)
    try:
        date = datetime.date.fromisoformat(day)
    except ValueError:
        return redirect("holidays")
    services.delete_holiday(actor=request.user, date=date)
    messages.success(request, f"{date.isoformat()} 的设置已删除，恢复默认日历。")
    return redirect(f"/calendar/?year={date.year}")
