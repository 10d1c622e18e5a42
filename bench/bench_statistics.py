"""Statistics at volume (R34, issue 18 quality bar): the dashboard and the statistics queries
over N synthetic cases (a city over five years).

``run()`` returns rows ``(name, value, unit)`` for ``bench/run.py``. On the demo city (registry
and items, no demo cases), it bulk-creates ``ZHIFA_BENCH_STAT_CASES`` cases (default 200,000)
spread over the demo bodies and their items and over five years (filed, about half decided
with a fine, some closed), then measures:

- the full rebuild of the aggregates (``zhifa refresh-statistics --full``);
- an incremental refresh after 200 acts (record entries on 200 cases whose dates changed);
- p50/p95 of ``statistics.figures`` by body, item, level and month over one year and over five,
  of the zero-case items, and of the office's dashboard page (``/supervision/statistics/``,
  the supervision office's demo account through the Django test client);
- the size of the daily table beside the cases table.

    ZHIFA_BENCH_STAT_CASES=1000000 DATABASE_URL=postgres://… bench/run.py statistics

``bench_scale.py`` measures the same reads and the alert sweep at 1,000,000 cases generated in SQL
(minutes instead of the ORM's tens of minutes), and the dashboard over 10,000,000 cases' aggregates.
"""
from __future__ import annotations

import datetime as dt
import inspect
import os
import random
import time
from decimal import Decimal

from bench.timing import setup_django, timed

REPEAT = 30


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))] * 1000


def _make_cases(n: int, first_day: dt.date) -> None:
    from zhifa.cases.models import Case
    from zhifa.catalog.models import Item

    rng = random.Random(18)
    pairs = list(Item.objects.values_list("body_id", "pk"))
    # a few items get most of the cases, as in a real city; some never get any (zero-case items)
    weights = [1 / (i + 1) for i in range(len(pairs))]
    days = 5 * 365
    batch = []
    for i in range(n):
        body, item = rng.choices(pairs, weights)[0]
        filed = first_day + dt.timedelta(days=rng.randrange(days))
        decided = filed + dt.timedelta(days=rng.randrange(10, 90)) if rng.random() < 0.55 else None
        closed = decided + dt.timedelta(days=rng.randrange(5, 40)) if decided and rng.random() < 0.7 else None
        batch.append(Case(body_id=body, item_id=item, state="closed" if closed else ("decided" if decided else "investigating"),
                          clue_received_on=filed, filed_on=filed, party_kind="organisation", party_name=f"示例商户{i}",
                          act_date=filed - dt.timedelta(days=3), outcome="penalty" if decided else "",
                          decided_on=decided, decision_amount=Decimal(rng.randrange(200, 200000, 100)) if decided else None,
                          closed_on=closed))
        if len(batch) == 10_000:
            Case.objects.bulk_create(batch)
            batch = []
    Case.objects.bulk_create(batch)


def run() -> list[tuple[str, float, str]]:
    setup_django()
    from django.db import connection
    from django.test import Client

    from zhifa.cases.models import Case
    from zhifa.core import clock, ledger
    from zhifa.registry import access
    from zhifa.registry.models import Body
    from zhifa.supervision import statistics
    from zhifa.supervision.models_statistics import StatDaily, StatFact
    from zhifa.supervision.services import statistics as refreshing

    rows: list[tuple[str, float, str]] = []
    n = int(os.environ.get("ZHIFA_BENCH_STAT_CASES", "200000"))
    if not Body.objects.filter(code="SJJ").exists():
        from zhifa.demo.generator import load_demo

        params = inspect.signature(load_demo).parameters
        load_demo(**{k: False for k in ("cases", "inspections", "real_lists") if k in params}, log=lambda _: None)
    today = clock.today()
    first = today.replace(month=1, day=1) - dt.timedelta(days=4 * 365)
    started = time.perf_counter()
    _make_cases(n, first)
    rows.append((f"bulk-create {n:,} cases", time.perf_counter() - started, "s"))

    started = time.perf_counter()
    refreshing.rebuild()
    rows.append((f"full rebuild ({n:,} cases)", time.perf_counter() - started, "s"))
    rows.append(("daily rows / facts rows", StatDaily.objects.count(), f"rows (facts {StatFact.objects.count():,})"))

    ids = list(Case.objects.order_by("?").values_list("pk", flat=True)[:200])
    for pk in ids:
        Case.objects.filter(pk=pk).update(filed_on=today)
        ledger.append(f"case:{pk}", "bench_touch", {"label": "bench"})
    started = time.perf_counter()
    refreshing.refresh()
    rows.append(("incremental refresh after 200 acts", (time.perf_counter() - started) * 1000, "ms"))
    started = time.perf_counter()
    refreshing.request_refresh()
    rows.append(("staleness check with nothing new (every page view)", (time.perf_counter() - started) * 1000, "ms"))

    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="supervisor")
    office = access.actor_for(user)
    year = statistics.Period(today.replace(month=1, day=1), today)
    five = statistics.Period(first, today)
    for label, period in (("1 year", year), ("5 years", five)):
        for by in ("body", "item", "level", "month"):
            samples = timed(lambda: statistics.figures(office, by, period), REPEAT)
            rows.append((f"figures by {by}, {label}: p50", _p(samples, .5), "ms"))
            rows.append((f"figures by {by}, {label}: p95", _p(samples, .95), "ms"))
    samples = timed(lambda: statistics.zero_case_items(office, year), REPEAT)
    rows.append(("zero-case items, 1 year: p95", _p(samples, .95), "ms"))
    client = Client()
    client.force_login(user)
    for label, query in (("1 year", ""), ("5 years", f"?date_from={first}&date_to={today}")):
        samples = timed(lambda: client.get(f"/supervision/statistics/{query}"), 15)
        rows.append((f"dashboard page, {label}: p95", _p(samples, .95), "ms"))
    rows.append(("database", 0, connection.vendor))
    return rows
