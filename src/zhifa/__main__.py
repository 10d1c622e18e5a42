"""`zhifa …` is manage.py: `zhifa demo`, `zhifa import officers FILE`, `zhifa runserver` …"""
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    from django.core.exceptions import ImproperlyConfigured

    args = sys.argv[1:]
    if args and not args[0].startswith("-"):
        # contract.md spells commands with hyphens (`zhifa verify-records`); Django modules use underscores.
        args[0] = args[0].replace("-", "_")
    try:
        _load_settings()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["zhifa", *args])
    except ImproperlyConfigured as exc:
        # A missing or malformed setting (settings.SettingsError, a database driver missing …):
        # one line for the operator, not a traceback.
        message = " ".join(str(exc).split()) or exc.__class__.__name__
        print(f"zhifa：设置有误：{message}", file=sys.stderr)
        sys.exit(1)


def _load_settings() -> None:
    """Read the settings before Django's command line does: it swallows a settings error for
    the commands that need none and raises it later with a traceback."""
    from django.conf import settings

    settings.INSTALLED_APPS  # noqa: B018 — the access loads the settings module


if __name__ == "__main__":
    main()
