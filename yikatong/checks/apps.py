from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "yikatong.checks"
    label = "checks"
    verbose_name = "大数据比对"

    def ready(self):
        from . import guards  # noqa: F401  (registers the checks_current guard of the batch flow)
        from . import roster_hooks

        roster_hooks.install()  # held items, findings, queued and re-stored checks for rosters (rosters.hooks)
