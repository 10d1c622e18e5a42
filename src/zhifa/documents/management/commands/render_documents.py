"""`zhifa render-documents [--subject case:] [--limit N]`: render the PDF and DOCX of every
document issued in deferred mode (the demo data, test databases) and store them with their
SHA-256. Idempotent: a document already rendered is skipped."""
import time

from django.core.management.base import BaseCommand, CommandError

from zhifa.core.violations import Refused
from zhifa.documents import services


class Command(BaseCommand):
    help = "生成延迟生成模式下签发的文书的 PDF 和 Word 文件（已生成的跳过）"

    def add_arguments(self, parser):
        parser.add_argument("--subject", default="", help="只处理所属对象以此开头的文书，如 case:")
        parser.add_argument("--limit", type=int, default=None, help="最多处理多少份")

    def handle(self, *args, subject="", limit=None, **options):
        started = time.perf_counter()
        try:
            done = services.render_pending(subject_prefix=subject, limit=limit)
        except Refused as exc:
            raise CommandError("；".join(v.message for v in exc.violations)) from None
        seconds = time.perf_counter() - started
        self.stdout.write(f"已生成 {done} 份文书的 PDF 和 Word 文件，用时 {seconds:.1f} 秒。")
