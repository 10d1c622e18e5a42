"""Pure rules of the working-day calendar (legal-rules §0): no database.

The schedule here is built straight from the ``chinese-calendar`` package, restricted to the years
2004–2026 so that the tests stay true when a later package version learns 2027.
"""
from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.core.calendar import MAX_DAYS, Due, Schedule, Span, weekends_only
from zhifa.core.holiday_sources import package_rows, package_years

D = dt.date
LAST = 2026  # the last year these tests treat as known
YEARS = [year for year in package_years() if year <= LAST]
ROWS = package_rows(set(YEARS))
SCHEDULE = Schedule({r.day: r.is_working_day for r in ROWS}, YEARS, {r.day: r.name for r in ROWS})

FIRST_KNOWN, LAST_KNOWN = D(YEARS[0], 1, 1), D(LAST, 12, 31)
any_day = st.dates(min_value=D(1995, 1, 1), max_value=D(2040, 12, 31))
known_day = st.dates(min_value=FIRST_KNOWN, max_value=D(LAST, 6, 30))
days = st.integers(min_value=0, max_value=400)

props = settings(deadline=None, max_examples=300)


def naive_add_working_days(schedule: Schedule, start: dt.date, n: int) -> dt.date:
    day = start
    while n:
        day += dt.timedelta(days=1)
        if schedule.is_working_day(day):
            n -= 1
    return day


# --- The package is what we think it is ----------------------------------------------------

def test_s0_package_knows_2004_to_at_least_2026():
    assert YEARS == list(range(2004, LAST + 1))
    assert max(package_years()) >= 2026


def test_s0_schedule_agrees_with_chinese_calendar_on_every_known_day():
    day = FIRST_KNOWN
    while day <= LAST_KNOWN:
        assert SCHEDULE.is_working_day(day) == chinese_calendar.is_workday(day), day
        assert SCHEDULE.is_known(day)
        day += dt.timedelta(days=1)


def test_s0_make_up_days_are_weekends_and_named():
    for row in ROWS:
        if row.is_working_day:
            assert row.day.weekday() >= 5, row
        assert row.name, row


# --- Worked examples: 2025 National Day (10-01..10-08; make-up 09-28 Sun, 10-11 Sat) ----------

@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (D(2025, 9, 26), 1, D(2025, 9, 28)),   # Fri → the make-up Sunday
        (D(2025, 9, 28), 1, D(2025, 9, 29)),
        (D(2025, 9, 30), 1, D(2025, 10, 9)),   # the whole holiday is skipped
        (D(2025, 9, 30), 3, D(2025, 10, 11)),  # 10-09, 10-10, make-up Saturday 10-11
        (D(2025, 9, 29), 7, D(2025, 10, 15)),  # APL art.85: seven working days
        (D(2025, 10, 1), 1, D(2025, 10, 9)),   # a start on a holiday: the next working day
    ],
)
def test_s0_working_days_around_2025_national_day(start, n, due):
    assert SCHEDULE.add_working_days(start, n) == Due(due, False)
    assert SCHEDULE.working_days_between(start, due) == Span(n, False)


def test_s0_calendar_period_ending_on_2025_national_day_moves_to_first_working_day():
    # 15 days from 09-16 end on 10-01, a holiday: the period ends on 10-09 (民事诉讼法第八十五条).
    assert SCHEDULE.add_calendar_days(D(2025, 9, 16), 15) == Due(D(2025, 10, 9), False)
    # ending on the make-up Sunday 09-28, a working day: it stays there.
    assert SCHEDULE.add_calendar_days(D(2025, 9, 13), 15) == Due(D(2025, 9, 28), False)
    # ending on an ordinary Saturday: Monday.
    assert SCHEDULE.add_calendar_days(D(2025, 10, 3), 15) == Due(D(2025, 10, 20), False)


# --- 2025 Spring Festival (01-28..02-04; make-up 01-26 Sun, 02-08 Sat) -----------------------

@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (D(2025, 1, 24), 1, D(2025, 1, 26)),
        (D(2025, 1, 26), 1, D(2025, 1, 27)),
        (D(2025, 1, 27), 1, D(2025, 2, 5)),
        (D(2025, 1, 27), 5, D(2025, 2, 10)),  # 02-05, 06, 07, make-up Saturday 08, Monday 10
    ],
)
def test_s0_working_days_around_2025_spring_festival(start, n, due):
    assert SCHEDULE.add_working_days(start, n) == Due(due, False)


def test_s0_calendar_period_ending_in_2025_spring_festival():
    assert SCHEDULE.add_calendar_days(D(2025, 1, 13), 15) == Due(D(2025, 2, 5), False)


# --- 2026 Spring Festival (02-15..02-23, nine days; make-up 02-14 Sat, 02-28 Sat) ---------------

def test_s0_2026_spring_festival_schedule_is_the_state_council_one():
    holidays = [r.day for r in ROWS if r.day.year == 2026 and r.name == "春节" and not r.is_working_day]
    assert holidays == [D(2026, 2, 15) + dt.timedelta(days=i) for i in range(9)]
    assert [r.day for r in ROWS if r.day.year == 2026 and r.name == "春节" and r.is_working_day] == [
        D(2026, 2, 14),
        D(2026, 2, 28),
    ]


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # Fri → make-up Saturday
        (D(2026, 2, 14), 1, D(2026, 2, 24)),  # nine days off
        (D(2026, 2, 12), 7, D(2026, 2, 28)),  # 13, 14, 24, 25, 26, 27, make-up Saturday 28
    ],
)
def test_s0_working_days_around_2026_spring_festival(start, n, due):
    assert SCHEDULE.add_working_days(start, n) == Due(due, False)


def test_s0_calendar_period_ending_in_2026_spring_festival():
    assert SCHEDULE.add_calendar_days(D(2026, 2, 1), 15) == Due(D(2026, 2, 24), False)


# --- 2026 Mid-autumn and National Day (09-25..27, 10-01..07; make-up 09-20 Sun, 10-10 Sat) --------

@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (D(2026, 9, 18), 1, D(2026, 9, 20)),
        (D(2026, 9, 24), 1, D(2026, 9, 28)),   # Friday 09-25 is Mid-autumn
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        (D(2026, 9, 30), 3, D(2026, 10, 10)),  # 10-08, 10-09, make-up Saturday 10-10
    ],
)
def test_s0_working_days_around_2026_national_day(start, n, due):
    assert SCHEDULE.add_working_days(start, n) == Due(due, False)


def test_s0_calendar_period_ending_on_2026_holidays():
    assert SCHEDULE.add_calendar_days(D(2026, 9, 10), 15) == Due(D(2026, 9, 28), False)
    assert SCHEDULE.add_calendar_days(D(2026, 9, 16), 15) == Due(D(2026, 10, 8), False)


# --- Past the last known year: weekends only, provisional ---------------------------------------

def test_s0_crossing_into_unknown_2027_is_provisional():
    assert SCHEDULE.add_working_days(D(2026, 12, 30), 1) == Due(D(2026, 12, 31), False)
    # 2027-01-01 is a Friday and surely a holiday, but its schedule is unknown: counted as working.
    assert SCHEDULE.add_working_days(D(2026, 12, 30), 2) == Due(D(2027, 1, 1), True)
    assert SCHEDULE.add_working_days(D(2026, 12, 30), 3) == Due(D(2027, 1, 4), True)
    assert SCHEDULE.add_calendar_days(D(2026, 12, 17), 15) == Due(D(2027, 1, 1), True)
    assert SCHEDULE.add_calendar_days(D(2026, 12, 16), 15) == Due(D(2026, 12, 31), False)
    # 2026-12-31 + 2 days is Saturday 2027-01-02 → Monday, provisional.
    assert SCHEDULE.add_calendar_days(D(2026, 12, 31), 2) == Due(D(2027, 1, 4), True)
    assert SCHEDULE.working_days_between(D(2026, 12, 30), D(2027, 1, 4)) == Span(3, True)
    assert SCHEDULE.working_days_between(D(2026, 12, 1), D(2026, 12, 31)) == Span(22, False)
    assert not SCHEDULE.is_known(D(2027, 1, 1)) and SCHEDULE.last_known_year == LAST


def test_s0_loading_the_year_makes_results_final():
    overrides = {**SCHEDULE.overrides, D(2027, 1, 1): False}  # a test schedule for 2027
    loaded = Schedule(overrides, [*YEARS, 2027])
    assert loaded.add_working_days(D(2026, 12, 30), 2) == Due(D(2027, 1, 4), False)


def test_s0_unknown_year_between_known_years_is_provisional():
    schedule = Schedule({D(2020, 1, 1): False, D(2022, 1, 3): False}, [2020, 2022])
    assert schedule.add_working_days(D(2020, 12, 30), 2).provisional
    assert not schedule.add_working_days(D(2022, 5, 1), 10).provisional
    assert schedule.working_days_between(D(2019, 12, 1), D(2020, 2, 1)).provisional


def test_s0_empty_schedule_counts_weekdays_and_is_provisional():
    schedule = weekends_only()
    assert schedule.add_working_days(D(2025, 9, 30), 1) == Due(D(2025, 10, 1), True)
    assert schedule.add_working_days(D(2025, 10, 3), 1) == Due(D(2025, 10, 6), True)
    assert schedule.add_calendar_days(D(2025, 10, 3), 1) == Due(D(2025, 10, 6), True)
    assert schedule.working_days_between(D(2025, 10, 3), D(2025, 10, 10)) == Span(5, True)


def test_s0_zero_days_and_negative_days():
    assert SCHEDULE.add_working_days(D(2025, 10, 1), 0) == Due(D(2025, 10, 1), False)
    assert SCHEDULE.add_calendar_days(D(2025, 10, 1), 0) == Due(D(2025, 10, 9), False)
    with pytest.raises(ValueError):
        SCHEDULE.add_working_days(D(2025, 10, 1), -1)
    with pytest.raises(ValueError):
        SCHEDULE.add_calendar_days(D(2025, 10, 1), -1)
    assert SCHEDULE.working_days_between(D(2025, 10, 9), D(2025, 9, 30)) == Span(-1, False)
    assert SCHEDULE.working_days_between(D(2025, 10, 9), D(2025, 10, 9)) == Span(0, False)


def test_s0_max_days_from_the_latest_supported_date_does_not_overflow():
    assert SCHEDULE.add_working_days(D(2199, 12, 31), MAX_DAYS).date.year == 2213


# --- Properties ----------------------------------------------------------------------------

@props
@given(any_day, days, days)
def test_s0_add_working_days_is_monotonic_in_n(start, n1, n2):
    a, b = sorted((n1, n2))
    first, second = SCHEDULE.add_working_days(start, a).date, SCHEDULE.add_working_days(start, b).date
    assert first <= second
    if a < b:
        assert first < second


@props
@given(any_day, st.integers(min_value=1, max_value=MAX_DAYS))
def test_s0_n_working_days_after_any_day_is_a_working_day(start, n):
    assert SCHEDULE.is_working_day(SCHEDULE.add_working_days(start, n).date)


@props
@given(known_day, st.integers(min_value=0, max_value=120))
def test_s0_add_working_days_agrees_with_chinese_calendar(start, n):
    due = SCHEDULE.add_working_days(start, n)
    day, left = start, n
    while left:
        day += dt.timedelta(days=1)
        if chinese_calendar.is_workday(day):
            left -= 1
    assert due == Due(day, False)


@props
@given(any_day, days)
def test_s0_add_working_days_matches_day_by_day_counting(start, n):
    assert SCHEDULE.add_working_days(start, n).date == naive_add_working_days(SCHEDULE, start, n)


@props
@given(any_day, days)
def test_s0_calendar_period_ends_on_the_first_working_day_on_or_after_start_plus_n(start, n):
    due = SCHEDULE.add_calendar_days(start, n).date
    last = start + dt.timedelta(days=n)
    assert due >= last
    assert SCHEDULE.is_working_day(due)
    day = last
    while day < due:
        assert not SCHEDULE.is_working_day(day)
        day += dt.timedelta(days=1)


@props
@given(any_day, days)
def test_s0_working_days_between_inverts_add_working_days(start, n):
    due = SCHEDULE.add_working_days(start, n)
    assert SCHEDULE.working_days_between(start, due.date) == Span(n, due.provisional)


@props
@given(any_day, st.integers(min_value=-800, max_value=800))
def test_s0_working_days_between_is_antisymmetric_and_counts_day_by_day(a, delta):
    b = a + dt.timedelta(days=delta)
    forward = SCHEDULE.working_days_between(a, b).days
    assert SCHEDULE.working_days_between(b, a).days == -forward
    lo, hi = min(a, b), max(a, b)
    count = sum(SCHEDULE.is_working_day(lo + dt.timedelta(days=i)) for i in range(1, (hi - lo).days + 1))
    assert abs(forward) == count


@props
@given(any_day, days)
def test_s0_provisional_exactly_when_a_counted_day_is_in_an_unknown_year(start, n):
    due = SCHEDULE.add_working_days(start, n)
    first = (start + dt.timedelta(days=1)).year
    touched = set(range(first, due.date.year + 1)) if n else set()
    assert due.provisional == any(year not in SCHEDULE.known_years for year in touched)


@st.composite
def schedules(draw):
    """Arbitrary holiday tables (including gaps between known years) around 2020–2023."""
    overrides = draw(
        st.dictionaries(st.dates(min_value=D(2020, 1, 1), max_value=D(2023, 12, 31)), st.booleans(), max_size=80)
    )
    known = draw(st.sets(st.integers(min_value=2019, max_value=2024), max_size=6))
    return Schedule(overrides, known)


@props
@given(schedules(), st.dates(min_value=D(2018, 6, 1), max_value=D(2025, 6, 1)), days)
def test_s0_any_table_counts_like_day_by_day(schedule, start, n):
    due = schedule.add_working_days(start, n).date
    assert due == naive_add_working_days(schedule, start, n)
    assert schedule.working_days_between(start, due).days == n
    if n:
        assert schedule.is_working_day(due)
