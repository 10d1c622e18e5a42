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
        # The statistics aggregates after every transaction that records an act on one of their
        # sources (R34; a refresh queued for the task worker on commit).
        from django.db.models.signals import post_save

        from zhifa.core.ledger import RecordEntry

        from .services import statistics

        post_save.connect(statistics.on_record, sender=RecordEntry, dispatch_uid="zhifa.supervision.statistics")
