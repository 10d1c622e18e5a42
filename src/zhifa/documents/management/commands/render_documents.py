"""`zhifa render-documents [--subject case:] [--limit N] [--prune [--dry-run]]`: render the PDF and
DOCX of every document issued in deferred mode (the demo data, test databases) and store them with
their SHA-256. Idempotent: a document already rendered is skipped.

``--prune`` instead deletes the document files no document refers to that are older than an hour
(left by a process that died while issuing; ``zhifa sweep`` does the same every day)."""
import time

from django.core.management.base import BaseCommand, CommandError

from zhifa.core.violations import Refused
from zhifa.documents import services


class Command(BaseCommand):
    help = "生成延迟生成模式下签发的文书的 PDF 和 Word 文件（已生成的跳过）；--prune 删除无文书引用的遗留文件"

    def add_arguments(self, parser):
        parser.add_argument("--subject", default="", help="只处理所属对象以此开头的文书，如 case:")
        parser.add_argument("--limit", type=int, default=None, help="最多处理多少份")
        parser.add_argument("--prune", action="store_true", help="不生成文件，改为删除没有任何文书引用、且已超过 1 小时的文书文件")
        parser.add_argument("--dry-run", action="store_true", help="与 --prune 一起使用：只列出将删除的文件，不删除")

    def handle(self, *args, subject="", limit=None, prune=False, dry_run=False, **options):
        if prune:
            orphans = services.prune_orphan_files(dry_run=dry_run)
            for name in orphans:
                self.stdout.write(f"  {name}")
            verb = "将删除" if dry_run else "已删除"
            self.stdout.write(f"{verb} {len(orphans)} 个无文书引用的遗留文件。")
            return
        if dry_run:
            raise CommandError("--dry-run 只能与 --prune 一起使用。")
        started = time.perf_counter()
        try:
            done = services.render_pending(subject_prefix=subject, limit=limit)
        except Refused as exc:
            raise CommandError("；".join(v.message for v in exc.violations)) from None
        seconds = time.perf_counter() - started
        self.stdout.write(f"已生成 {done} 份文书的 PDF 和 Word 文件，用时 {seconds:.1f} 秒。")
