from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "yikatong.applications"
    label = "applications"
    verbose_name = "申请受理"

    def ready(self):
        # the shared `state_label` template filter shows application states by their Chinese names
        from yikatong.web.labels import register_state_labels

        from .models import State

        register_state_labels(lambda code: State(code).label if code in State.values else None)
