from yikatong.web.navigation import NavItem, register

from .permissions import READERS

register(NavItem("资金指标", "fund_quotas", frozenset(READERS), order=25))
