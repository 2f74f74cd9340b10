from yikatong.accounts.roles import Role
from yikatong.web.navigation import NavItem, register

register(NavItem("资金支付", "payments_orders",
                 frozenset({Role.FINANCE_REVIEWER, Role.TREASURY, Role.SUPERVISOR, Role.SYSADMIN}), order=60))
register(NavItem("对账", "payments_reconciliation",
                 frozenset({Role.FINANCE_REVIEWER, Role.TREASURY, Role.SUPERVISOR, Role.SYSADMIN}), order=61))
register(NavItem("年终清算", "payments_clearing",
                 frozenset({Role.FINANCE_REVIEWER, Role.TREASURY, Role.SUPERVISOR, Role.SYSADMIN}), order=62))
register(NavItem("上报数据", "payments_upward", frozenset({Role.FINANCE_REVIEWER}), order=62))
register(NavItem("代发批次", "payments_bank_orders", frozenset({Role.BANK}), order=63))
register(NavItem("代发银行与协议", "payments_banks", frozenset({Role.SYSADMIN}), order=64))
