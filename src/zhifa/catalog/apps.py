from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "zhifa.catalog"
    label = "catalog"
    verbose_name = "执法事项与法律依据"

    def ready(self):
        # The registry's body pages show the catalog's items and delegations (R03) without
        # importing the catalog: the catalog hands them down.
        from zhifa.catalog import selectors
        from zhifa.registry import panels

        panels.provide(body_panel=selectors.body_panel, items_of_bodies=selectors.items_of_bodies)
