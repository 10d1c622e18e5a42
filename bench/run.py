"""`make bench`: run every bench/bench_*.py and print one table.

Each module exposes ``run() -> list[tuple[str, float, str]]`` (name, value, unit). The benchmarks
run on a fresh database: a temporary SQLite file, or PostgreSQL when ``DATABASE_URL`` is set (a
database named ``<name>_bench`` is created and dropped). They are never part of ``make test``.
"""
from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    os.environ.setdefault("ZHIFA_TESTING", "1")
    if not os.environ.get("DATABASE_URL"):
        os.environ["ZHIFA_SQLITE_PATH"] = str(Path(tempfile.mkdtemp(prefix="zhifa-bench-")) / "bench.sqlite3")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        from django.test.utils import setup_databases

        setup_databases(verbosity=0, interactive=False, keepdb=False)
    else:
        call_command("migrate", verbosity=0)


def main(selected: list[str]) -> int:
    setup_django()
    rows: list[tuple[str, str, float, str]] = []
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if selected and name not in selected:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        started = time.perf_counter()
        for label, value, unit in module.run():
            rows.append((name, label, value, unit))
        print(f"[{name}] {time.perf_counter() - started:.1f} s", file=sys.stderr)
    from django.db import connection

    print(f"\nzhifa benchmarks — database: {connection.vendor}, python {sys.version.split()[0]}, {os.cpu_count()} cores\n")
    width = max((len(r[1]) for r in rows), default=10)
    print(f"{'suite':<12} {'benchmark':<{width}} {'value':>12}  unit")
    print("-" * (width + 36))
    for suite, label, value, unit in rows:
        print(f"{suite:<12} {label:<{width}} {value:>12,.1f}  {unit}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
