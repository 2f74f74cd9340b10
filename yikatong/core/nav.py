from yikatong.web.navigation import NavItem, register

register(NavItem("工作日历", "holidays", order=95))
