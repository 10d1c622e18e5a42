"""``zhifa refresh-statistics [--full]``: bring the statistics aggregates (R34) up to date.

    zhifa refresh-statistics          # apply the acts recorded since the last refresh
    zhifa refresh-statistics --full   # recompute every fact and daily sum from the source tables

``zhifa sweep`` runs the incremental refresh every day, and the task worker after every act on a
statistics source (reads never refresh); ``--full`` is for after a restore or a correction made
outside the services (docs/statistics.md)."""
from __future__ import annotations

from django.core.management.base import BaseCommand

from zhifa.supervision.services import statistics


class Command(BaseCommand):
    help = "更新执法统计汇总表（增量；--full 为全量重建）。"

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="从业务数据全量重建统计汇总表")

    def handle(self, *args, full=False, **options):
        if full:
            counts = statistics.rebuild()
            self.stdout.write("全量重建统计汇总表：" + "，".join(f"{k} {v} 个" for k, v in counts.items()) + "。")
        else:
            self.stdout.write(statistics.sweep())
