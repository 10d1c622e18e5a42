"""Statistics (R34): aggregates kept incrementally from the record, equal to a direct recount;
figures by body, item, level and month that add up to the total; scope; Excel; drill-down."""
from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from tests.conftest import TODAY
from zhifa.cases.models import Case
from zhifa.supervision import statistics
from zhifa.supervision.models_statistics import StatDaily, StatFact
from zhifa.supervision.services import statistics as refreshing
from zhifa.supervision.statistics_sources import Fact, body_levels

pytestmark = pytest.mark.django_db
YEAR = statistics.Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def recount() -> dict:
    """The case measures counted straight from the cases table (what the aggregates must equal)."""
    out: dict = defaultdict(lambda: [0, Decimal("0.00")])
    for c in Case.objects.all():
        if c.filed_on:
            out[(c.body_id, c.item_id, "cases_filed", c.filed_on)][0] += 1
        if c.decided_on and c.outcome == "penalty":
            acc = out[(c.body_id, c.item_id, "penalties", c.decided_on)]
            acc[0] += 1
            acc[1] += c.decision_amount or 0
        if c.closed_on:
            out[(c.body_id, c.item_id, "cases_closed", c.closed_on)][0] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def _table(model, date: str, item: bool = True) -> dict:
    return {(r.body_id, r.item_id if item else None, r.level, getattr(r, date), r.measure): (r.count, r.amount)
            for r in model.objects.all()}


def _rolled(rows: dict, to_date, item: bool = True) -> dict:
    out: dict = defaultdict(lambda: [0, Decimal("0")])
    for (body, it, level, date, measure), (count, amount) in rows.items():
        acc = out[(body, it if item else None, level, to_date(date), measure)]
        acc[0] += count
        acc[1] += amount
    return {k: tuple(v) for k, v in out.items() if v[0] or v[1]}


def rollups_consistent() -> bool:
    """The monthly tables hold exactly the daily sums rolled up by month, and the yearly tables
    exactly the monthly sums rolled up by year (counts and amounts)."""
    from zhifa.supervision.models_statistics import StatBodyMonthly, StatBodyYearly, StatMonthly, StatYearly

    daily, monthly = _table(StatDaily, "day"), _table(StatMonthly, "month")
    month, year = (lambda d: d.replace(day=1)), (lambda d: d.replace(month=1, day=1))
    return (monthly == _rolled(daily, month) and _table(StatBodyMonthly, "month", False) == _rolled(daily, month, False)
            and _table(StatYearly, "year") == _rolled(monthly, year) == _rolled(daily, year)
            and _table(StatBodyYearly, "year", False) == _rolled(monthly, year, False))


def aggregated(measures=("cases_filed", "penalties", "cases_closed")) -> dict:
    return {(r.body_id, r.item_id, r.measure, r.day): (r.count, r.amount)
            for r in StatDaily.objects.filter(measure__in=measures)}


@pytest.fixture
def cases(cw):
    refreshing.refresh()  # the aggregates start from the (empty) data
    decided = cw.walk(cw.register(), "decided", amount=Decimal("5000.50"))
    filed = cw.walk(cw.register(party_name="另一商户", party_id_code="91650200MA0000002X"), "investigating")
    closed = cw.walk(cw.register(party_name="第三商户", party_id_code="91650200MA0000003X"), "closed", amount=Decimal("1200"))
    return decided, filed, closed


def test_r34_aggregates_equal_a_direct_recount_after_a_series_of_acts(cw, cases):
    assert aggregated() != recount()  # acts since the last refresh are not in yet
    refreshing.refresh()
    assert aggregated() == recount() and rollups_consistent()
    assert sum(v[0] for k, v in aggregated().items() if k[2] == "penalties") == 2
    # more acts, then only the touched keys move
    cw.walk(cw.register(party_name="第四商户", party_id_code="91650200MA0000004X"), "decided", amount=Decimal("300"))
    Case.objects.filter(pk=cases[1].pk).update(filed_on=TODAY - dt.timedelta(days=3))  # a correction outside the services
    refreshing.refresh()
    counted = recount()
    assert aggregated() == counted  # the correction's case is in the look-back window of recent entries
    refreshing.rebuild()
    assert aggregated() == counted  # and `refresh-statistics --full` recomputes everything the same
    assert rollups_consistent()
    assert StatFact.objects.filter(source=f"case:{cases[0].pk}").count() == 2


def test_r34_refresh_is_idempotent_and_the_lookback_window_reapplies_nothing_twice(cw, cases):
    refreshing.refresh()
    before = aggregated()
    state = refreshing.StatState.objects.get(pk=1)
    refreshing.StatState.objects.filter(pk=1).update(last_entry_id=max(state.last_entry_id - 5, 0))
    refreshing.refresh()
    assert aggregated() == before == recount()


FACT = st.tuples(st.integers(1, 3), st.integers(0, 2), st.sampled_from(["cases_filed", "penalties"]),
                 st.dates(dt.date(2025, 12, 30), dt.date(2026, 1, 2)), st.integers(1, 3),
                 st.decimals(0, 1000, places=2))


@hsettings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(1, 6), st.lists(FACT, max_size=3)), max_size=12))
def test_r34_any_sequence_of_changed_facts_leaves_daily_sums_equal_to_the_sum_of_the_last_facts(world, updates):
    StatFact.objects.all().delete()
    for model, _, _ in refreshing.TABLES:
        model.objects.all().delete()
    levels = body_levels()
    last: dict[str, list[Fact]] = {}
    for source, facts in updates:
        name = f"case:{source}"
        last[name] = [Fact(m, b, i, d, n, a if m == "penalties" else Decimal("0")) for b, i, m, d, n, a in facts]
        refreshing._apply({name: last[name]}, levels)
    expected: Counter = Counter()
    amounts: Counter = Counter()
    for facts in last.values():
        for f in facts:
            expected[(f.body_id, f.item_id, f.measure, f.day)] += f.count
            amounts[(f.body_id, f.item_id, f.measure, f.day)] += f.amount
    got = {(r.body_id, r.item_id, r.measure, r.day): (r.count, r.amount) for r in StatDaily.objects.all()}
    assert got == {k: (v, amounts[k]) for k, v in expected.items() if v}
    assert rollups_consistent()


def test_r34_rows_by_body_item_level_and_month_each_add_up_to_the_total(cw, cases, world):
    refreshing.refresh()
    office = cw.actor("supervisor")
    totals = []
    for by in ("body", "item", "level", "month"):
        result = statistics.figures(office, by, YEAR)
        for code in ("cases_filed", "penalties", "cases_closed", "complaints"):
            assert sum(r.figures[code]["count"] for r in result.rows) == result.total.figures[code]["count"]
        assert sum(r.figures["penalties"]["amount"] for r in result.rows) == result.total.figures["penalties"]["amount"]
        totals.append(result.total.figures)
    assert all(t == totals[0] for t in totals)
    assert totals[0]["penalties"] == {"count": 2, "amount": Decimal("6200.50")}
    assert totals[0]["cases_filed"]["count"] == 3
    # a period cut inside months (edges from the daily sums, whole months from the monthly ones)
    odd = statistics.figures(office, "body", statistics.Period(dt.date(2025, 12, 15), TODAY))
    assert odd.total.figures == totals[0]
    none = statistics.figures(office, "body", statistics.Period(TODAY + dt.timedelta(days=1), TODAY + dt.timedelta(days=40)))
    assert none.total.figures["cases_filed"]["count"] == 0


def test_r34_a_period_splits_into_whole_months_and_edges():
    P = statistics.Period
    assert statistics.split(P(dt.date(2026, 1, 1), dt.date(2026, 12, 31))) == ((dt.date(2026, 1, 1), dt.date(2026, 12, 1)), [])
    assert statistics.split(P(dt.date(2026, 1, 15), dt.date(2026, 3, 10))) == (
        (dt.date(2026, 2, 1), dt.date(2026, 2, 1)), [P(dt.date(2026, 1, 15), dt.date(2026, 1, 31)), P(dt.date(2026, 3, 1), dt.date(2026, 3, 10))])
    assert statistics.split(P(dt.date(2026, 1, 2), dt.date(2026, 1, 30))) == (None, [P(dt.date(2026, 1, 2), dt.date(2026, 1, 30))])


def test_r34_api_gives_figures_with_their_date_basis_and_the_excel_the_same_table(cw, cases, api_as):
    office = api_as("supervisor")
    response = office.get("/api/v1/supervision/statistics", by="body", **{"from": "2026-01-01", "to": "2026-12-31"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["from"] == "2026-01-01" and data["cut_off"]
    assert data["total"]["figures"]["penalties"] == {"count": 2, "amount": "6200.50", "basis": "按决定日期"}
    assert data["total"]["figures"]["cases_filed"]["basis"] == "按立案日期"
    assert data["total"]["figures"]["inspections"]["basis"] == "按抽取日期"
    market = next(r for r in data["rows"] if r["key"] == str(cw.world.market.pk))
    assert market["figures"]["cases_filed"]["count"] == 3
    xlsx = office.get("/api/v1/supervision/statistics", by="level", format="xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.values)
    assert rows[3][0] == "统计口径" and rows[-1][0] == "合计"
    header = rows[2]
    assert rows[-1][header.index("立案数")] == 3


def test_r34_bad_period_is_422_in_chinese_and_nothing_else_happens(api_as, world):
    response = api_as("supervisor").get("/api/v1/supervision/statistics", **{"from": "2026-12-01", "to": "2026-01-01"})
    assert response.status_code == 422 and "起始日期不能晚于截止日期" in response.json()["detail"]
    assert api_as("supervisor").get("/api/v1/supervision/statistics", by="party").status_code == 422


def test_r34_scope_staff_their_own_body_the_office_its_jurisdiction_the_public_nothing(cw, cases, api_as):
    other = api_as("officer_other").get("/api/v1/supervision/statistics")
    assert other.status_code == 200 and other.json()["total"]["figures"]["cases_filed"]["count"] == 0
    mine = api_as("officer1").get("/api/v1/supervision/statistics")
    assert mine.json()["total"]["figures"]["cases_filed"]["count"] == 3
    assert api_as("officer_other").get("/api/v1/supervision/statistics", body=cw.world.market.pk).status_code == 404
    assert api_as(None).get("/api/v1/supervision/statistics").status_code == 401


def test_r34_zero_case_items_are_the_power_list_items_with_no_case_inspection_or_flexible_act(cw, cases):
    from tests.factories import ItemFactory

    idle = ItemFactory(body=cw.world.market, code="SJJ-CF-IDLE", name="无人执法的事项", valid_from=dt.date(2020, 1, 1))
    refreshing.refresh()
    count, items = statistics.zero_case_items(cw.actor("supervisor"), YEAR)
    assert idle in items and cw.item not in items and count == len(items)


def test_r34_drill_down_from_a_figure_lists_exactly_the_cases_behind_it(cw, cases, client, settings):
    from urllib.parse import parse_qs, urlsplit

    from django.http import QueryDict

    from zhifa.cases.forms import CaseFilterForm
    from zhifa.cases.selectors import filter_cases

    office = cw.actor("supervisor")
    refreshing.refresh()
    result = statistics.figures(office, "body", YEAR)
    market = next(r for r in result.rows if r.key == str(cw.world.market.pk))
    for code in ("cases_filed", "penalties", "cases_closed"):
        url = market.links[code]
        query = QueryDict(urlsplit(url).query)
        listed = filter_cases(office, CaseFilterForm(query).case_filter())
        assert listed.count() == market.figures[code]["count"], (code, parse_qs(urlsplit(url).query))
    penalties = filter_cases(office, CaseFilterForm(QueryDict(urlsplit(market.links["penalties"]).query)).case_filter())
    assert set(penalties.values_list("pk", flat=True)) == {cases[0].pk, cases[2].pk}
    settings.SECURE_SSL_REDIRECT = False
    client.force_login(cw.world.users["supervisor"])
    page = client.get(market.links["penalties"])
    assert page.status_code == 200 and cases[0].number in page.content.decode() and cases[1].number not in page.content.decode()


def test_r34_sweep_and_the_refresh_command_keep_the_aggregates(cw, cases):
    from io import StringIO

    from django.core.management import call_command

    from zhifa.core import ledger

    out = StringIO()
    call_command("sweep", stdout=out)
    assert "更新统计汇总" in out.getvalue() and aggregated() == recount()
    out = StringIO()
    call_command("refresh_statistics", "--full", stdout=out)
    assert "全量重建统计汇总表" in out.getvalue() and aggregated() == recount()
    assert ledger.RecordEntry.objects.filter(stream="statistics:aggregates", action="rebuild").exists()


def test_r34_excel_by_accept_header(cw, cases, api_as):
    office = api_as("supervisor")
    response = office.client.get("/api/v1/supervision/statistics", {"by": "month"},
                                 HTTP_ACCEPT="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", **office.headers)
    assert response.status_code == 200 and response.content[:2] == b"PK"
