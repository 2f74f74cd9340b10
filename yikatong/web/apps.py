from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "yikatong.web"
    label = "web"
    verbose_name = "门户"
