"""Statistics (R34) at scale: the yearly roll-ups equal the monthly sums and a direct recount, a
period over several years reads whole years from them, and reads are pure — the aggregates are
refreshed after the acts commit (a task), by the pages' staleness check and by the sweep."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.supervision.test_statistics import recount, rollups_consistent
from zhifa.core import ledger
from zhifa.supervision import statistics
from zhifa.supervision.models_statistics import StatBodyYearly, StatDaily, StatYearly
from zhifa.supervision.services import statistics as refreshing
from zhifa.supervision.statistics_sources import Fact, body_levels

pytestmark = pytest.mark.django_db
P = statistics.Period


def test_r34_a_period_cuts_into_whole_years_whole_months_and_edge_days():
    cut = statistics.pieces(P(dt.date(2022, 3, 15), dt.date(2026, 11, 23)))
    assert cut.years == (dt.date(2023, 1, 1), dt.date(2025, 1, 1))
    assert cut.months == [(dt.date(2022, 4, 1), dt.date(2022, 12, 1)), (dt.date(2026, 1, 1), dt.date(2026, 10, 1))]
    assert cut.days == [P(dt.date(2022, 3, 15), dt.date(2022, 3, 31)), P(dt.date(2026, 11, 1), dt.date(2026, 11, 23))]
    whole = statistics.pieces(P(dt.date(2024, 1, 1), dt.date(2025, 12, 31)))
    assert whole.years == (dt.date(2024, 1, 1), dt.date(2025, 1, 1)) and whole.months == [] and whole.days == []
    inside = statistics.pieces(P(dt.date(2026, 2, 1), dt.date(2026, 11, 30)))
    assert inside.years is None and inside.months == [(dt.date(2026, 2, 1), dt.date(2026, 11, 1))] and inside.days == []
    assert statistics.pieces(P(dt.date(2026, 1, 2), dt.date(2026, 1, 30))).years is None


@pytest.fixture
def years_of_facts(cw):
    """Facts of three bodies over four calendar years (2023-06 … 2026-11), applied as the refresh does."""
    w = cw.world
    levels = body_levels()
    facts: dict[str, list[Fact]] = {}
    day = dt.date(2023, 6, 10)
    n = 0
    while day <= dt.date(2026, 11, 20):
        for body in (w.market, w.urban, w.township_bureau):
            n += 1
            item = cw.item.pk if body == w.market and n % 2 else 0
            facts[f"case:{n}"] = [Fact("cases_filed", body.pk, item, day),
                                  Fact("penalties", body.pk, item, day + dt.timedelta(days=20), 1, Decimal(n * 100) + Decimal("0.25"))]
        day += dt.timedelta(days=17)
    refreshing._apply(facts, levels)
    return facts


def _direct(facts, period, measure):
    """The period's sum counted straight from the facts (no table)."""
    count, amount = 0, Decimal("0")
    for fs in facts.values():
        for f in fs:
            if f.measure == measure and period.start <= f.day <= period.end:
                count += f.count
                amount += f.amount
    return count, amount


def test_r34_yearly_sums_equal_the_monthly_sums_and_a_direct_recount(cw, years_of_facts):
    assert rollups_consistent()  # yearly == Σ monthly == Σ daily, per key, counts and amounts
    assert StatYearly.objects.values("year").distinct().count() == 4
    for year in (2023, 2024, 2025, 2026):
        period = P(dt.date(year, 1, 1), dt.date(year, 12, 31))
        rows = StatBodyYearly.objects.filter(year=dt.date(year, 1, 1), measure="penalties")
        assert (sum(r.count for r in rows), sum(r.amount for r in rows)) == _direct(years_of_facts, period, "penalties")


@pytest.mark.parametrize("by", ["body", "item", "level", "month"])
def test_r34_a_multi_year_period_reads_whole_years_and_equals_a_direct_recount(cw, years_of_facts, by,
                                                                               django_assert_max_num_queries):
    office = cw.actor("supervisor")
    period = P(dt.date(2023, 7, 19), dt.date(2026, 11, 23))  # edge days, edge months, two whole years
    with django_assert_max_num_queries(9):  # scope, three sums, labels, freshness, body
        result = statistics.figures(office, by, period)
    for measure in ("cases_filed", "penalties"):
        total = result.total.figures[measure]
        assert (total["count"], total["amount"]) == _direct(years_of_facts, period, measure)
        assert sum(r.figures[measure]["count"] for r in result.rows) == total["count"]
    if by == "month":
        assert len(result.rows) == 41  # 2023-07 … 2026-11, one row a month: the years are read by month
    count, _ = statistics.zero_case_items(office, period)
    one_year, _ = statistics.zero_case_items(office, P(dt.date(2024, 1, 1), dt.date(2024, 12, 31)))
    assert count == one_year  # the item has facts in every year: never a zero-case item


def test_r34_reads_are_pure_and_say_when_the_record_is_ahead(cw, api_as):
    office = cw.actor("supervisor")
    refreshing.refresh()
    cw.walk(cw.register(), "decided", amount=Decimal("800"))  # acts recorded, not yet applied
    with CaptureQueriesContext(connection) as ctx:
        result = statistics.figures(office, "body", P(dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
        statistics.zero_case_items(office, P(dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
    writes = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == [] and result.pending and result.total.figures["cases_filed"]["count"] == 0
    # the API's staleness check queues a refresh (the immediate task backend of the tests runs it at once)
    data = api_as("supervisor").get("/api/v1/supervision/statistics").json()
    assert data["pending"] is False and data["total"]["figures"]["penalties"]["amount"] == "800.00"
    assert statistics.freshness()[1] is False and refreshing.request_refresh() is False


def test_r34_acts_queue_one_refresh_at_commit_and_the_aggregates_follow(cw, django_capture_on_commit_callbacks):
    refreshing.refresh()
    # the test's transaction never commits: the captured callbacks run as at its commit; the acts
    # run in one transaction of their own (as a loader's), so the refresh is queued once
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        cw.walk(cw.register(), "decided", amount=Decimal("1500"))  # a dozen acts and record entries
    assert [getattr(c, "__name__", "") for c in callbacks].count("_queue_refresh") == 1
    got = {(r.body_id, r.item_id, r.measure, r.day): (r.count, r.amount)
           for r in StatDaily.objects.filter(measure__in=("cases_filed", "penalties", "cases_closed"))}
    assert got == recount() and rollups_consistent() and statistics.freshness()[1] is False


def test_r34_entries_outside_the_statistics_sources_queue_nothing(cw, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        ledger.append("statistics:aggregates", "bench", {"label": "不涉及统计来源"})
    assert not [c for c in callbacks if getattr(c, "__name__", "") == "_queue_refresh"]


def test_r34_upgrading_in_place_rolls_the_stored_months_into_years(cw, years_of_facts):
    from importlib import import_module

    from django.apps import apps

    StatYearly.objects.all().delete()
    StatBodyYearly.objects.all().delete()
    import_module("zhifa.supervision.migrations.0005_statistics_yearly").roll_up_years(apps, None)
    assert rollups_consistent()
    sums = defaultdict(int)
    for r in StatYearly.objects.all():
        sums[r.measure] += r.count
    assert sums["cases_filed"] == sum(1 for fs in years_of_facts.values() for f in fs if f.measure == "cases_filed")
