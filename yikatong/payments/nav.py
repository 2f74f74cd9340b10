from yikatong.accounts.roles import Role
from yikatong.web.navigation import NavItem, register

register(NavItem("资金支付", "payments_orders",
                 frozenset({Role.FINANCE_REVIEWER, Role.TREASURY, Role.SUPERVISOR, Role.SYSADMIN}), order=60))
register(NavItem("对账", "payments_reconciliation",
                 frozenset({Role.FINANCE_REVIEWER, Role.TREASURY, Role.SUPERVISOR, Role.SYSADMIN}), order=61))
