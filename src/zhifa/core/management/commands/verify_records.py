"""`zhifa verify-records`: prove every full-process record chain (exit 1 on the first break)."""
from django.core.management.base import BaseCommand

from zhifa.core import ledger


class Command(BaseCommand):
    help = "校验全部全过程记录的摘要链"

    def handle(self, *args, **options):
        count, broken = ledger.verify_all()
        for b in broken:
            self.stderr.write(f"记录 {b.stream} 第{b.seq}条：{b.reason}")
        if broken:
            raise SystemExit(1)
        self.stdout.write(f"已校验 {count} 条记录链，全部完整。")
