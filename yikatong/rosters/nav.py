from yikatong.web.navigation import NavItem, register

register(NavItem("发放批次", "batch_list", order=20))
register(NavItem("流程配置", "rosters_profile", frozenset({"sysadmin", "finance_reviewer", "supervisor"}), order=93))
register(NavItem("漏发比对", "rosters_missing", frozenset({"dept_reviewer", "dept_head", "township_operator", "township_finance",
                                                       "finance_reviewer", "supervisor"}), order=21))
