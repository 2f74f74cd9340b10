from yikatong.accounts.roles import Role
from yikatong.web.navigation import NavItem, register

register(NavItem("监测报表", "reports_list", frozenset({Role.FINANCE_REVIEWER, Role.DEPT_REVIEWER, Role.DEPT_HEAD,
                                                      Role.SUPERVISOR}), order=79))
register(NavItem("一卡多人", "reports_shared_accounts", frozenset({Role.FINANCE_REVIEWER, Role.TOWNSHIP_FINANCE,
                                                                Role.SUPERVISOR}), order=80))
register(NavItem("个人年度享受", "reports_person_year", frozenset({Role.FINANCE_REVIEWER, Role.TOWNSHIP_FINANCE,
                                                              Role.DEPT_REVIEWER, Role.DEPT_HEAD, Role.SUPERVISOR}), order=81))
register(NavItem("监管看板", "reports_dashboard", frozenset({Role.FINANCE_REVIEWER, Role.TREASURY, Role.DEPT_REVIEWER,
                                                        Role.DEPT_HEAD, Role.TOWNSHIP_HEAD, Role.SUPERVISOR}), order=78))
