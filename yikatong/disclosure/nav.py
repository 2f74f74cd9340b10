from yikatong.web.navigation import NavItem, register

from .complaints_scope import READER_ROLES

# --- publish ---
register(NavItem("公开名单", "disclosure_lists", frozenset({"disclosure_admin"}), order=60))

# -- complaints (投诉/举报/咨询): those who answer them, and supervisors (complaints_scope.READER_ROLES) --
register(NavItem("投诉举报", "disclosure_complaints", frozenset(READER_ROLES), order=61))
