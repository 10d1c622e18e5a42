from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "zhifa.portal"
    label = "portal"
    verbose_name = "政务公开门户与投诉举报"

    def ready(self) -> None:
        """Supervision's alert rule on complaints never acted on reads the portal's complaints
        (the portal sits above supervision: it registers, supervision never imports it)."""
        from zhifa.supervision import selectors_alerts

        from . import selectors

        selectors_alerts.register_complaint_source(selectors.complaint_counts_since)
