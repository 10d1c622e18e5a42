"""``zhifa sweep``: the daily periodic work of the cases (architecture.md: periodic work as
management commands, run by cron or a systemd timer).

    zhifa sweep                 # recompute every open case's stored deadlines, print the overdue
    zhifa sweep --case 12 --case 13
    zhifa sweep --today 2026-12-01

The stored next deadline (``Case.next_due``) of a case with a running pause of the 90-day clock
moves every day, and provisional dates become final once a year's holidays are loaded: the sweep
recomputes them (``services.recompute_deadlines``) and prints how many cases are overdue, by kind.
It also deletes the files no row refers to and that are older than an hour: the document files
(``documents.services.prune_orphan_files``), then those of the modules listed in
``settings.ZHIFA["ORPHAN_FILE_PRUNERS"]`` (the site photos, ``inspections.photo_files``: apps above
``cases`` register there, as ``cases`` imports none of them). Last it runs the daily work of the
functions listed in ``settings.ZHIFA["SWEEP_TASKS"]`` (the entity register's snapshot for draws,
``inspections.services.refresh_register_snapshot``).
"""
from __future__ import annotations

import datetime as dt
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zhifa.cases import deadlines, services
from zhifa.core import clock
from zhifa.documents import services as documents


class Command(BaseCommand):
    help = "重新计算案件期限（办案期限、陈述申辩、缴款、公示、查封扣押等），统计已逾期的案件，删除超过 1 小时且无记录引用的遗留文书文件和现场照片文件，并更新检查对象名录快照。"

    def add_arguments(self, parser):
        parser.add_argument("--case", type=int, action="append", default=None, help="只处理这些案件（可重复）")
        parser.add_argument("--today", help="按该日期计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, case=None, today=None, **options):
        try:
            day = dt.date.fromisoformat(today) if today else clock.today()
        except ValueError:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{today}") from None
        changed = services.recompute_deadlines(case, today=day)
        self.stdout.write(f"重新计算期限：{changed} 件案件的期限有变化。")
        overdue = services.overdue_counts(day)
        total = sum(overdue.values())
        self.stdout.write(f"已逾期案件：{total} 件" + ("。" if not total else "："))
        for kind, n in sorted(overdue.items(), key=lambda kv: -kv[1]):
            self.stdout.write(f"  {deadlines.KIND_LABELS.get(kind, kind)}：{n} 件")
        if not case:
            zhifa = getattr(settings, "ZHIFA", {}) or {}
            self.stdout.write(f"清理遗留文书文件：{len(documents.prune_orphan_files())} 个。")
            for path in zhifa.get("ORPHAN_FILE_PRUNERS", ()):
                module = import_module(path)
                self.stdout.write(f"清理遗留{module.LABEL}：{len(module.prune_orphans())} 个。")
            for path in zhifa.get("SWEEP_TASKS", ()):
                module, name = path.rsplit(".", 1)
                line = getattr(import_module(module), name)()
                if line:
                    self.stdout.write(line)
