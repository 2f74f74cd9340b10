from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "yikatong.payments"
    label = "payments"
    verbose_name = "资金支付"

    def ready(self):
        from . import claims, guards  # noqa: F401  (register the payment guards and effects of the batch flow)
