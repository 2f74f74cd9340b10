from yikatong.web.navigation import NavItem, register

register(NavItem("补贴政策清单", "policy_catalogues", order=20))
