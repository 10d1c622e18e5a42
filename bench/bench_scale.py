"""Statistics and the alert sweep at a city's scale, on one generated data set (issue 18 quality
bars, PostgreSQL): the office's dashboard and any statistics query p95 < 300 ms with 1,000,000
cases over five years, the nightly sweep of all alert rules under 5 minutes; and, with
``ZHIFA_BENCH_SCALE_AGGREGATES=10000000``, the dashboard over the aggregates of 10,000,000 cases
(a province) under 1 s.

The cases are generated once, set-based (``scale_data.generate_cases``), and reused by both
measures. Run by ``bench/run.py scale`` on a fresh test database (``ZHIFA_BENCH_SCALE_CASES``,
default 20,000), or straight on a kept database, which generates only the cases it lacks:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhifa_stats_bench \\
        ZHIFA_BENCH_SCALE_CASES=1000000 python bench/bench_scale.py [--rebuild] [--skip-alerts] [--skip-reads]

PostgreSQL only (the generator is SQL): on SQLite ``run()`` returns one row saying so.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

REPEAT = 20


def _p(samples: list[float], q: float) -> float:
    from bench_statistics import _p as percentile

    return round(percentile(samples, q), 1)


def _timed(fn, n=REPEAT) -> list[float]:
    from bench_statistics import _timed as timed

    fn()  # warm: the first call compiles templates and fills the planner's caches
    return timed(fn, n)


def _ensure_registry() -> None:
    from zhifa.registry.models import Body

    if not Body.objects.filter(code="SJJ").exists():
        from zhifa.demo.generator import load_demo

        load_demo(real_lists=False, cases=False, inspections=False, log=lambda _: None)


def _reads(rows: list, label: str) -> None:
    """p50/p95 of the statistics queries and of the dashboard pages over one year and five."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from zhifa.core import clock
    from zhifa.registry import access
    from zhifa.supervision import statistics

    user = get_user_model().objects.get(username="supervisor")
    office = access.actor_for(user)
    today = clock.today()
    first = today.replace(month=1, day=1).replace(year=today.year - 4)
    periods = (("1 year", statistics.Period(today.replace(month=1, day=1), today)), ("5 years", statistics.Period(first, today)))
    for name, period in periods:
        for by in ("body", "item", "level", "month"):
            samples = _timed(lambda: statistics.figures(office, by, period))
            rows.append((f"[{label}] figures by {by}, {name}: p95", _p(samples, .95), "ms"))
        samples = _timed(lambda: statistics.zero_case_items(office, period))
        rows.append((f"[{label}] zero-case items, {name}: p95", _p(samples, .95), "ms"))
    client = Client()
    client.force_login(user)
    for name, period in periods:
        url = f"/supervision/statistics/?date_from={period.start}&date_to={period.end}"
        samples = _timed(lambda: client.get(url))
        rows.append((f"[{label}] office dashboard page, {name}: p50", _p(samples, .5), "ms"))
        rows.append((f"[{label}] office dashboard page, {name}: p95", _p(samples, .95), "ms"))


def _alerts(rows: list) -> None:
    from zhifa.core import clock
    from zhifa.supervision.models import Alert
    from zhifa.supervision.services import alerts

    today = clock.today()
    for name in ("first sweep of all alert rules (raising)", "second sweep of all alert rules (steady)"):
        started = time.perf_counter()
        result = alerts.run_alerts(today=today)
        rows.append((name, round(time.perf_counter() - started, 1), "s"))
        rows.append(("  raised / closed / causes found", result["raised"], f"/ {result['closed']} / {result['found']}"))
    rows.append(("alerts in the database", Alert.objects.count(), "alerts"))


def run(*, rebuild: bool = False, skip_alerts: bool = False, skip_reads: bool = False) -> list[tuple[str, float, str]]:
    from bench_statistics import _setup

    _setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        return [("scale bench needs PostgreSQL (set DATABASE_URL)", 0, connection.vendor)]
    import scale_data

    from django.db.models.signals import post_save

    from zhifa.cases.models import Case
    from zhifa.core import clock, ledger
    from zhifa.core.ledger import RecordEntry
    from zhifa.supervision.models_statistics import StatBodyMonthly, StatBodyYearly, StatDaily, StatMonthly, StatState, StatYearly
    from zhifa.supervision.services import statistics as refreshing

    rows: list[tuple[str, float, str]] = []
    aggregates = int(os.environ.get("ZHIFA_BENCH_SCALE_AGGREGATES", "").strip() or 0)
    if aggregates and skip_reads and skip_alerts:  # the province's aggregates alone
        _ensure_registry()
        _province(rows, aggregates)
        return rows
    n = int(os.environ.get("ZHIFA_BENCH_SCALE_CASES", "").strip() or 20000)
    _ensure_registry()
    have = Case.objects.count()
    if have < n:
        started = time.perf_counter()
        scale_data.generate_cases(n - have, clock.today())
        rows.append((f"generate {n - have:,} cases (SQL)", round(time.perf_counter() - started, 1), "s"))
        rebuild = True
    rows.append(("cases in the database", Case.objects.count(), "cases"))
    if rebuild or not StatState.objects.filter(pk=1, full_at__isnull=False).exists():
        started = time.perf_counter()
        refreshing.rebuild()
        rows.append(("full rebuild of the aggregates", round(time.perf_counter() - started, 1), "s"))
    for model in (StatDaily, StatMonthly, StatBodyMonthly, StatYearly, StatBodyYearly):
        rows.append((f"rows in {model.__name__}", model.objects.count(), "rows"))

    if skip_reads:
        _alerts(rows)
        return rows
    ids = list(Case.objects.order_by("?").values_list("pk", flat=True)[:200])
    # 200 acts (each its own transaction), the after-act task held back so that one refresh
    # applies them all (the test settings' immediate task backend would run one per act)
    post_save.disconnect(sender=RecordEntry, dispatch_uid="zhifa.supervision.statistics")
    try:
        for pk in ids:
            Case.objects.filter(pk=pk).update(filed_on=clock.today())
            ledger.append(f"case:{pk}", "bench_touch", {"label": "bench"})
    finally:
        post_save.connect(refreshing.on_record, sender=RecordEntry, dispatch_uid="zhifa.supervision.statistics")
    started = time.perf_counter()
    refreshing.refresh()
    rows.append(("incremental refresh after 200 acts (the after-act task)", round((time.perf_counter() - started) * 1000, 1), "ms"))
    samples = _timed(refreshing.request_refresh)
    rows.append(("staleness check with nothing new (each page view): p95", _p(samples, .95), "ms"))
    _reads(rows, f"{Case.objects.count() // 1000:,}k cases")
    if not skip_alerts:
        _alerts(rows)
    if aggregates:
        _province(rows, aggregates)
    return rows


def _province(rows: list, aggregates: int) -> None:
    """The aggregates of ``aggregates`` synthetic cases in place of the real ones, then the reads."""
    import scale_data

    from zhifa.core import clock
    from zhifa.supervision.models_statistics import StatBodyMonthly, StatBodyYearly, StatDaily, StatMonthly, StatYearly

    started = time.perf_counter()
    facts = scale_data.aggregate_only(aggregates, clock.today())
    rows.append((f"aggregates of {aggregates:,} synthetic cases (SQL, {facts:,} daily rows)", round(time.perf_counter() - started, 1), "s"))
    for model in (StatDaily, StatMonthly, StatBodyMonthly, StatYearly, StatBodyYearly):
        rows.append((f"rows in {model.__name__}", model.objects.count(), "rows"))
    _reads(rows, f"{aggregates // 1_000_000}M cases' aggregates")


if __name__ == "__main__":
    from bench_statistics import _setup

    _setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # "testserver" is an allowed host for the test client, as under bench/run.py
    for name, value, unit in run(rebuild="--rebuild" in sys.argv, skip_alerts="--skip-alerts" in sys.argv,
                                 skip_reads="--skip-reads" in sys.argv):
        print(f"{name:<75} {value:>12} {unit}", flush=True)
