"""The working-day calendar (工作日历): pure rules for counting legal periods (legal-rules §0).

No Django, no database, no clock. A :class:`Schedule` is the holiday lookup: the days that
differ from the plain week (法定节假日 on a weekday, 调休上班 on a weekend) and the years whose
official schedule is fully known. ``zhifa.core.workdays`` builds one from the holiday table.

The rules:

* A working day (工作日) is a Monday–Friday that is not a holiday, or a make-up working day
  (调休上班日) on a weekend.
* The day on which a period starts is not counted; ``add_working_days(start, n)`` is the n-th
  working day after ``start``. (民事诉讼法第八十五条, applied to administrative periods through
  行政复议法第八十八条 and 行政诉讼法第一百零一条.)
* APL periods of 2, 3, 5 and 7 days (行政处罚法第八十五条) and ACL periods of ten days or less
  (行政强制法第六十九条) are working days; every other period is in calendar days.
* A calendar-day period whose last day is a rest day or holiday (法定休假日) ends on the first
  working day after it (民事诉讼法第八十五条第三款).
* Past the years whose schedule is known, only weekends are rest days and the result is
  provisional (临时): it must be recomputed once the State Council publishes that year's schedule.

Every computation is O(log n) in the size of the table: working days inside the table's span are
kept as a sorted array of ordinals, outside it weekdays are counted in closed form.
"""
from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import NamedTuple

#: Periods longer than this are refused by the API (ten years of working days is far beyond any
#: period of administrative law; the longest, the 5-year limitation of APL art.36, is calendar days).
MAX_DAYS = 3650


class Due(NamedTuple):
    """The last day of a period and whether it rests on a year whose schedule is unknown."""

    date: dt.date
    provisional: bool


class Span(NamedTuple):
    """A count of working days and whether it crosses a year whose schedule is unknown."""

    days: int
    provisional: bool


def _weekdays_through(ordinal: int) -> int:
    """Mondays to Fridays in ordinals ``1 .. ordinal`` (ordinal 1, 0001-01-01, is a Monday)."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


def _nth_weekday(count: int) -> int:
    """The ordinal of the ``count``-th Monday-to-Friday counted from ordinal 1 (inverse of above)."""
    weeks, rest = divmod(count, 5)
    if rest == 0:
        return weeks * 7 - 2  # the Friday closing week ``weeks``
    return weeks * 7 + rest


class Schedule:
    """The holiday lookup (节假日安排): ``overrides`` maps a day to ``True`` (调休上班) or
    ``False`` (放假); days absent from it follow the week. ``known_years`` are the years whose
    whole official schedule is in ``overrides``; ``names`` optionally labels the days."""

    __slots__ = ("overrides", "names", "known_years", "_first", "_last", "_gaps", "_lo", "_hi", "_ords", "_base")

    def __init__(
        self,
        overrides: Mapping[dt.date, bool],
        known_years: Iterable[int],
        names: Mapping[dt.date, str] | None = None,
    ):
        self.overrides: dict[dt.date, bool] = dict(overrides)
        self.names: dict[dt.date, str] = dict(names or {})
        self.known_years: frozenset[int] = frozenset(known_years)
        if self.known_years:
            self._first, self._last = min(self.known_years), max(self.known_years)
            self._gaps = frozenset(range(self._first, self._last + 1)) - self.known_years
        else:
            self._first, self._last, self._gaps = 1, 0, frozenset()
        years = set(self.known_years) | {day.year for day in self.overrides}
        if years:
            self._lo = dt.date(min(years), 1, 1).toordinal()
            self._hi = dt.date(max(years), 12, 31).toordinal()
        else:
            self._lo, self._hi = 1, 0
        # Working days inside the span, as a sorted array of ordinals.
        self._ords: list[int] = [
            ordinal
            for ordinal in range(self._lo, self._hi + 1)
            if self.overrides.get(dt.date.fromordinal(ordinal), (ordinal - 1) % 7 < 5)
        ]
        self._base = _weekdays_through(self._lo - 1)

    # --- the counting function and its inverse ---------------------------------------------

    def _count(self, ordinal: int) -> int:
        """Working days in ordinals ``1 .. ordinal``."""
        if ordinal < self._lo:
            return _weekdays_through(ordinal)
        if ordinal <= self._hi:
            return self._base + bisect.bisect_right(self._ords, ordinal)
        return self._base + len(self._ords) + _weekdays_through(ordinal) - _weekdays_through(self._hi)

    def _nth(self, count: int) -> int:
        """The ordinal of the ``count``-th working day (smallest ordinal whose ``_count`` is ``count``)."""
        if count <= self._base:
            return _nth_weekday(count)
        inside = count - self._base
        if inside <= len(self._ords):
            return self._ords[inside - 1]
        return _nth_weekday(_weekdays_through(self._hi) + inside - len(self._ords))

    # --- what is known ----------------------------------------------------------------------

    def years_known(self, first: int, last: int) -> bool:
        """Whether every year from ``first`` to ``last`` has its official schedule loaded."""
        if first > last:
            return True
        if first < self._first or last > self._last:
            return False
        return not self._gaps or not any(first <= year <= last for year in self._gaps)

    def is_known(self, day: dt.date) -> bool:
        """Whether ``day``'s year has its official schedule loaded (else only weekends rest)."""
        return self.years_known(day.year, day.year)

    @property
    def last_known_year(self) -> int | None:
        return self._last if self.known_years else None

    # --- the rules ----------------------------------------------------------------------------

    def is_working_day(self, day: dt.date) -> bool:
        """工作日: not a weekend and not a holiday, or a make-up working day (调休上班)."""
        found = self.overrides.get(day)
        return found if found is not None else day.weekday() < 5

    def name_of(self, day: dt.date) -> str:
        """The holiday's name (``春节`` …), or ``""`` for an ordinary day."""
        return self.names.get(day, "")

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        ordinal = day.toordinal()
        return dt.date.fromordinal(self._nth(self._count(ordinal) + 1))

    def add_working_days(self, start: dt.date, n: int) -> Due:
        """The n-th working day after ``start``; ``start`` itself never counts (民事诉讼法第八十五条).

        ``n == 0`` returns ``start``. Provisional when a day in ``(start, result]`` lies in a year
        whose schedule is unknown.
        """
        _check_days(n)
        if n == 0:
            return Due(start, False)
        result = dt.date.fromordinal(self._nth(self._count(start.toordinal()) + n))
        return Due(result, not self.years_known((start + dt.timedelta(days=1)).year, result.year))

    def add_calendar_days(self, start: dt.date, n: int) -> Due:
        """``start + n`` calendar days; if that day is a rest day or holiday, the period ends on
        the next working day (期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期，
        民事诉讼法第八十五条). Provisional when a day examined lies in an unknown year."""
        _check_days(n)
        last = start + dt.timedelta(days=n)
        result = last if self.is_working_day(last) else self.next_working_day(last)
        return Due(result, not self.years_known(last.year, result.year))

    def working_days_between(self, a: dt.date, b: dt.date) -> Span:
        """Working days in ``(a, b]`` (the start day does not count); negative when ``b < a``.

        ``working_days_between(a, add_working_days(a, n).date).days == n``.
        """
        if b < a:
            span = self.working_days_between(b, a)
            return Span(-span.days, span.provisional)
        days = self._count(b.toordinal()) - self._count(a.toordinal())
        return Span(days, a != b and not self.years_known((a + dt.timedelta(days=1)).year, b.year))


def _check_days(n: int) -> None:
    if n < 0:
        raise ValueError("期间天数不得为负数。")


def weekends_only() -> Schedule:
    """A schedule that knows no year: every result is provisional, only weekends rest."""
    return Schedule({}, ())
