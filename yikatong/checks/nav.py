from yikatong.web.navigation import NavItem, register

register(NavItem("比对疑点", "checks_findings",
                 frozenset({"township_operator", "township_finance", "dept_reviewer", "dept_head", "finance_reviewer",
                            "supervisor"}), order=25))
