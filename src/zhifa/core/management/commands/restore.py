"""`zhifa restore FOLDER`: check the backup's hashes, restore it into the configured empty
database and the media folder, then compare the counts and verify every record chain
(core/backup.py). Exit 1 on any mismatch."""
from django.core.management.base import BaseCommand, CommandError

from zhifa.core import backup


class Command(BaseCommand):
    help = "从 zhifa backup 的备份恢复到空数据库，并校验数量与全部记录链"

    def add_arguments(self, parser):
        parser.add_argument("folder", help="zhifa backup 生成的备份目录")

    def handle(self, *args, **options):
        try:
            result = backup.restore(options["folder"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        if result["counts"] != result["expected"]:
            raise CommandError(f"恢复后的数量与备份清单不符：{result['counts']} ≠ {result['expected']}")
        if result["broken"] or not result["audit"]["ok"]:
            raise CommandError(f"恢复后的记录链不完整：{result['broken'] or result['audit']}")
        counts = "，".join(f"{k} {v}" for k, v in result["counts"].items())
        self.stdout.write(f"已恢复（{counts}）；{result['chains']} 条记录链与安全审计记录链校验完整。")
