from yikatong.web.navigation import NavItem, register

register(NavItem("补贴申请", "application_list", frozenset({
    "village_clerk", "township_operator", "township_finance", "township_head", "dept_reviewer", "dept_head",
    "finance_reviewer", "supervisor", "sysadmin"}), order=19))
