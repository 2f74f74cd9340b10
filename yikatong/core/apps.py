from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yikatong.core"
    label = "core"
    verbose_name = "基础"
