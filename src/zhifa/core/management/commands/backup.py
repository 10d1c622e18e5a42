"""`zhifa backup [--into DIR]`: the database (SQLite online backup or pg_dump) and the stored
files, with a manifest of SHA-256 hashes (core/backup.py)."""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhifa.core import backup, clock


class Command(BaseCommand):
    help = "备份数据库和存储的文件（含清单与 SHA-256）"

    def add_arguments(self, parser):
        parser.add_argument("--into", default=str(Path(settings.VAR_DIR) / "backups"), help="备份存放目录")

    def handle(self, *args, **options):
        try:
            folder = backup.backup(Path(options["into"]), clock.now())
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        manifest = backup.check(folder)
        counts = "，".join(f"{k} {v}" for k, v in manifest["counts"].items())
        self.stdout.write(f"已备份到 {folder}（{counts}）。")
