"""Legal knowledge (R09–R13): assess calls per second, law loading, item linking, the lists.

``run()`` returns rows ``(name, value, unit)`` for ``bench/run.py``. It loads the demo city (real
power lists, the 28 bundled laws, the Jiangmen discretion table) when the database is empty, then
the demo lists (``catalog.services.load_demo_lists``), and measures:

- ``assess`` through the pure engine (``rules.assess``, spec built once) and through the service
  (``discretion.assess_item``: five SQL queries per call) and the HTTP API;
- loading the laws again (``load_all_laws``: parse 28 files, compare, write what changed) and
  parsing them only;
- linking every item's legal basis to the articles (``link_items``);
- the list queries the case workflow calls (legal review, recording) and loading the no-penalty list.
"""
from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

from bench.timing import median_time, setup_django

ACT = dt.date(2025, 6, 1)


def _rate(fn, seconds: float = 1.0, minimum: int = 20) -> float:
    """Calls per second of ``fn`` over about ``seconds``."""
    n = 0
    started = time.perf_counter()
    while True:
        fn()
        n += 1
        elapsed = time.perf_counter() - started
        if elapsed >= seconds and n >= minimum:
            return n / elapsed


def run():
    setup_django()
    from django.test import Client

    from zhifa.catalog import discretion, lists, provisions, services
    from zhifa.catalog import rules as r
    from zhifa.catalog.exemption_import import load_exemption_list
    from zhifa.catalog.models import Benchmark, ExemptionEntry, Item
    from zhifa.registry.access import PUBLIC
    from zhifa.registry.models import Body

    rows = []
    if not Item.objects.exists():
        import inspect

        from zhifa.demo.generator import load_demo

        started = time.perf_counter()
        params = inspect.signature(load_demo).parameters
        # Only the legal layer matters here: no demo cases or inspections where the demo can skip them.
        load_demo(**{k: False for k in ("cases", "inspections") if k in params}, log=lambda _: None)
        rows.append(("demo load (real lists, laws, benchmarks)", time.perf_counter() - started, "s"))
    started = time.perf_counter()
    services.load_demo_lists()
    rows.append(("demo lists (defaults for every body + Jiangmen list)", (time.perf_counter() - started) * 1000, "ms"))
    rows.append(("items", Item.objects.count(), "items"))
    rows.append(("published benchmarks", Benchmark.objects.filter(status="published").count(), "benchmarks"))
    shj = Body.objects.get(code=lists.DEMO_EXEMPTION_BODY)
    rows.append(("no-penalty entries matched to an item (SHJ)",
                 ExemptionEntry.objects.filter(body=shj, item__isnull=False).count(), "of 40"))

    # --- assess -------------------------------------------------------------------------------
    bench = (Benchmark.objects.filter(body=shj, status="published", item__exemption_entries__isnull=False)
             .select_related("item").order_by("item__code").first()
             or Benchmark.objects.filter(status="published").select_related("item").order_by("item__code").first())
    code = bench.item.code
    facts = r.Facts(item_code=code, act_date=ACT, party_kind=r.PartyKind.ORGANISATION, grades=(2,),
                    factors=("jm_insured", "jm_corrected"), harm=r.Harm.ORDINARY, illegal_gains=Decimal("20000"))
    spec = discretion.benchmark_spec(discretion.applicable_benchmark(bench.item, ACT))
    rows.append(("assess, pure engine", _rate(lambda: r.assess(facts, spec)), "calls/s"))
    rows.append(("assess, service with the database (5 queries)",
                 _rate(lambda: discretion.assess_item(code, facts, actor=PUBLIC)), "calls/s"))
    client = Client(HTTP_HOST="localhost")
    payload = {"act_date": ACT.isoformat(), "grades": [2], "factors": ["jm_insured"], "harm": "ordinary"}
    url = f"/api/v1/items/{code}/assess"
    assert client.post(url, payload, content_type="application/json").status_code == 200
    rows.append(("assess, HTTP API POST /items/{code}/assess",
                 _rate(lambda: client.post(url, payload, content_type="application/json")), "calls/s"))

    # --- lists ----------------------------------------------------------------------------------
    decision = r.DecisionFacts(item_code=code, party_kind=r.PartyKind.ORGANISATION, fine=Decimal("120000"))
    rows.append(("needs_legal_review (service, 1 query)", _rate(lambda: discretion.needs_legal_review(shj.pk, decision)), "calls/s"))
    rows.append(("must_record (service, 1 query)", _rate(lambda: discretion.must_record(shj.pk, "seizure")), "calls/s"))
    rows.append(("load the no-penalty list (40 entries, match, replace)",
                 median_time(lambda: load_exemption_list(shj, keep_in_force=True), 3) * 1000, "ms"))

    # --- laws and links -------------------------------------------------------------------------
    rows.append(("parse the 28 bundled laws (pure)", median_time(provisions.parse_law_files, 3) * 1000, "ms"))
    rows.append(("load_all_laws again (parse, compare, write changes)", median_time(provisions.load_all_laws, 3) * 1000, "ms"))
    n_items = Item.objects.count()
    seconds = median_time(provisions.link_items, 3)
    rows.append(("link_items, every item", seconds * 1000, "ms"))
    rows.append(("link_items throughput", n_items / seconds if seconds else 0, "items/s"))
    return rows
