"""The public portal under load (issue #19: portal pages p95 < 200 ms on the demo city).

``bench/run.py portal``. On the bench's database (PostgreSQL when ``DATABASE_URL`` is set) with
the demo city at ``ZHIFA_BENCH_PORTAL_SCALE`` (default 0.05, as the redaction test: published and
withdrawn decisions, draws, guidance cases, plans, articles, ratings) it starts gunicorn as
``bench_load`` does (production settings, ``ZHIFA_BENCH_LOAD_WORKERS`` sync workers, default 2)
twice — with the per-page cache (``ZHIFA_PORTAL_CACHE_SECONDS`` 60, the default) and without
(0) — and drives it with ``ZHIFA_BENCH_PORTAL_CLIENTS`` concurrent anonymous clients (default 10)
for ``ZHIFA_BENCH_PORTAL_SECONDS`` each (default 15), every client walking the public pages in
turn: home, bodies, a body, items, decisions, each published decision, inspections, a draw,
guidance, a guidance case, articles, plans, ratings, contacts, a certificate check. Prints
requests/s and p50/p95/p99 per mode; the client threads share the machine's cores with the
server, so the figures are an upper bound of what a separate client would measure.
"""
from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_load  # noqa: E402  (the server, the clients and the timing of the load suite)


def _paths() -> list[str]:
    from django.db import connection

    from zhifa.cases.models import Case
    from zhifa.demo.generator import load_demo
    from zhifa.inspections.models import Draw
    from zhifa.portal.models import GuidanceCase
    from zhifa.registry.models import Body, Certificate

    if not Body.objects.filter(code="SJJ").exists():
        load_demo(real_lists=False, scale=float(os.environ.get("ZHIFA_BENCH_PORTAL_SCALE", "0.05")), log=lambda _: None)
    body = Body.objects.filter(is_published=True).order_by("id").first()
    paths = ["/public/", "/public/bodies/", f"/public/bodies/{body.pk}/", "/public/items/", "/public/decisions/",
             "/public/inspections/", "/public/guidance/", "/public/articles/", "/public/plans/", "/public/ratings/",
             "/public/contacts/", "/public/procedures/", "/public/guidance/?q=食品"]
    paths += [f"/public/decisions/{pk}/" for pk in Case.objects.filter(published_on__isnull=False).values_list("pk", flat=True)[:20]]
    paths += [f"/public/inspections/draws/{pk}/" for pk in Draw.objects.values_list("pk", flat=True)[:3]]
    paths += [f"/public/guidance/{pk}/" for pk in GuidanceCase.objects.values_list("pk", flat=True)[:3]]
    paths += [f"/public/certificates/?number={n}" for n in Certificate.objects.values_list("number", flat=True)[:5]]
    connection.close()
    return paths


def _walker(paths: list[str]):
    def make(i: int):
        cycle = itertools.cycle(paths[i % len(paths):] + paths[:i % len(paths)])

        def step(client) -> str:
            return bench_load._check(client.get(next(cycle)))
        return step
    return make


def _server(cache_seconds: int, workers: int) -> bench_load.Server:
    """``bench_load``'s server with the cache setting, its static files collected first (production
    settings serve the hashed names of the manifest, as a deployment does)."""
    import subprocess

    original = bench_load._server_env
    collected: set[str] = set()

    def env(var_dir: str) -> dict[str, str]:
        values = original(var_dir)
        values["ZHIFA_PORTAL_CACHE_SECONDS"] = str(cache_seconds)
        if var_dir not in collected:
            subprocess.run([sys.executable, "-m", "zhifa", "collectstatic", "--noinput", "-v", "0"], env=values, check=True)
            collected.add(var_dir)
        return values

    bench_load._server_env = env
    try:
        return bench_load.Server(workers)
    finally:
        bench_load._server_env = original


def run() -> list[tuple[str, float, str]]:
    from django.db import connection

    paths = _paths()
    seconds = float(os.environ.get("ZHIFA_BENCH_PORTAL_SECONDS", "15"))
    clients = int(os.environ.get("ZHIFA_BENCH_PORTAL_CLIENTS", "10"))
    workers = bench_load._env_int("ZHIFA_BENCH_LOAD_WORKERS", 2)
    results = []
    for label, cache_seconds in (("cached", 60), ("uncached", 0)):
        server = _server(cache_seconds, workers)
        try:
            bench_load._drive(server.base, "warm-up", 2, 3, _walker(paths))
            result = bench_load._drive(server.base, label, clients, seconds, _walker(paths))
        finally:
            server.stop()
        results.append(result)
    print(f"\nportal — {len(paths)} public pages in turn, gunicorn {workers} sync workers, {connection.vendor}, "
          f"{os.cpu_count()} cores, {clients} clients × {seconds:.0f} s")
    print(f"{'mode':<10} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    rows = []
    for r in results:
        print(f"{r.scenario:<10} {len(r.latencies):>9} {r.per_second:>8.1f} {r.p(0.5):>8.0f} {r.p(0.95):>8.0f} "
              f"{r.p(0.99):>8.0f} {r.errors:>7}")
        if r.first_error:
            print(f"first error ({r.scenario}): {r.first_error}")
        rows += [(f"{r.scenario}: requests/s", r.per_second, "req/s"), (f"{r.scenario}: p50", r.p(0.5), "ms"),
                 (f"{r.scenario}: p95", r.p(0.95), "ms"), (f"{r.scenario}: p99", r.p(0.99), "ms"),
                 (f"{r.scenario}: errors", float(r.errors), "requests")]
    return rows
