"""Where the holiday table's rows come from (节假日数据来源): the ``chinese-calendar`` package,
which seeds it, and a CSV file of ``date,is_working_day,name`` for a year the package does not
know yet (the State Council publishes each year's schedule in the autumn of the year before).

Pure: no Django, no database. Rows are :class:`HolidayRow`; CSV errors are :class:`RowError`
with the row number, the column and a Chinese reason, and a file with any error yields no row.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from typing import NamedTuple

#: The package's English names, in Chinese (全国年节及纪念日放假办法).
CHINESE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


class HolidayRow(NamedTuple):
    day: dt.date
    is_working_day: bool
    name: str


class RowError(NamedTuple):
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"第{self.row}行「{self.column}」：{self.reason}"


def package_label() -> str:
    """``chinese-calendar 1.11.0``: the source recorded on seeded rows and years."""
    try:
        from importlib.metadata import version

        return f"chinese-calendar {version('chinesecalendar')}"
    except Exception:  # pragma: no cover - metadata missing in odd installs
        return "chinese-calendar"


def package_years() -> list[int]:
    """The years whose official schedule the installed ``chinese-calendar`` knows."""
    from chinese_calendar import constants

    days = list(constants.holidays) + list(constants.workdays)
    first, last = min(days).year, max(days).year
    known = {day.year for day in days}
    return [year for year in range(first, last + 1) if year in known]


def package_rows(years: set[int] | None = None) -> list[HolidayRow]:
    """Every holiday and make-up working day the package knows (optionally for ``years`` only).

    Holidays that fall on a weekend are kept too (they change no count but name the day).
    """
    from chinese_calendar import constants

    rows = []
    for table, working in ((constants.holidays, False), (constants.workdays, True)):
        for day, name in table.items():
            if years is None or day.year in years:
                label = getattr(name, "value", name)
                rows.append(HolidayRow(day, working, CHINESE_NAMES.get(label, str(label))[:40]))
    rows.sort()
    return rows


_TRUE = {"1", "true", "yes", "y", "是", "上班", "工作日", "调休", "调休上班"}
_FALSE = {"0", "false", "no", "n", "否", "放假", "休息", "节假日", "休息日"}
COLUMNS = ("date", "is_working_day", "name")


def parse_csv(text: str) -> tuple[list[HolidayRow], list[RowError]]:
    """Parse ``date,is_working_day,name`` (header required; ``is_working_day`` is 1/0, true/false,
    是/否 or 上班/放假). Returns ``(rows, [])`` or ``([], errors)``: all or nothing."""
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text))
    errors: list[RowError] = []
    rows: list[HolidayRow] = []
    header = next(reader, None)
    if header is None:
        return [], [RowError(1, "表头", "文件为空")]
    header = [cell.strip().lower() for cell in header]
    if header[:3] != list(COLUMNS):
        return [], [RowError(1, "表头", "表头应为 date,is_working_day,name")]
    seen: dict[dt.date, int] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        cells = [cell.strip() for cell in cells] + [""] * 3
        raw_day, raw_flag, name = cells[0], cells[1].lower(), cells[2]
        day = None
        try:
            day = dt.date.fromisoformat(raw_day)
            if len(raw_day) != 10:
                raise ValueError
        except ValueError:
            errors.append(RowError(number, "date", f"“{raw_day}”不是 YYYY-MM-DD 格式的日期"))
            day = None
        if raw_flag in _TRUE:
            flag = True
        elif raw_flag in _FALSE:
            flag = False
        else:
            errors.append(RowError(number, "is_working_day", f"“{cells[1]}”应为 1（调休上班）或 0（放假）"))
            flag = None
        if len(name) > 40:
            errors.append(RowError(number, "name", "名称不得超过40个字"))
        if day is not None:
            if day in seen:
                errors.append(RowError(number, "date", f"{day} 与第{seen[day]}行重复"))
            seen.setdefault(day, number)
        if day is not None and flag is not None:
            if flag and day.weekday() < 5:
                errors.append(RowError(number, "is_working_day", f"{day} 是周一至周五，本来就是工作日，不必列为调休上班"))
            rows.append(HolidayRow(day, flag, name[:40]))
    if not rows and not errors:
        errors.append(RowError(2, "date", "文件没有数据行"))
    return ([], errors) if errors else (sorted(rows), [])
