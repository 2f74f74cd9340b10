from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "yikatong.registry"
    label = "registry"
    verbose_name = "补贴对象信息库"
