from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "yikatong.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self):
        # Core sits below audit: its writes record through core.audit_hook.
        from yikatong.core.audit_hook import register_recorder

        from .services import record

        register_recorder(record)
