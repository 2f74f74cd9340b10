from yikatong.web.navigation import NavItem, register

# --- publish ---
register(NavItem("公开名单", "disclosure_lists", frozenset({"disclosure_admin"}), order=60))
