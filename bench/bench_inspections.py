"""Double random, one public at city and province scale (R26, R28).

- entity import: ``zhifa import entities`` of a 500,000-row CSV (rows/s), beside a plain ``COPY``
  of the same file into a table of the same shape with a primary key (PostgreSQL only);
- the draw: 500,000 entities, 5,000 inspectors, 5% drawn with frequency exclusions, weights,
  recusals and inspector assignment — commit (freeze) and reveal (draw + write) at the service
  layer, beside an unverifiable ``ORDER BY random() LIMIT n`` over the same candidates; on an
  unchanged register (its snapshot, which the nightly sweep stores, is taken as it is) and once on a
  register changed since (the draw reads the whole register and stores its snapshot);
- verify-draw: the draw recomputed from its published data (``services.verify_draw``, what the
  command and the page run);
- opt-in (``ZHIFA_BENCH_PROVINCE=1``, about 40 s more): the same draw at 5,000,000 entities (a
  province).

Sizes: ZHIFA_BENCH_ENTITIES (500000), ZHIFA_BENCH_PROVINCE_ENTITIES (5000000); ZHIFA_BENCH_ROUNDS (3):
the import and the COPY are each timed that many times and the best kept (the machine is shared);
ZHIFA_BENCH_DRAW_ROUNDS (5): the draw and ``ORDER BY random()`` likewise, the slowest draw shown too.
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from decimal import Decimal

from bench.timing import best_copy_seconds


def _setup_city():
    from zhifa.registry.models import Body, Certificate, Jurisdiction, Officer

    city, _ = Jurisdiction.objects.get_or_create(code="659900", defaults=dict(name="基准市", level="city"))
    townships = []
    for n in range(20):
        t, _ = Jurisdiction.objects.get_or_create(code=f"659900{n:03d}", defaults=dict(name=f"基准镇{n}", level="township", parent=city))
        townships.append((t.pk, t.code))
    body, _ = Body.objects.get_or_create(code="BENCH-SJJ", defaults=dict(
        name="基准市市场监督管理局", jurisdiction=city, sector="market", legal_representative="某某", address="某路1号", supervision_phone="12345"))
    if not Officer.objects.filter(body=body).exists():
        officers = Officer.objects.bulk_create([Officer(body=body, name=f"检查员{i}", staff_no=f"B{i:05d}") for i in range(5000)], batch_size=1000)
        Certificate.objects.bulk_create([
            Certificate(officer=o, number=f"BENCH{o.pk:08d}", issued_on=dt.date(2024, 1, 1), expires_on=dt.date(2030, 1, 1))
            for o in officers
        ], batch_size=1000)
    return body, townships


def _csv_file(rows, path: str) -> None:
    import csv

    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["统一社会信用代码", "名称", "主体类型", "行业", "地址", "所属乡镇", "风险等级", "信用等级", "经营异常名录", "投诉次数", "违法记录次数"])
        for r in rows:
            code, name, kind, industry, address, township_id, risk, credit, abnormal, complaints, violations = r
            w.writerow([code, name, kind, industry, address, township_code[township_id], risk, credit, "是" if abnormal else "否", complaints, violations])


township_code: dict = {}


def _bench_import(n: int, townships) -> list[tuple[str, float, str]]:
    from django.db import connection

    from zhifa.core.importing import run_import
    from zhifa.inspections.demo import entity_rows

    township_code.update(dict(townships))
    folder = tempfile.mkdtemp(prefix="zhifa-bench-entities-")
    path = os.path.join(folder, "entities.csv")
    _csv_file(entity_rows(n, townships, seed=7), path)
    data = open(path, "rb").read()
    out = []
    rounds = int(os.environ.get("ZHIFA_BENCH_ROUNDS", "3"))  # best of: the machine is shared
    elapsed = float("inf")
    for _ in range(rounds):
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE inspections_entity CASCADE" if connection.vendor == "postgresql" else "DELETE FROM inspections_entity")
        _checkpoint()
        started = time.perf_counter()
        result = run_import("entities", data, "entities.csv")
        elapsed = min(elapsed, time.perf_counter() - started)
        assert result.ok and result.created == n, result.errors[:3]
    out.append((f"entity import, {n:,} rows (zhifa import entities, best of {rounds})", n / elapsed, "rows/s"))
    started = time.perf_counter()
    again = run_import("entities", data, "entities.csv")
    out.append((f"entity re-import, {n:,} unchanged rows", n / (time.perf_counter() - started), "rows/s"))
    assert again.skipped == n
    if connection.vendor == "postgresql":
        def send_file(copy):
            with open(path, "rb") as f:
                while chunk := f.read(1 << 20):
                    copy.write(chunk)

        copy_elapsed = best_copy_seconds(
            rounds, "bench_entity_copy",
            "CREATE TABLE bench_entity_copy (credit_code varchar(18) PRIMARY KEY, name varchar(200), kind varchar(30), industry varchar(60), "
            "address varchar(200), township varchar(12), risk_grade varchar(2), credit_grade varchar(2), abnormal varchar(4), "
            "complaint_count integer, violation_count integer)",
            "COPY bench_entity_copy FROM STDIN WITH (FORMAT csv, HEADER true)", send_file, before=_checkpoint)
        out.append((f"plain COPY of the same file, {n:,} rows (primary key, best of {rounds})", n / copy_elapsed, "rows/s"))
        out.append(("import speed / plain COPY speed (bar: 50)", 100 * copy_elapsed / elapsed, "%"))
    os.remove(path)
    return out


def _bench_draw(n_label: str, body, year: int) -> list[tuple[str, float, str]]:
    from django.db import connection

    from zhifa.inspections import services
    from zhifa.inspections.demo import SYSTEM
    from zhifa.inspections.models import InspectionItem

    item, _ = InspectionItem.objects.get_or_create(code="BENCH-CC-1", defaults=dict(name="基准抽查事项", body=body, legal_basis="基准依据"))
    plan = services.create_plan(body_id=body.pk, year=year, title="基准计划", actor=SYSTEM)
    out = []
    # a first draw of 1% leaves recent inspections behind: they are excluded next time and their
    # inspectors recused from the same entities.
    first = services.create_task(plan_id=plan.pk, data=services.TaskInput(
        title="前一轮", starts_on=dt.date(year, 1, 1), ends_on=dt.date(year, 12, 31), item_ids=[item.pk], ratio_percent=Decimal("1")), actor=SYSTEM)
    services.reveal_draw(draw_id=services.commit_draw(task_id=first.pk, actor=SYSTEM).pk, witness="1", actor=SYSTEM)

    def timed_draw(title: str):
        task = services.create_task(plan_id=plan.pk, data=services.TaskInput(
            title=title, starts_on=dt.date(year, 1, 1), ends_on=dt.date(year, 12, 31), item_ids=[item.pk],
            ratio_percent=Decimal("5"), flagged_weight=3, min_gap_days=30), actor=SYSTEM)
        started = time.perf_counter()
        draw = services.commit_draw(task_id=task.pk, actor=SYSTEM)
        commit = time.perf_counter() - started
        started = time.perf_counter()
        draw = services.reveal_draw(draw_id=draw.pk, witness="20261123", actor=SYSTEM)
        return draw, (commit + (time.perf_counter() - started), commit, time.perf_counter() - started)

    # Once on a register changed since its snapshot (one entity's tag rewritten): the draw reads
    # the whole register and stores its new snapshot. Then, as a register is drawn on days after
    # its import, on an unchanged one (the snapshot is taken as it is): best of ROUNDS, as for
    # ORDER BY random() below (the machine is shared); each round draws a new task on the same
    # register and history, and all but the last are removed again.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE inspections_entity SET complaint_count = complaint_count WHERE id = (SELECT min(id) FROM inspections_entity)")
    draw, cold = timed_draw("基准抽取（名录库刚有变动）")
    _remove_draw(draw)
    rounds = int(os.environ.get("ZHIFA_BENCH_DRAW_ROUNDS", "5"))
    timings = []
    for n in range(rounds):
        draw, timing = timed_draw(f"基准抽取{n + 1}")
        timings.append(timing)
        if n < rounds - 1:
            _remove_draw(draw)
    total, commit, reveal = min(timings)
    started = time.perf_counter()
    ok = services.verify_draw(draw).ok
    verify = time.perf_counter() - started
    assert ok
    k = draw.sample
    # the same candidates: the task's scope (here every entity) less the entities excluded by frequency
    random_sql = ("SELECT id FROM inspections_entity WHERE id NOT IN (SELECT entity_id FROM inspections_exclusion WHERE draw_id = %s) "
                  "ORDER BY random() LIMIT %s")
    order_random = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(random_sql, [draw.pk, k])
            assert len(cursor.fetchall()) == k
        order_random = min(order_random, time.perf_counter() - started)
    out += [
        (f"draw {n_label}: freeze + commit ({draw.candidate_count:,} candidates, {draw.excluded_count:,} excluded)", commit, "s"),
        (f"draw {n_label}: reveal — select {k:,}, assign {draw.inspector_count:,} inspectors, write", reveal, "s"),
        (f"draw {n_label}: commit + reveal (service layer, best of {rounds})", total, "s"),
        (f"draw {n_label}: commit + reveal, slowest of the {rounds}", max(timings)[0], "s"),
        (f"draw {n_label}: commit + reveal on a register changed since its snapshot (read and stored)", cold[0], "s"),
        (f"draw {n_label}: ORDER BY random() LIMIT {k:,} over the same candidates (unverifiable, best of {rounds})", order_random, "s"),
        (f"draw {n_label}: commit + reveal / ORDER BY random() (bar: 5)", total / order_random, "×"),
        (f"draw {n_label}: verify-draw (recompute from the published data)", verify, "s"),
    ]
    return out


def _remove_draw(draw) -> None:
    """Undo a benchmark draw (its inspections, exclusions, frozen list, record stream, the draw and
    its task) and let PostgreSQL reclaim the rows, so that the next round draws on the same state."""
    from django.db import connection

    from zhifa.core.ledger import RecordEntry
    from zhifa.inspections.models import Draw, Exclusion, FrozenList, Inspection

    with connection.cursor() as cursor:
        for model in (Inspection, Exclusion, FrozenList):
            cursor.execute(f'DELETE FROM "{model._meta.db_table}" WHERE draw_id = %s', [draw.pk])
        cursor.execute(f'DELETE FROM "{RecordEntry._meta.db_table}" WHERE stream = %s', [f"draw:{draw.pk}"])
    task = draw.task
    Draw.objects.filter(pk=draw.pk).delete()
    task.delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'VACUUM "{Inspection._meta.db_table}", "{Exclusion._meta.db_table}"')


def _settle() -> None:
    """Draws are made on a register imported days before: let PostgreSQL settle it as autovacuum
    and the checkpointer would (``VACUUM ANALYZE``, ``CHECKPOINT``), so that the draw and ``ORDER BY
    random()`` both run on a settled table rather than racing an autovacuum or a checkpoint the
    import has just triggered; and store the register's snapshot, as the nightly ``zhifa sweep``
    would (the draw on a register changed since is timed too)."""
    from django.db import connection

    from zhifa.inspections import services

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE inspections_entity")
            cursor.execute("ANALYZE")  # the officers, certificates… just created: their statistics too
        # and let the import's writes reach the disk, as days would: not a checkpoint of the
        # import's gigabyte of WAL running under the draw
        _checkpoint()
        services.refresh_register_snapshot()


def _checkpoint() -> None:
    """``CHECKPOINT`` (PostgreSQL, with pg_checkpoint or as superuser): written before a timed round
    starts, so that no checkpoint the writes before it made due runs under it — the import and the
    plain ``COPY`` it is compared with, each round, start alike."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_has_role('pg_checkpoint', 'MEMBER') OR rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("CHECKPOINT")


def run() -> list[tuple[str, float, str]]:
    from django.db import transaction

    from zhifa.core import clock
    from zhifa.inspections import importers
    from zhifa.inspections.demo import entity_rows
    from zhifa.inspections.models import Entity

    n = int(os.environ.get("ZHIFA_BENCH_ENTITIES", "500000"))
    body, townships = _setup_city()
    out = []
    with clock.frozen(dt.datetime(2026, 6, 1, 10, 0, tzinfo=clock.SHANGHAI)):
        out += _bench_import(n, townships)
        _settle()
        out += _bench_draw(f"{n // 1000}k", body, 2026)
    big = int(os.environ.get("ZHIFA_BENCH_PROVINCE_ENTITIES", "5000000"))
    if os.environ.get("ZHIFA_BENCH_PROVINCE", "0") == "1":
        with transaction.atomic():
            started = time.perf_counter()
            chunk = 500_000
            for start in range(n + 1, big + 1, chunk):
                importers.write_entities(list(entity_rows(min(chunk, big + 1 - start), townships, seed=start, start=start)), [])
        _settle()
        out.append((f"load {Entity.objects.count():,} entities for the province draw (COPY, VACUUM ANALYZE)", time.perf_counter() - started, "s"))
        with clock.frozen(dt.datetime(2027, 6, 1, 10, 0, tzinfo=clock.SHANGHAI)):
            out += _bench_draw(f"{big // 1_000_000}M", body, 2027)
    return out
