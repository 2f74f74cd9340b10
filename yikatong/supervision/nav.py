from yikatong.accounts.roles import Role
from yikatong.web.navigation import NavItem, register

register(NavItem("监督检查", "supervision_findings", frozenset({Role.SUPERVISOR, Role.FINANCE_REVIEWER}), order=80))
register(NavItem("移送线索", "supervision_clues", frozenset({Role.SUPERVISOR, Role.FINANCE_REVIEWER}), order=81))
register(NavItem("抽查", "supervision_inspections", frozenset({Role.SUPERVISOR, Role.FINANCE_REVIEWER}), order=82))
register(NavItem("追回问责", "supervision_recoveries", frozenset({Role.SUPERVISOR, Role.FINANCE_REVIEWER}), order=83))
