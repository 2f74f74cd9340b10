"""Navigation entries by role. The foundation apps' entries are listed here (they sit below web and
do not import it); business apps add theirs in their own `nav.py` with `register`."""
from dataclasses import dataclass

from yikatong.accounts.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = None  # None: every signed-in user
    order: int = 50


NAV = [
    NavItem("首页·待办", "home", order=0),
    NavItem("后台任务", "jobs", order=90),
    NavItem("审计日志", "audit_events", frozenset({Role.SUPERVISOR, Role.SYSADMIN}), order=91),
    NavItem("用户管理", "users", frozenset({Role.SYSADMIN, Role.SUPERVISOR}), order=92),
    NavItem("定时任务", "schedules", frozenset({Role.SYSADMIN}), order=93),
    NavItem("工作日历", "holidays", order=95),
    NavItem("API 令牌", "tokens", order=99),
]


def register(*items: NavItem) -> None:
    NAV.extend(items)
    NAV.sort(key=lambda i: i.order)


def nav_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [item for item in NAV if item.roles is None or user.has_role(*item.roles)]
