"""Every page an officer reaches from the navigation, at city scale (issue 20 quality bar: each
loads in under 1 s with 500,000 entities, 5,000 officers and 200,000 cases, on PostgreSQL).

``bench/run.py pages``. On the demo city's registry (``load_demo`` without demo cases or
inspections, loaded when the database is empty) it brings the database to city scale with the
existing generators — the entity register through the importer's ``COPY`` (``bench_inspections``:
``importers.write_entities`` of ``entity_rows``), 5,000 inspectors with certificates
(``bench_inspections._setup_city``), the cases bulk-inserted in every state with their officers and
decisions (``bench_alerts._populate``) — then, for each demo account of the roles that work in
the navigation (officer1 执法人员, head1 主体负责人, supervisor 监督机构), reads the links of the
side navigation from the home page and loads each page ``ZHIFA_BENCH_PAGE_SAMPLES`` times (default
7, after one warm-up load) through Django's test ``Client`` (the server's own time, no network),
reporting p50 and p95 per page and the pages over the bar.

Sizes (environment): ``ZHIFA_BENCH_PAGE_ENTITIES`` (500000), ``ZHIFA_BENCH_PAGE_CASES`` (200000),
``ZHIFA_BENCH_PAGE_USERS`` (``officer1,head1,supervisor``). Generation is bounded: what is already
in the database counts (a second run only measures).
"""
from __future__ import annotations

import datetime as dt
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TODAY = dt.date(2026, 11, 23)
BAR_MS = 1000.0
NAV = re.compile(r"<nav\b[^>]*>(.*?)</nav>", re.S)
HREF = re.compile(r'<a\b[^>]*href="(/[^"#?]*)(?:\?[^"]*)?"')


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    os.environ.setdefault("ZHIFA_TESTING", "1")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def _quantile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))] * 1000


def _scale(n_entities: int, n_cases: int) -> list[tuple[str, float, str]]:
    """Bring the database to city scale with the existing generators (what is there counts)."""
    from django.db import connection, transaction

    from bench.bench_alerts import _populate
    from bench.bench_inspections import _setup_city
    from zhifa.cases.models import Case
    from zhifa.demo.generator import load_demo
    from zhifa.inspections import importers
    from zhifa.inspections.demo import entity_rows
    from zhifa.inspections.models import Entity
    from zhifa.registry.models import Body, Officer

    rows = []
    started = time.perf_counter()
    if not Body.objects.exists():
        load_demo(today=TODAY, real_lists=False, cases=False, inspections=False)
    _, townships = _setup_city()  # 5,000 inspectors with certificates
    have = Entity.objects.count()
    chunk = 100_000
    with transaction.atomic():
        for start in range(have + 1, n_entities + 1, chunk):
            importers.write_entities(list(entity_rows(min(chunk, n_entities + 1 - start), townships, seed=start, start=start)), [])
    missing = n_cases - Case.objects.count()
    if missing > 0:
        _populate(missing)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    rows.append((f"city generated ({connection.vendor}): {Entity.objects.count():,} entities, {Officer.objects.count():,} officers, "
                 f"{Case.objects.count():,} cases", round(time.perf_counter() - started, 1), "s"))
    return rows


def _nav_links(client) -> list[str]:
    home = client.get("/")
    assert home.status_code == 200, home.status_code
    html = home.content.decode()
    links = ["/"]
    for block in NAV.findall(html):
        for href in HREF.findall(block):
            if href not in links and not href.startswith(("/accounts/logout", "/admin/", "/api/")):
                links.append(href)
    return links


def run() -> list[tuple[str, float, str]]:
    _setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from zhifa.core import clock

    n_entities = int(os.environ.get("ZHIFA_BENCH_PAGE_ENTITIES", "500000"))
    n_cases = int(os.environ.get("ZHIFA_BENCH_PAGE_CASES", "200000"))
    samples = int(os.environ.get("ZHIFA_BENCH_PAGE_SAMPLES", "7"))
    users = [u for u in os.environ.get("ZHIFA_BENCH_PAGE_USERS", "officer1,head1,supervisor").split(",") if u]
    rows = _scale(n_entities, n_cases)
    over = []
    with clock.frozen(dt.datetime.combine(TODAY, dt.time(10), tzinfo=clock.SHANGHAI)):
        for username in users:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                continue
            client = Client()
            client.force_login(user)
            for path in _nav_links(client):
                first = client.get(path)  # warm-up (and the answer checked)
                if first.status_code != 200:
                    rows.append((f"{username} {path}: HTTP {first.status_code}", first.status_code, "status"))
                    continue
                times = []
                for _ in range(samples):
                    t = time.perf_counter()
                    client.get(path)
                    times.append(time.perf_counter() - t)
                p50, p95 = _quantile(times, 0.5), _quantile(times, 0.95)
                rows.append((f"{username} {path} p50", round(p50, 1), "ms"))
                rows.append((f"{username} {path} p95", round(p95, 1), "ms"))
                if p95 > BAR_MS:
                    over.append(f"{username} {path}")
    rows.append((f"pages over {BAR_MS:.0f} ms (p95): {', '.join(over) or 'none'}", len(over), "pages"))
    return rows


if __name__ == "__main__":
    from bench.run import setup_django

    teardown = setup_django()
    try:
        for name, value, unit in run():
            print(f"{name:<90} {value:>12} {unit}")
    finally:
        teardown()
