from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "zhifa.registry"
    label = "registry"
    verbose_name = "执法主体与人员"

    def ready(self) -> None:
        from zhifa.core import api_auth

        from .access import USER_JOINS

        api_auth.USER_JOINS.extend(j for j in USER_JOINS if j not in api_auth.USER_JOINS)
