from django.apps import AppConfig


class BanksimConfig(AppConfig):
    """A pretend agent bank that speaks specs/bank-exchange.md. Never a real bank: demos and tests only."""

    name = "yikatong.banksim"
    label = "banksim"
    verbose_name = "代发银行模拟器（仅供演示和测试）"
