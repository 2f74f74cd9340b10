from django.apps import AppConfig


class RostersConfig(AppConfig):
    name = "yikatong.rosters"
    label = "rosters"
    verbose_name = "发放清册"

    def ready(self):
        # the shared `state_label` template filter shows batch states by their Chinese names
        from yikatong.web.labels import register_state_labels

        register_state_labels(batch_state_label)


def batch_state_label(code: str) -> str | None:
    from .flows import STATES

    return STATES[code].label if code in STATES else None
