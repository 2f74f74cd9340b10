"""Chinese working-day calendar (工作日).

Sources, strongest first:
1. rows of core.models.Holiday (corrections, and the calendar of years not yet published);
2. chinesecalendar's official data (法定节假日 and 调休上班) for the years it covers;
3. otherwise Monday-Friday are working days and weekends are rest days.

Holiday rows are read from the database on every call (one query per calendar year touched
by the call), so a row written by holiday_set - or by a test - is seen at once and a rolled
back transaction leaves nothing stale behind.
"""
from __future__ import annotations

import datetime

import chinese_calendar

from .models import Holiday

__all__ = ["LIBRARY_YEARS", "is_workday", "add_working_days", "working_days_between", "working_day_numbers"]

LIBRARY_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)
"""Years for which chinesecalendar has the State Council's published arrangement."""

_MAX_REST_RUN = 366  # more consecutive rest days than this means the Holiday table is wrong
_ONE_DAY = datetime.timedelta(days=1)


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    raise TypeError(f"需要日期（date），收到 {type(value).__name__}")


def _default_is_workday(day: datetime.date) -> bool:
    if day.year in LIBRARY_YEARS:
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


class _Calendar:
    """Answers for one call; loads Holiday rows one year at a time."""

    def __init__(self) -> None:
        self._overrides: dict[int, dict[datetime.date, bool]] = {}

    def is_workday(self, day: datetime.date) -> bool:
        year = self._overrides.get(day.year)
        if year is None:
            year = dict(Holiday.objects.filter(date__year=day.year).values_list("date", "is_workday"))
            self._overrides[day.year] = year
        override = year.get(day)
        return override if override is not None else _default_is_workday(day)

    def next_workday_after(self, day: datetime.date) -> datetime.date:
        for _ in range(_MAX_REST_RUN):
            day += _ONE_DAY
            if self.is_workday(day):
                return day
        raise ValueError(f"{day.isoformat()} 之前连续 {_MAX_REST_RUN} 天都不是工作日，请检查节假日设置")


def is_workday(day: datetime.date) -> bool:
    """True if `day` is a working day (a datetime counts as its date)."""
    return _Calendar().is_workday(_as_date(day))


def add_working_days(day: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `day` (n >= 0).

    n >= 1: count working days strictly after `day`; `day` itself never counts, whether
    or not it is a working day. Friday + 1 -> next Monday (if both are ordinary days);
    a Saturday + 1 -> the Monday after it.
    n == 0: `day` itself if it is a working day, otherwise the first working day after it
    (so for a rest day, n=0 and n=1 give the same answer).
    For a working day d: working_days_between(d, add_working_days(d, n)) == n.
    """
    day = _as_date(day)
    if type(n) is not int or n < 0:
        raise ValueError(f"工作日天数必须是非负整数，收到 {n!r}")
    cal = _Calendar()
    if n == 0:
        return day if cal.is_workday(day) else cal.next_workday_after(day)
    for _ in range(n):
        day = cal.next_workday_after(day)
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Number of working days d with start < d <= end (half-open interval (start, end]).

    0 if end <= start. Whether `start` is a working day does not matter; `end` counts if it
    is one. Example: Monday -> Friday of an ordinary week is 4.
    """
    start, end = _as_date(start), _as_date(end)
    cal = _Calendar()
    count = 0
    day = start + _ONE_DAY
    while day <= end:
        count += cal.is_workday(day)
        day += _ONE_DAY
    return count


def working_day_numbers(start: datetime.date, end: datetime.date) -> dict[datetime.date, int]:
    """working_days_between(start, day) for every day from `start` to `end`, with one calendar (one query
    per year) — for a list that needs many spans (a - b = working_days_between(b, a) for days in range)."""
    start, end = _as_date(start), _as_date(end)
    cal = _Calendar()
    out, count, day = {start: 0}, 0, start + _ONE_DAY
    while day <= end:
        count += cal.is_workday(day)
        out[day] = count
        day += _ONE_DAY
    return out
