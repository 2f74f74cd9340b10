from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "yikatong.funds"
    label = "funds"
    verbose_name = "资金指标"
