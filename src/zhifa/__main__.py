"""`zhifa …` is manage.py: `zhifa demo`, `zhifa import officers FILE`, `zhifa runserver` …"""
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:]
    if args and not args[0].startswith("-"):
        # contract.md spells commands with hyphens (`zhifa verify-records`); Django modules use underscores.
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["zhifa", *args])


if __name__ == "__main__":
    main()
