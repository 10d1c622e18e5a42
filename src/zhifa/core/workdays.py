"""The working-day service every deadline uses (工作日历服务, legal-rules §0).

It builds a :class:`zhifa.core.calendar.Schedule` from the holiday table and keeps it in a
per-process cache keyed by a version stamp of the table, so that a change made by any process
(the admin, ``zhifa load_holidays``, another gunicorn worker) is seen by the next transaction of
every process. The stamp (one small aggregate query) is read once per transaction: inside an
``atomic`` block (a case action) it is kept until that transaction ends, so an action computing a
dozen deadlines queries it once; outside any transaction every call reads it. A holiday saved or
deleted through the ORM in this process is seen at once, even inside the transaction (signals);
after a bulk write (``bulk_create``, ``QuerySet.update``) inside a transaction call ``changed()``.
The computation itself costs microseconds. Code that computes many deadlines at once takes
``schedule()`` once and calls its methods.

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

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import post_delete, post_save

from zhifa.core.calendar import Due, Schedule, Span
from zhifa.core.models import Holiday, HolidayYear
from zhifa.core.txlocal import TransactionLocal

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
    "changed",
    "stamp_columns",
    "hold",
    "schedule_of",
]

_lock = threading.Lock()
_cached: tuple[tuple, Schedule] | None = None
_generation = 0  # moved by every in-process write to the holiday tables: invalidates the stamps held by transactions


def _stamp() -> tuple:
    """A cheap version of the table, in one query on indexed columns: the row count and latest
    modification time of both tables.

    Adding a row raises a count, editing one moves ``updated_at``/``loaded_at`` (``auto_now``),
    deleting one lowers a count, and deleting some rows while adding as many leaves a newer
    ``updated_at``: any change made through the ORM, the admin or ``load_holidays`` moves the
    stamp. (A raw ``QuerySet.update()`` must set ``updated_at`` itself.)
    """
    sql = "SELECT " + ", ".join(f"({part})" for part in _STAMP_PARTS)
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


_STAMP_PARTS = (
    f"SELECT COUNT(*) FROM {Holiday._meta.db_table}", f"SELECT MAX(updated_at) FROM {Holiday._meta.db_table}",
    f"SELECT COUNT(*) FROM {HolidayYear._meta.db_table}", f"SELECT MAX(loaded_at) FROM {HolidayYear._meta.db_table}",
)
STAMP_COLUMNS = tuple(f"calendar_stamp_{n}" for n in range(len(_STAMP_PARTS)))


def stamp_columns() -> dict:
    """The stamp as columns (``STAMP_COLUMNS``) to annotate a query the transaction runs anyway —
    a case action's lock of the case row — so that the stamp costs no query of its own; hand the
    values to ``hold`` before the first deadline. The values are those of the annotated
    statement's snapshot, as a stamp read by a separate query just before it would be."""
    from django.db.models import CharField
    from django.db.models.expressions import RawSQL

    # CharField: no converter, so the values come back as the cursor gives them (as in ``_stamp``).
    return {name: RawSQL(part, (), output_field=CharField()) for name, part in zip(STAMP_COLUMNS, _STAMP_PARTS)}


def hold(row) -> None:
    """Keep the stamp read with ``stamp_columns`` (attributes of ``row``) as the current
    transaction's, as if ``schedule()`` had read it there. Outside a transaction nothing is kept."""
    _held.set((_generation, tuple(getattr(row, name) for name in STAMP_COLUMNS)))


# --- The stamp, once per transaction ---------------------------------------------------------

_held = TransactionLocal()  # (generation, stamp) of the running transaction (``core.txlocal``)


def _current_stamp() -> tuple:
    """The stamp, read once per transaction (see the module docstring)."""
    held = _held.get()
    if held is not None and held[0] == _generation:
        return held[1]
    generation, stamp = _generation, _stamp()
    _held.set((generation, stamp))
    return stamp


def changed(**_kwargs) -> None:
    """The holiday tables changed in this process: every transaction reads the stamp again.
    Called by the save/delete signals of ``Holiday`` and ``HolidayYear``; call it yourself after
    a bulk write (``bulk_create``, ``QuerySet.update``) if deadlines follow in the same transaction."""
    global _generation
    with _lock:
        _generation += 1


for _model in (Holiday, HolidayYear):
    post_save.connect(changed, sender=_model, dispatch_uid=f"zhifa.core.workdays.changed.{_model.__name__}")
    post_delete.connect(changed, sender=_model, dispatch_uid=f"zhifa.core.workdays.changed.{_model.__name__}.delete")


def _load() -> Schedule:
    overrides, names = {}, {}
    for day, working, name in Holiday.objects.values_list("day", "is_working_day", "name"):
        overrides[day] = working
        if name:
            names[day] = name
    return Schedule(overrides, HolidayYear.objects.values_list("year", flat=True), names)


def schedule() -> Schedule:
    """The current holiday lookup: cached per process, rebuilt when the table's stamp changes
    (read once per transaction)."""
    return _schedule_for(_current_stamp())


def schedule_of(row) -> Schedule:
    """The holiday lookup for the stamp a query read with ``stamp_columns`` (attributes of
    ``row``): a read (a case, a list of cases) gets its calendar without a query of its own."""
    return _schedule_for(tuple(getattr(row, name) for name in STAMP_COLUMNS))


def _schedule_for(stamp: tuple) -> Schedule:
    global _cached
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
    """Forget the cached schedule and every held stamp (tests; never needed for correctness)."""
    global _cached
    _cached = None
    changed()


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
