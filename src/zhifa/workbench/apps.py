from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    """工作台: each role's home page and the side navigation, built from what every app declares
    in its ``nav.py`` (``zhifa.workbench.menu``)."""

    name = "zhifa.workbench"
    label = "workbench"
    verbose_name = "工作台"
