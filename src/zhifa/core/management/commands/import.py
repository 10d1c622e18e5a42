"""``zhifa import KIND FILE [--body CODE] [--dry-run] [--valid-from DATE]``: import a spreadsheet.

Prints what it imported, or every bad row (第N行「列」：原因) and imports nothing. Exit status 0 on
success, 1 on rejected input (unknown kind, missing file, unknown body, bad rows), never a
traceback (contract.md). When standard error is a terminal, a one-line counter shows the progress
there (rows done / total, phase), rewritten in place at most five times a second (and whenever the
phase changes or every row is done) and cleared at the end; standard output is the same either way.
The module is named ``import`` — a Python keyword, which Django's command loader
(``importlib.import_module`` on the name) handles without trouble.
"""
from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand

from zhifa.core.importing import importer_kinds, parse_date, run_import


class Command(BaseCommand):
    help = "导入电子表格（.xls/.xlsx/.ods/.csv）：全部校验通过才写入，否则列出每一处错误且不导入任何数据。"

    def add_arguments(self, parser):
        kinds = "、".join(f"{kind}（{label}）" for kind, label in importer_kinds())
        parser.add_argument("kind", help=f"导入类型：{kinds}")
        parser.add_argument("file", help="表格文件路径")
        parser.add_argument("--body", dest="body", default=None, help="所属执法主体编码（导入权责清单时必填）")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument("--valid-from", dest="valid_from", default=None, help="事项生效日期 YYYY-MM-DD（默认取标题中的年份的 1 月 1 日）")

    def fail(self, lines: list[str]) -> None:
        for line in lines:
            self.stderr.write(line)
        raise SystemExit(1)

    def progress_line(self):
        """A progress callback drawing one line on standard error (a terminal)."""
        last = [0.0, 0, ""]

        def plain(text):
            return text

        def show(done: int, total: int | None, phase: str) -> None:
            now = time.monotonic()
            if phase == last[2] and now - last[0] < 0.2 and not (total and done >= total):
                return
            last[0], last[2] = now, phase
            text = f"{phase}：{done:,} / {total:,} 行（{done * 100 // total if total else 100}%）" if total else f"{phase}：{done:,} 行"
            self.stderr.write("\r" + text.ljust(last[1]), style_func=plain, ending="")
            last[1] = len(text)
            if phase == "完成":
                self.stderr.write("\r" + " " * (last[1] * 2) + "\r", style_func=plain, ending="")
            self.stderr.flush()

        return show

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            self.fail([f"文件不存在：{path}"])
        valid_from = options.get("valid_from")
        if valid_from:
            try:
                valid_from = parse_date(valid_from)
            except ValueError as exc:
                self.fail([f"--valid-from：{exc}"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.fail([f"无法读取文件 {path}：{exc.strerror or exc}"])
        try:
            result = run_import(
                options["kind"], data, path.name, body_code=options.get("body"), dry_run=options["dry_run"],
                options={"valid_from": valid_from} if valid_from else None,
                progress=self.progress_line() if self.stderr.isatty() else None,
            )
        except Exception as exc:  # contract.md: never a traceback (use --traceback to see it)
            if options.get("traceback"):
                raise
            self.fail([f"导入失败（程序错误 {exc.__class__.__name__}：{exc}），未导入任何数据。"])
        if not result.ok:
            self.fail([result.summary(), *(str(error) for error in result.errors)])
        self.stdout.write(result.summary())
        for warning in result.warnings:
            self.stdout.write(f"警告：{warning}")
