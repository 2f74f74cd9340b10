"""Who may correct the working-day calendar: it is nationwide (every county's deadlines count on
it), so only a system administrator whose scope is the whole system — a county's administrator
manages users of the county, not the State Council's holidays.

Core sits below accounts, so it does not know roles or scopes: accounts plugs in the one
predicate "a system administrator whose scope is the whole system" at start-up
(AccountsConfig.ready -> register_system_admin_check). Unplugged, nobody may edit (fail closed)."""
from django.core.exceptions import PermissionDenied

from .refusals import Refusal, register_messages

register_messages({
    "HOLIDAY_SYSADMIN_ONLY": "工作日历全国通用，只有系统级系统管理员可以修改；县级及以下的管理员只能查看。",
})


class CalendarRefused(Refusal, PermissionDenied):
    """A refused calendar change: answered 403 with the code."""

    default_code = "HOLIDAY_SYSADMIN_ONLY"


_system_admin_check = None


def register_system_admin_check(check) -> None:
    """`check(actor) -> bool`: is this signed-in actor a system-wide administrator?"""
    global _system_admin_check
    _system_admin_check = check


def can_edit_calendar(actor) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return _system_admin_check is not None and bool(_system_admin_check(actor))


def require_calendar_admin(actor) -> None:
    """`actor=None` is the system itself (data loads, tests of the calendar); people are checked."""
    if actor is not None and not can_edit_calendar(actor):
        raise CalendarRefused("HOLIDAY_SYSADMIN_ONLY")
