from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "yikatong.disclosure"
    label = "disclosure"
    verbose_name = "信息公开"
