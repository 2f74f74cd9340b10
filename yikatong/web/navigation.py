"""Navigation entries by role. Later apps add their entries here."""
from dataclasses import dataclass

from yikatong.accounts.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = None  # None: every signed-in user


NAV = [
    NavItem("首页·待办", "home"),
    NavItem("后台任务", "jobs"),
    NavItem("审计日志", "audit_events", frozenset({Role.SUPERVISOR, Role.SYSADMIN})),
    NavItem("用户管理", "users", frozenset({Role.SYSADMIN, Role.SUPERVISOR})),
    NavItem("API 令牌", "tokens"),
]


def nav_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [item for item in NAV if item.roles is None or user.has_role(*item.roles)]
