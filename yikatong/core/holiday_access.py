"""Who may correct the working-day calendar: it is nationwide (every county's deadlines count on
it), so only a system administrator whose scope is the whole system — a county's administrator
manages users of the county, not the State Council's holidays."""
from django.core.exceptions import PermissionDenied

from .refusals import Refusal, register_messages

register_messages({
    "HOLIDAY_SYSADMIN_ONLY": "工作日历全国通用，只有系统级系统管理员可以修改；县级及以下的管理员只能查看。",
})


class CalendarRefused(Refusal, PermissionDenied):
    """A refused calendar change: answered 403 with the code."""

    default_code = "HOLIDAY_SYSADMIN_ONLY"


def can_edit_calendar(actor) -> bool:
    from yikatong.accounts.roles import Role
    from yikatong.accounts.scope import scope_prefix

    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return scope_prefix(actor) == "" and (actor.is_superuser or actor.has_role(Role.SYSADMIN))


def require_calendar_admin(actor) -> None:
    """`actor=None` is the system itself (data loads, tests of the calendar); people are checked."""
    if actor is not None and not can_edit_calendar(actor):
        raise CalendarRefused("HOLIDAY_SYSADMIN_ONLY")
