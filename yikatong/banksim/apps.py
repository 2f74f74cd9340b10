from django.apps import AppConfig


def _demo_logins_note() -> str:
    from yikatong.accounts.demo import DEMO_PASSWORD, demo_logins

    return f"演示账号（密码均为 {DEMO_PASSWORD}）：" + "，".join(u for u, _, _ in demo_logins())


class BanksimConfig(AppConfig):
    """A pretend agent bank that speaks specs/bank-exchange.md. Never a real bank: demos and tests only.
    Installed only by the demo settings layer, it also announces the demo logins when `serve` starts."""

    name = "yikatong.banksim"
    label = "banksim"
    verbose_name = "代发银行模拟器（仅供演示和测试）"

    def ready(self):
        from yikatong.web import startup_notes

        startup_notes.register(_demo_logins_note)
