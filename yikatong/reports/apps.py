from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "yikatong.reports"
    label = "reports"
    verbose_name = "监测报表"
    default_auto_field = "django.db.models.BigAutoField"
