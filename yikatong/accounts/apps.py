from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "yikatong.accounts"
    label = "accounts"
    verbose_name = "用户与单位"

    def ready(self):
        # Core sits below accounts: it asks "system-wide administrator?" through its hook.
        from yikatong.core.holiday_access import register_system_admin_check

        from .scope import is_system_wide_admin

        register_system_admin_check(is_system_wide_admin)
