"""The working-day service every deadline uses (工作日历服务, legal-rules §0).

It builds a :class:`zhifa.core.calendar.Schedule` from the holiday table and keeps it in a
per-process cache keyed by a version stamp of the table, so that a change made by any process
(the admin, ``zhifa load_holidays``, another gunicorn worker) is seen by the next call of every
process: each call costs one small aggregate query (the stamp), the computation itself
microseconds. Code that computes many deadlines at once takes ``schedule()`` once and calls its
methods.

    >>> from zhifa.core import workdays
    >>> workdays.add_working_days(date(2025, 9, 30), 1)
    Due(date=datetime.date(2025, 10, 9), provisional=False)

Results are ``Due(date, provisional)`` / ``Span(days, provisional)``: ``provisional`` is true when
a year the period touches has no official schedule loaded yet (only weekends were skipped). Every
stored deadline should keep that flag, and be recomputed when the year is loaded: ``zhifa
load_holidays`` calls the hooks listed in ``settings.ZHIFA["CALENDAR_RECOMPUTE_HOOKS"]`` (dotted
paths of ``hook(years: list[int]) -> int``) after it loads a year.
"""
from __future__ import annotations

import datetime as dt
import threading

from django.db import connection

from zhifa.core.calendar import Due, Schedule, Span
from zhifa.core.models import Holiday, HolidayYear

__all__ = [
    "Due",
    "Span",
    "schedule",
    "add_working_days",
    "add_calendar_days",
    "working_days_between",
    "is_working_day",
    "next_working_day",
    "recompute_hooks",
]

_lock = threading.Lock()
_cached: tuple[tuple, Schedule] | None = None


def _stamp() -> tuple:
    """A cheap version of the table, in one query on indexed columns: the row count and latest
    modification time of both tables.

    Adding a row raises a count, editing one moves ``updated_at``/``loaded_at`` (``auto_now``),
    deleting one lowers a count, and deleting some rows while adding as many leaves a newer
    ``updated_at``: any change made through the ORM, the admin or ``load_holidays`` moves the
    stamp. (A raw ``QuerySet.update()`` must set ``updated_at`` itself.)
    """
    holiday, year = Holiday._meta.db_table, HolidayYear._meta.db_table
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {holiday}), (SELECT MAX(updated_at) FROM {holiday}),"
        f" (SELECT COUNT(*) FROM {year}), (SELECT MAX(loaded_at) FROM {year})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def _load() -> Schedule:
    overrides, names = {}, {}
    for day, working, name in Holiday.objects.values_list("day", "is_working_day", "name"):
        overrides[day] = working
        if name:
            names[day] = name
    return Schedule(overrides, HolidayYear.objects.values_list("year", flat=True), names)


def schedule() -> Schedule:
    """The current holiday lookup: cached per process, rebuilt when the table's stamp changes."""
    global _cached
    stamp = _stamp()
    cached = _cached
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _lock:
        if _cached is not None and _cached[0] == stamp:
            return _cached[1]
        built = _load()
        _cached = (stamp, built)
        return built


def clear_cache() -> None:
    """Forget the cached schedule (tests; never needed for correctness)."""
    global _cached
    _cached = None


def add_working_days(start: dt.date, n: int) -> Due:
    """The n-th working day after ``start`` (行政处罚法第八十五条, 行政强制法第六十九条)."""
    return schedule().add_working_days(start, n)


def add_calendar_days(start: dt.date, n: int) -> Due:
    """``start + n`` days, moved to the next working day if it is a rest day (民事诉讼法第八十五条)."""
    return schedule().add_calendar_days(start, n)


def working_days_between(a: dt.date, b: dt.date) -> Span:
    """Working days in ``(a, b]``."""
    return schedule().working_days_between(a, b)


def is_working_day(day: dt.date) -> bool:
    return schedule().is_working_day(day)


def next_working_day(day: dt.date) -> dt.date:
    return schedule().next_working_day(day)


def recompute_hooks() -> list:
    """The functions that recompute provisional deadlines once a year's schedule is loaded.

    Listed as dotted paths in ``settings.ZHIFA["CALENDAR_RECOMPUTE_HOOKS"]`` by the apps that store
    deadlines (cases, transfers …): ``core`` imports no other app, so they register themselves.
    """
    from django.conf import settings
    from django.utils.module_loading import import_string

    paths = (getattr(settings, "ZHIFA", {}) or {}).get("CALENDAR_RECOMPUTE_HOOKS", ())
    return [import_string(path) for path in paths]
