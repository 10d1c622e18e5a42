"""`zhifa demo [--scale N] [--seed S] [--if-empty]`: load the demo city (示例市)."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from zhifa.demo.generator import ACCOUNTS, ADMIN, DEFAULT_SEED, DEMO_PASSWORD, SUPERVISOR, load_demo
from zhifa.registry.models import Body


class Command(BaseCommand):
    help = "载入演示数据：示例市的行政区划、执法主体、执法人员、执法事项和演示账号（可重复执行，不会重复写入）。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="人员规模倍数（用于性能测试），默认 1")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"随机种子，默认 {DEFAULT_SEED}；同一种子生成相同的数据")
        parser.add_argument("--if-empty", action="store_true", help="数据库中已有执法主体时不做任何操作（make run 使用）")
        parser.add_argument("--no-real-lists", action="store_true", help="不导入真实权责清单，全部使用生成的执法事项（测试用）")
        parser.add_argument("--registry-only", action="store_true", help="只载入区划、主体、人员和事项，不生成案件与双随机抽查数据（测试用）")

    def handle(self, *args, scale: float, seed: int, if_empty: bool, no_real_lists: bool, registry_only: bool, **options):
        if scale <= 0:
            raise CommandError("--scale 必须大于 0")
        if if_empty and Body.objects.exists():
            self.stdout.write("数据库中已有执法主体数据，跳过演示数据载入。")
            return
        result = load_demo(seed=seed, scale=scale, real_lists=not no_real_lists,
                           cases=not registry_only, inspections=not registry_only, log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪（种子 {seed}，规模 ×{scale:g}，用时 {result.seconds:.1f} 秒）"))
        from zhifa.documents.tasks import queue_pending

        queued = queue_pending()  # the demo's documents are issued without files: the worker renders them
        if queued:
            self.stdout.write(f"已排入后台生成：{queued} 份文书（由 zhifa task_worker 生成 PDF 和 Word 文件）")
        created = "，".join(f"{k} {v}" for k, v in result.created.items() if v) or "无（数据均已存在）"
        self.stdout.write(f"本次新增：{created}")
        self.stdout.write("当前总数：" + "，".join(f"{k} {v}" for k, v in result.totals.items()))
        users = " ".join(a.username for a in (ADMIN, SUPERVISOR, *ACCOUNTS))
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：{users}")
