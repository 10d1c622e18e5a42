"""``zhifa load_laws``: load the shipped law texts and link the items' legal basis (R09)."""
from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand

from zhifa.catalog import services


class Command(BaseCommand):
    help = "载入法律法规文本（laws_data），并将执法事项的实施依据关联到具体条款。可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help="法律文本目录（默认使用内置 laws_data）")
        parser.add_argument("--no-link", action="store_true", help="只载入法律文本，不关联事项")

    def handle(self, *args, **options):
        started = time.perf_counter()
        run = services.load_laws(options["dir"], link=not options["no_link"])
        loaded, linked = run.loaded, run.linked
        self.stdout.write(
            f"法律规范 {loaded.laws} 部（新增 {loaded.laws_created}，更新 {loaded.laws_updated}），"
            f"条款 {loaded.provisions} 条（新增 {loaded.provisions_created}，更新 {loaded.provisions_updated}，"
            f"删除 {loaded.provisions_deleted}）。"
        )
        if linked is not None:
            self.stdout.write(
                f"执法事项 {linked.items} 项，其中 {linked.items_linked} 项关联到条款；"
                f"引用条款 {linked.references} 处，已解析 {linked.resolved} 处（{linked.resolved_share:.0%}），"
                f"关联记录 {linked.links} 条。"
            )
            if linked.unknown_laws:
                top = "、".join(f"《{t}》{n}处" for t, n in linked.unknown_laws.most_common(5))
                self.stdout.write(f"未收录文本的法律规范（保留为文字依据）：{top}……")
            if linked.unknown_articles:
                self.stdout.write(f"文本中找不到的条款：{'、'.join(linked.unknown_articles[:10])}")
        self.stdout.write(self.style.SUCCESS(f"完成，用时 {time.perf_counter() - started:.2f} 秒。"))
