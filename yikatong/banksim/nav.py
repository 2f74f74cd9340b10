from yikatong.accounts.roles import Role
from yikatong.web.navigation import NavItem, register

register(NavItem("银行模拟器", "banksim_files", frozenset({Role.SYSADMIN, Role.BANK}), order=89))
