"""``zhifa load_holidays``: fill the holiday table (节假日与调休) for the working-day calendar.

    zhifa load_holidays                       # every year chinese-calendar knows and the table lacks
    zhifa load_holidays --year 2026 --replace # reload a year from the package
    zhifa load_holidays --csv 2027.csv        # a year the package does not know yet
    zhifa load_holidays --csv 2027.csv --dry-run

The CSV has the header ``date,is_working_day,name`` and one row per holiday (``0``) or make-up
working day (``1``) of the State Council's notice; weekend holidays may be listed or not. Loading a
year makes the table's rows for that year exactly those of the source, marks the year known and
records it on ``calendar:<year>`` (``core.services.load_holiday_years``).
A file with any bad row imports nothing and lists every error (exit 1).
"""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhifa.core import holiday_sources as sources
from zhifa.core import services
from zhifa.core.models import HolidayYear


class Command(BaseCommand):
    help = "载入国务院节假日安排（节假日与调休）：默认从 chinese-calendar 包载入尚未载入的年度，或用 --csv 导入新年度。"

    def add_arguments(self, parser):
        parser.add_argument("--csv", dest="csv_path", help="CSV 文件：date,is_working_day,name（1=调休上班，0=放假）")
        parser.add_argument("--year", type=int, action="append", default=[], help="只载入这些年度（可重复）")
        parser.add_argument("--replace", action="store_true", help="替换已载入年度的数据")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")

    def handle(self, *args, csv_path=None, year=(), replace=False, dry_run=False, **options):
        if csv_path:
            rows, source = self._from_csv(Path(csv_path)), f"CSV {Path(csv_path).name}"[:80]
            years = sorted({row.day.year for row in rows})
            if year:
                outside = sorted(set(years) - set(year))
                if outside:
                    raise CommandError(f"CSV 含有未指定年度的数据：{'、'.join(map(str, outside))}")
        else:
            known = sources.package_years()
            years = sorted(set(year) & set(known)) if year else known
            unknown = sorted(set(year) - set(known))
            if unknown:
                raise CommandError(
                    f"chinese-calendar 尚不包含 {'、'.join(map(str, unknown))} 年的安排"
                    f"（已知 {known[0]}—{known[-1]} 年）：请升级该包，或用 --csv 导入国务院通知。"
                )
            source = sources.package_label()
            rows = None
        loaded = set(HolidayYear.objects.filter(year__in=years).values_list("year", flat=True))
        if csv_path and loaded and not replace:
            raise CommandError(f"{'、'.join(map(str, sorted(loaded)))} 年已载入；如需替换请加 --replace。")
        todo = years if replace else [y for y in years if y not in loaded]
        skipped = sorted(set(years) - set(todo))
        if skipped:
            self.stdout.write(f"已载入，跳过：{_years(skipped)}（加 --replace 可重新载入）")
        if not todo:
            self.stdout.write("没有需要载入的年度。")
            return
        if rows is None:
            rows = sources.package_rows(set(todo))
        rows = [row for row in rows if row.day.year in set(todo)]
        holidays = sum(1 for row in rows if not row.is_working_day)
        self.stdout.write(
            f"{'（试运行）' if dry_run else ''}载入 {_years(todo)}：{holidays} 个放假日、"
            f"{len(rows) - holidays} 个调休上班日，来源 {source}"
        )
        if dry_run:
            return
        replaced = sum(services.load_holiday_years(todo, rows, source).values())
        if replaced:
            self.stdout.write(f"替换了原有 {replaced} 条记录。")
        self._recompute(todo)

    def _from_csv(self, path: Path):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"无法读取 {path}：{exc}") from None
        rows, errors = sources.parse_csv(text)
        if errors:
            for error in errors:
                self.stderr.write(str(error))
            raise CommandError(f"{path.name} 有 {len(errors)} 处错误，未导入任何数据。")
        return rows

    def _recompute(self, years: list[int]) -> None:
        """Deadlines computed while these years were unknown are provisional: recompute them."""
        from zhifa.core.workdays import recompute_hooks

        hooks = recompute_hooks()
        for hook in hooks:
            count = hook(years)
            self.stdout.write(f"{hook.__module__}.{hook.__name__}：重新计算了 {count} 个临时期限。")
        if not hooks:
            self.stdout.write(
                "提示：此前跨入这些年度而标记为临时（provisional）的期限，应按新安排重新计算；"
                "业务模块在 ZHIFA['CALENDAR_RECOMPUTE_HOOKS'] 中登记的重算函数会在此自动调用（详见 docs/calendar.md）。"
            )


def _years(years) -> str:
    years = sorted(years)
    if len(years) > 3 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}—{years[-1]} 年"
    return "、".join(map(str, years)) + " 年"
