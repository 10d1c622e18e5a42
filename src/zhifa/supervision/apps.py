from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "zhifa.supervision"
    verbose_name = "行政执法监督"

    def ready(self) -> None:
        """Archiving a case binds its file (``cases.hooks``; archiving requires a bound file); a case
        act re-evaluates that case's alerts."""
        from zhifa.cases import hooks

        from .services import casefiles

        hooks.register_archive_binder(casefiles.bind_for_archive)
        # Per-case alert rules after every committed case act (预警, R33; cheap: one case).
        from .services import alerts

        hooks.register_after_act(alerts.on_case_act)
