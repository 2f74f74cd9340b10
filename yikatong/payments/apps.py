from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "yikatong.payments"
    label = "payments"
    verbose_name = "资金支付"

    def ready(self):
        from . import claims, guards  # noqa: F401  (register the payment guards and effects of the batch flow)
        from . import reissue_guards  # noqa: F401  (the reissue guard and the REISSUE_* refusal codes)
        # the post-payment result lines for publication (disclosure reads them through rosters.hooks)
        from yikatong.rosters import hooks as roster_hooks

        from .notice import result_lines
        from .selectors import paid_line

        roster_hooks.provide_result_lines(result_lines)
        roster_hooks.provide_paid_line(paid_line)  # supervision's recoveries (追回) open only on a paid item
