from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "yikatong.web"
    label = "web"
    verbose_name = "门户"

    def ready(self):
        # Apps contribute navigation entries (nav.py) and to-do providers (todo.py).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("nav", "todo")
