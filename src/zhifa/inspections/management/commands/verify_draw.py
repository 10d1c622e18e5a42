"""``zhifa verify-draw ID [--export DIR]``: recompute a draw (抽取) from its published data — the
frozen list, the commitment, the revealed secret and the witness value — and say whether it
matches the published result and the stored inspections. Exit 0 when it does, 1 otherwise.

``--export DIR`` also writes the published files (frozen list, result, parameters) so that anyone
can re-run the draw without zhifa (docs/inspections.md gives the algorithm)."""
from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from zhifa.inspections import public, selectors, services
from zhifa.inspections.models import Draw


class Command(BaseCommand):
    help = "用公开数据重算一次抽取，核对结果是否一致"

    def add_arguments(self, parser):
        parser.add_argument("draw_id", help="抽取编号")
        parser.add_argument("--export", dest="export", default=None, help="把公开数据写入该目录，供第三方独立复核")

    def handle(self, *args, **options):
        raw = str(options["draw_id"]).strip()
        if not raw.isdigit():
            self.stderr.write(f"抽取编号「{raw}」应为正整数")
            raise SystemExit(1)
        draw = Draw.objects.select_related("task").filter(pk=int(raw)).first()
        if draw is None:
            self.stderr.write(f"没有编号为 {raw} 的抽取")
            raise SystemExit(1)
        check = services.verify_draw(draw)
        self.stdout.write(f"抽取 #{draw.pk}：{draw.task.title}（{draw.get_status_display()}）")
        self.stdout.write(f"  冻结名单摘要 {draw.document_digest}；候选 {draw.candidate_count} 户，抽取 {draw.sample} 户")
        self.stdout.write(f"  种子承诺 {draw.commitment}")
        if draw.is_drawn:
            self.stdout.write(f"  见证值「{draw.witness}」；最终种子 {draw.seed}")
            self.stdout.write(f"  结果摘要 {draw.result_digest}" if draw.is_revealed else f"  无法完成：{draw.refusal}")
        for text, ok in check.checks:
            self.stdout.write(f"  {'✓' if ok else '✗'} {text}")
        if options.get("export"):
            folder = Path(options["export"])
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "frozen.txt").write_text(draw.document_text(), encoding="utf-8")
            (folder / "result.txt").write_text(selectors.stored_result_document(draw), encoding="utf-8")
            # the public draw (public.draw_view) as the verifier reads it: without the task's title
            published = {key: value for key, value in public.draw_view(draw).items() if key != "task_title"}
            (folder / "draw.json").write_text(json.dumps(published, ensure_ascii=False, indent=2), encoding="utf-8")
            self.stdout.write(f"  公开数据已写入 {folder}")
        if not check.ok:
            self.stderr.write("核对不一致：抽取结果不能由公开数据重现。")
            raise SystemExit(1)
        self.stdout.write("核对一致：抽取结果可由公开数据完全重现。")
