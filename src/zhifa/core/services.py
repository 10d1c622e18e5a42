"""Core use cases (用例): the edits of core's own tables that are acts — loading a year of the
holiday table (节假日与调休), which changes every working-day deadline computed for that year.

Import runs are recorded by ``core.importing.run_import`` (one entry per run on ``import:<kind>``);
import jobs (``core.imports``) are queue rows, not acts.
"""
from __future__ import annotations

from typing import Iterable

from django.db import transaction

from zhifa.core import ledger
from zhifa.core.models import Holiday, HolidayYear
from zhifa.core.usecase import use_case

HOLIDAY_ACTION = "load_holidays"


def _calendar_stream(year: int) -> str:
    """The record stream of a year of the holiday table: ``calendar:<year>``."""
    return f"calendar:{year}"


@use_case
def load_holiday_years(years: Iterable[int], rows: Iterable, source: str, *, actor=None) -> dict[int, int]:
    """Make the holiday table's rows for ``years`` exactly ``rows`` (``holiday_sources.HolidayRow``:
    ``day``, ``is_working_day``, ``name``), mark the years known with their ``source``, and record
    one entry per year on ``calendar:<year>`` (the days off, the make-up working days, the source,
    how many rows were replaced). Returns ``{year: rows replaced}``."""
    years = sorted(set(years))
    rows = [row for row in rows if row.day.year in set(years)]
    source = source[:80]
    with transaction.atomic():
        replaced = _replace_rows(years, rows, source)
        for year in years:
            HolidayYear.objects.update_or_create(year=year, defaults={"source": source})
            of_year = [row for row in rows if row.day.year == year]
            ledger.append(_calendar_stream(year), HOLIDAY_ACTION, {
                "year": year, "source": source, "replaced": replaced.get(year, 0),
                "days_off": sorted(row.day for row in of_year if not row.is_working_day),
                "working_days": sorted(row.day for row in of_year if row.is_working_day),
            }, actor=getattr(actor, "user", actor))
    return replaced


def _replace_rows(years: list[int], rows: list, source: str) -> dict[int, int]:
    """Delete the years' rows and insert ``rows``; the number of rows deleted per year."""
    replaced: dict[int, int] = {}
    for day in Holiday.objects.filter(day__year__in=years).values_list("day", flat=True):
        replaced[day.year] = replaced.get(day.year, 0) + 1
    Holiday.objects.filter(day__year__in=years).delete()
    Holiday.objects.bulk_create(
        [Holiday(day=r.day, is_working_day=r.is_working_day, name=r.name, source=source) for r in rows], batch_size=500)
    return replaced


@use_case
def save_holiday(holiday: Holiday, *, actor=None, changed: Iterable[str] = ()) -> Holiday:
    """Save one row of the holiday table edited by hand (the admin) and record it on
    ``calendar:<year>`` (action ``edit_holiday``: the day, whether it is a working day, its name)."""
    with transaction.atomic():
        created = holiday.pk is None
        holiday.save()
        ledger.append(_calendar_stream(holiday.day.year), "add_holiday" if created else "edit_holiday", {
            "day": holiday.day, "is_working_day": holiday.is_working_day, "name": holiday.name,
            "source": holiday.source, "changed": sorted(changed),
        }, actor=getattr(actor, "user", actor))
    return holiday


@use_case
def delete_holiday(holiday: Holiday, *, actor=None) -> Holiday:
    """Delete one row of the holiday table by hand (the admin), recorded on ``calendar:<year>``."""
    with transaction.atomic():
        day, working, name = holiday.day, holiday.is_working_day, holiday.name
        holiday.delete()
        ledger.append(_calendar_stream(day.year), "delete_holiday",
                      {"day": day, "is_working_day": working, "name": name}, actor=getattr(actor, "user", actor))
    return holiday
