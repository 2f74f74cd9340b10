from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "yikatong.disclosure"
    label = "disclosure"
    verbose_name = "信息公开"

    def ready(self):
        # --- publish: the notice sheet's QR code and digest point at the batch's latest published list ---
        from yikatong.rosters import hooks as roster_hooks

        from .publish_hooks import published_list

        roster_hooks.provide_published_list(published_list)

        # --- publish_auto: a registered notice goes online at once ---
        from .publish_auto import notice_recorded

        roster_hooks.on_notice_recorded(notice_recorded)

        # --- complaints about a village weigh in risk-weighted inspection draws (supervision.sampling) ---
        from yikatong.supervision import sampling

        from .inspection_risk import complaints_risk

        sampling.provide_risk_source(complaints_risk)
