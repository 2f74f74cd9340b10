from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "yikatong.supervision"
    label = "supervision"
    verbose_name = "监督检查"

    def ready(self):
        # checks asks supervision, through its hooks, to open the case of a transferred finding and which
        # transferred findings a closed case released
        from yikatong.checks import hooks

        from .selectors import released_findings
        from .transfer import open_clue

        hooks.provide_clue_transfer(open_clue)
        hooks.provide_released_findings(released_findings)
