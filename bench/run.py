"""`make bench`: run every bench/bench_*.py and print one table.

Each module exposes ``run() -> list[tuple[str, float, str]]`` (name, value, unit). The benchmarks
run on a fresh database: a temporary SQLite file (removed afterwards), or PostgreSQL when
``DATABASE_URL`` is set (Django's test database ``test_<name>`` is created, and dropped at the end
even when a benchmark fails). The test environment is set up as under pytest (``testserver`` is an
allowed host for the test ``Client``). They are never part of ``make test``.

    bench/run.py [name …]      only the named suites (``cases`` for bench/bench_cases.py)
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def setup_django():
    """Configure Django on a fresh database; returns a callable that removes that database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    os.environ.setdefault("ZHIFA_TESTING", "1")
    scratch = None
    if not os.environ.get("DATABASE_URL"):
        scratch = Path(tempfile.mkdtemp(prefix="zhifa-bench-"))
        os.environ["ZHIFA_SQLITE_PATH"] = str(scratch / "bench.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if connection.vendor == "postgresql":
        from django.test.utils import setup_databases, teardown_databases

        config = setup_databases(verbosity=0, interactive=False, keepdb=False)
        return lambda: teardown_databases(config, verbosity=0)
    call_command("migrate", verbosity=0)
    return lambda: (connection.close(), scratch and shutil.rmtree(scratch, ignore_errors=True))


def main(selected: list[str]) -> int:
    teardown = setup_django()
    try:
        return _run(selected)
    finally:
        teardown()


def _run(selected: list[str]) -> int:
    rows: list[tuple[str, str, float, str]] = []
    failed = []
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if selected and name not in selected:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        started = time.perf_counter()
        try:
            for label, value, unit in module.run():
                rows.append((name, label, value, unit))
        except Exception:  # one failing suite must not lose the others' figures
            traceback.print_exc()
            failed.append(name)
        print(f"[{name}] {time.perf_counter() - started:.1f} s", file=sys.stderr)
    from django.db import connection

    print(f"\nzhifa benchmarks — database: {connection.vendor}, python {sys.version.split()[0]}, {os.cpu_count()} cores\n")
    width = max((len(r[1]) for r in rows), default=10)
    print(f"{'suite':<12} {'benchmark':<{width}} {'value':>12}  unit")
    print("-" * (width + 36))
    for suite, label, value, unit in rows:
        decimals = 2 if abs(value) < 10 else 1  # a second and a ratio need their hundredths
        print(f"{suite:<12} {label:<{width}} {value:>12,.{decimals}f}  {unit}")
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
