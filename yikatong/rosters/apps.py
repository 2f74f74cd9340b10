from django.apps import AppConfig


class RostersConfig(AppConfig):
    name = "yikatong.rosters"
    label = "rosters"
    verbose_name = "发放清册"
