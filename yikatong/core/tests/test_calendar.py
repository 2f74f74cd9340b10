import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yikatong.core.calendar import LIBRARY_YEARS, add_working_days, is_workday, working_days_between
from yikatong.core.models import Holiday
from yikatong.core.services import holiday_delete, holiday_set

D = datetime.date
pytestmark = pytest.mark.django_db
FAST = settings(max_examples=40, deadline=None)


def test_library_years_cover_2025_2026():
    assert 2025 in LIBRARY_YEARS and 2026 in LIBRARY_YEARS
    assert 2099 not in LIBRARY_YEARS


def test_national_day_2025():
    for day in range(1, 9):
        assert not is_workday(D(2025, 10, day)), day
    assert is_workday(D(2025, 9, 28))  # Sunday, 调休上班
    assert is_workday(D(2025, 10, 11))  # Saturday, 调休上班
    assert is_workday(D(2025, 10, 9))
    assert not is_workday(D(2025, 9, 27))  # ordinary Saturday
    assert add_working_days(D(2025, 9, 26), 1) == D(2025, 9, 28)
    assert add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert add_working_days(D(2025, 9, 30), 3) == D(2025, 10, 11)
    assert working_days_between(D(2025, 9, 30), D(2025, 10, 8)) == 0
    assert working_days_between(D(2025, 9, 26), D(2025, 10, 12)) == 6  # 28, 29, 30, 9, 10, 11


def test_spring_festival_2025():
    for day in (D(2025, 1, 28), D(2025, 1, 31), D(2025, 2, 3), D(2025, 2, 4)):
        assert not is_workday(day)
    assert is_workday(D(2025, 1, 26))  # Sunday
    assert is_workday(D(2025, 2, 8))  # Saturday


def test_2026_holidays():
    assert not is_workday(D(2026, 1, 1))
    assert not is_workday(D(2026, 1, 2))  # Friday off
    assert is_workday(D(2026, 1, 4))  # Sunday, 调休上班
    assert not is_workday(D(2026, 10, 7))
    assert is_workday(D(2026, 10, 10))  # Saturday, 调休上班
    assert add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 4)


def test_semantics_n_zero_and_rest_days():
    saturday = D(2025, 6, 7)
    monday = D(2025, 6, 9)
    assert add_working_days(monday, 0) == monday
    assert add_working_days(saturday, 0) == monday
    assert add_working_days(saturday, 1) == monday
    assert add_working_days(saturday, 2) == D(2025, 6, 10)
    assert add_working_days(D(2025, 6, 6), 1) == monday  # Friday + 1


def test_working_days_between_half_open():
    monday, friday = D(2025, 6, 9), D(2025, 6, 13)
    assert working_days_between(monday, friday) == 4
    assert working_days_between(monday, monday) == 0
    assert working_days_between(friday, monday) == 0
    assert working_days_between(D(2025, 6, 8), friday) == 5  # Sunday start: Monday counts


def test_argument_checks():
    with pytest.raises(ValueError, match="非负整数"):
        add_working_days(D(2025, 6, 9), -1)
    with pytest.raises(TypeError):
        is_workday("2025-06-09")
    assert is_workday(datetime.datetime(2025, 10, 1, 9, 30)) is False


def test_far_future_weekends_and_holiday_rows():
    new_year = D(2099, 1, 1)
    assert new_year.weekday() == 3  # Thursday
    assert is_workday(new_year)
    assert not is_workday(D(2099, 1, 3))  # Saturday
    assert add_working_days(D(2098, 12, 31), 1) == new_year

    holiday_set(actor=None, date=new_year, is_workday=False, name="元旦")
    holiday_set(actor=None, date=D(2099, 1, 2), is_workday=False, name="元旦")
    holiday_set(actor=None, date=D(2099, 1, 4), is_workday=True, name="元旦调休")  # Sunday
    assert not is_workday(new_year)
    assert is_workday(D(2099, 1, 4))
    assert add_working_days(D(2098, 12, 31), 1) == D(2099, 1, 4)
    assert working_days_between(D(2098, 12, 31), D(2099, 1, 9)) == 6  # 4, 5, 6, 7, 8, 9(Fri)


def test_rows_override_library_and_are_seen_immediately():
    day = D(2025, 10, 9)
    assert is_workday(day)
    Holiday.objects.create(date=day, is_workday=False, name="更正")
    assert not is_workday(day)
    assert add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 10)
    holiday_set(actor=None, date=D(2025, 10, 4), is_workday=True, name="更正")
    assert is_workday(D(2025, 10, 4))


def test_set_holiday_updates_deletes_and_audits():
    from yikatong.audit.models import AuditEvent

    day = D(2099, 5, 1)  # Friday
    holiday = holiday_set(actor=None, date=day, is_workday=False, name=" 劳动节 ")
    assert holiday.name == "劳动节"
    assert not is_workday(day)
    holiday_set(actor=None, date=day, is_workday=True, name="劳动节")
    assert Holiday.objects.filter(date=day).count() == 1
    assert is_workday(day)
    assert holiday_delete(actor=None, date=day) is True
    assert holiday_delete(actor=None, date=day) is False
    assert is_workday(day)
    actions = list(AuditEvent.objects.filter(action__startswith="core.holiday").values_list("action", flat=True))
    assert actions == ["core.holiday.set", "core.holiday.set", "core.holiday.delete"]


def test_set_holiday_argument_checks():
    with pytest.raises(TypeError):
        holiday_set(actor=None, date="2099-01-01", is_workday=False)
    with pytest.raises(ValueError, match="过长"):
        holiday_set(actor=None, date=D(2099, 1, 1), is_workday=False, name="节" * 51)


# ---- properties (range crosses the end of the library's data into weekend-only years) -----

dates = st.dates(min_value=D(2024, 1, 1), max_value=D(2028, 12, 31))
counts = st.integers(min_value=0, max_value=40)


@FAST
@given(dates, counts)
def test_result_is_a_workday(day, n):
    result = add_working_days(day, n)
    assert is_workday(result)
    assert result >= day
    assert (result > day) or (n == 0 and is_workday(day))


@FAST
@given(dates, counts)
def test_between_inverts_add_for_workdays(day, n):
    start = add_working_days(day, 0)  # a workday
    assert working_days_between(start, add_working_days(start, n)) == n


@FAST
@given(dates, counts, st.integers(min_value=0, max_value=20))
def test_monotonic(day, n, shift):
    later = day + datetime.timedelta(days=shift)
    assert add_working_days(day, n) <= add_working_days(day, n + 1)
    assert add_working_days(day, n) <= add_working_days(later, n)
    assert working_days_between(day, later) <= working_days_between(day, later + datetime.timedelta(days=1))
    assert working_days_between(day, later) <= shift
