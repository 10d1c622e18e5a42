from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhifa.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from . import checks  # noqa: F401 — registers the system checks
        from django.contrib.auth.signals import user_logged_in

        from .security.middleware import on_page_login

        user_logged_in.connect(on_page_login, dispatch_uid="zhifa-session-guard")
        from .security import signals as audit_signals

        audit_signals.connect()
        _cap_image_pixels()


def _cap_image_pixels() -> None:
    """Pillow refuses (``DecompressionBombError``) an image of more than twice
    ``MAX_IMAGE_PIXELS`` and only warns below: zhifa sets the limit from
    ``ZHIFA["IMAGE_MAX_PIXELS"]`` and makes the warning an error, so every image opened anywhere
    (photos, images in documents) is refused above the limit before it is decoded."""
    import warnings

    from django.conf import settings
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = settings.ZHIFA.get("IMAGE_MAX_PIXELS", 200_000_000)
    warnings.simplefilter("error", Image.DecompressionBombWarning)
