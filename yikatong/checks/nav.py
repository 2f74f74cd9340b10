from yikatong.web.navigation import NavItem, register

_READERS = frozenset({"township_operator", "township_finance", "dept_reviewer", "dept_head", "finance_reviewer",
                      "supervisor"})
register(NavItem("比对疑点", "checks_findings", _READERS, order=25),
         NavItem("比对规则", "checks_rules", _READERS, order=26))
