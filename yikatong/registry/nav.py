from yikatong.accounts.roles import Role
from yikatong.web.navigation import NavItem, register

from .permissions import COMPARE_ROLES, MAINTAIN_ROLES, REFERENCE_LOAD_ROLES, VIEW_ROLES

register(
    NavItem("补贴对象底册", "registry_search", VIEW_ROLES, order=20),
    NavItem("复核比对", "registry_compare", COMPARE_ROLES, order=21),
    NavItem("底册导入", "registry_imports", MAINTAIN_ROLES, order=22),
    NavItem("社保卡状态", "registry_cards", VIEW_ROLES, order=24),
    NavItem("账户变更", "registry_account_changes", VIEW_ROLES, order=25),
    NavItem("共享比对数据", "registry_reference", REFERENCE_LOAD_ROLES | {Role.SUPERVISOR}, order=23),
)
