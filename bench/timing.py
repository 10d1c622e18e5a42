"""What the benchmarks share: Django set up for a suite run on its own, timing a call several
times, and the figures made of the samples (``bench/run.py`` puts the repository root on the path,
so the suites import this as ``bench.timing``)."""
from __future__ import annotations

import os
import statistics
import time


def setup_django() -> None:
    """Django configured as under ``bench/run.py`` (a suite run on its own, ``python bench/bench_x.py``)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    os.environ.setdefault("ZHIFA_TESTING", "1")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def timed(fn, repeat: int) -> list[float]:
    """The wall time, in seconds, of each of ``repeat`` calls of ``fn``."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def median_time(fn, repeat: int) -> float:
    """The median wall time, in seconds, of ``repeat`` calls of ``fn``."""
    return statistics.median(timed(fn, repeat))


def quantile_ms(samples: list[float], q: float) -> float:
    """The q-quantile of ``samples`` (seconds) in milliseconds (nearest rank)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def best_copy_seconds(rounds: int, table: str, create_sql: str, copy_sql: str, write, before=None) -> float:
    """The best time of ``rounds`` plain PostgreSQL COPYs into a scratch ``table`` (made by
    ``create_sql``, dropped afterwards; ``write(copy)`` sends the data, ``before()`` runs untimed
    before each): the yardstick an importer's speed is measured against."""
    from django.db import connection

    best = float("inf")
    for _ in range(rounds):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(create_sql)
        if before is not None:
            before()
        started = time.perf_counter()
        with connection.cursor() as cursor:
            with cursor.cursor.copy(copy_sql) as copy:
                write(copy)
        best = min(best, time.perf_counter() - started)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {table}")
    return best
