from django.apps import AppConfig


class BanksimConfig(AppConfig):
    name = "yikatong.banksim"
    label = "banksim"
    verbose_name = "代发银行模拟器"
