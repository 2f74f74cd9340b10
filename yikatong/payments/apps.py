from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "yikatong.payments"
    label = "payments"
    verbose_name = "资金支付"

    def ready(self):
        from . import guards  # noqa: F401  (registers the payment guards of the batch flow)
