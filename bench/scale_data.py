"""Set-based synthetic cases for the scale benches (issue 18: 1,000,000 and 10,000,000 cases).

The ORM's ``bulk_create`` builds a Python object per row: about 8 minutes for a million cases on
the bench machine. Here PostgreSQL makes the rows itself (``INSERT … SELECT … FROM
generate_series``), so one statement per million cases, and the same data serves both the
statistics bench and the alert sweep (``bench_scale.py``): cases over five years in every state,
about 55 % decided with a fine and a written decision (grade range, reasoning), two officers of
the case's body each (one for about 1 %), a few per cent with a passed deadline, a missing notice,
an unhanded on-the-spot collection, an outlying fine — the shapes the alert rules look for.

Columns the generator does not name are filled from the model's own defaults
(``fill_columns``), so a new NOT NULL column on ``Case`` does not break the bench.

``aggregate_only(n)`` is the 10,000,000 variant: the facts of N synthetic cases generated and
summed straight into the aggregate tables (``StatDaily`` and its roll-ups) in SQL, since the
dashboard reads nothing else; the cases table is not written.
"""
from __future__ import annotations

import datetime as dt

STATES = ("source", "investigating", "notified", "decided", "served", "closed", "archived")


def fill_columns(model, given: dict[str, str]) -> tuple[list[str], list[str], list]:
    """The INSERT's column list and SELECT expressions: ``given`` (column → SQL expression) plus
    every other NOT NULL column of ``model`` at its Django default (a query parameter)."""
    from django.db import connection

    columns, exprs, params = list(given), list(given.values()), []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.column in given or field.null:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            columns.append(field.column)
            exprs.append("now()")
            continue
        if not field.has_default() and not getattr(field, "blank", False):
            raise ValueError(f"{model.__name__}.{field.name}: NOT NULL without a default, give it")
        columns.append(field.column)
        exprs.append("%s")
        params.append(field.get_db_prep_save(field.get_default(), connection))
    return columns, exprs, params


def _pairs_table(cursor) -> int:
    """(k, item, body) for the penalty items of bodies with two or more certified officers."""
    from zhifa.catalog.models import Item
    from zhifa.registry.models import Officer

    cursor.execute("DROP TABLE IF EXISTS bench_pairs; DROP TABLE IF EXISTS bench_officers")
    cursor.execute(f"""CREATE TEMP TABLE bench_officers AS
        SELECT body_id, array_agg(id ORDER BY id) AS ids FROM {Officer._meta.db_table}
        WHERE NOT is_auxiliary GROUP BY body_id HAVING count(*) >= 2""")
    cursor.execute(f"""CREATE TEMP TABLE bench_pairs AS
        SELECT (row_number() OVER (ORDER BY i.id) - 1)::int AS k, i.id AS item_id, i.body_id
        FROM {Item._meta.db_table} i JOIN bench_officers o ON o.body_id = i.body_id WHERE i.kind = 'penalty'""")
    cursor.execute("CREATE INDEX ON bench_pairs (k)")
    cursor.execute("SELECT count(*) FROM bench_pairs")
    return cursor.fetchone()[0]


def generate_cases(n: int, today: dt.date, *, years: int = 5, seed: float = 0.18) -> int:
    """Insert ``n`` cases filed over the ``years`` before ``today``, their decisions and officers.
    Returns the number of cases in the table afterwards."""
    from django.db import connection, transaction

    from zhifa.cases.models import Case, Decision

    first = today.replace(month=1, day=1).replace(year=today.year - years + 1)
    span = (today - first).days
    case_t, dec_t, link_t = Case._meta.db_table, Decision._meta.db_table, Case.officers.through._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        pairs = _pairs_table(cursor)
        cursor.execute("SELECT setseed(%s)", [seed])
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {case_t}")
        floor = cursor.fetchone()[0]
        states = "(ARRAY[" + ",".join(f"'{s}'" for s in STATES) + "])"
        decided = "s.state IN ('decided','served','closed','archived')"
        given = {
            "body_id": "p.body_id", "item_id": "p.item_id", "number": "'B' || s.g", "procedure": "'normal'",
            "state": "s.state", "clue_received_on": "s.clue", "party_kind": "'organisation'",
            "party_name": "'企业' || mod(s.g, 5000)", "party_id_code": "'9144' || lpad(mod(s.g, 5000)::text, 14, '0')",
            "act_date": "s.clue - 3",
            "filed_on": "CASE WHEN s.state <> 'source' THEN LEAST(s.clue + 5, %(today)s) END",
            "decided_on": f"CASE WHEN {decided} THEN LEAST(s.clue + 15 + s.lag, %(today)s) END",
            "outcome": f"CASE WHEN {decided} THEN 'penalty' ELSE '' END",
            "decision_kinds": f"CASE WHEN {decided} THEN '[\"fine\"]'::jsonb ELSE '[]'::jsonb END",
            "decision_amount": f"CASE WHEN {decided} THEN s.amount END",
            "notice_served_on": f"CASE WHEN {decided} AND mod(s.g, 50) <> 0 THEN LEAST(s.clue + 8 + s.lag, %(today)s) END",
            "served_on": "CASE WHEN s.state IN ('served','closed','archived') THEN LEAST(s.clue + 18 + s.lag, %(today)s) END",
            "closed_on": "CASE WHEN s.state IN ('closed','archived') THEN LEAST(s.clue + 40 + s.lag, %(today)s) END",
            "archived_on": "CASE WHEN s.state = 'archived' THEN LEAST(s.clue + 50 + s.lag, %(today)s) END",
            "is_major": "mod(s.g, 40) = 0", "review_status": "CASE WHEN mod(s.g, 80) <> 0 THEN 'pass' ELSE '' END",
            "collective_discussion_on": f"CASE WHEN {decided} AND mod(s.g, 3) <> 0 THEN LEAST(s.clue + 12 + s.lag, %(today)s) END",
            "collected_on_spot_on": "CASE WHEN mod(s.g, 500) = 0 THEN %(today)s - 5 END",
            "next_due": "CASE WHEN s.state NOT IN ('closed','archived') THEN %(today)s + s.due END",
            "next_due_kind": "CASE WHEN s.state NOT IN ('closed','archived') "
                             "THEN (ARRAY['decision','filing','service','payment'])[1 + mod(s.g, 4)] ELSE '' END",
        }
        columns, exprs, params = fill_columns(Case, given)
        named = {f"p{i}": v for i, v in enumerate(params)}
        marks = iter(range(len(params)))
        select = ", ".join(f"%(p{next(marks)})s" if e == "%s" else e for e in exprs)
        cursor.execute(f"""
            INSERT INTO {case_t} ({", ".join(columns)})
            SELECT {select} FROM (
                SELECT g, {states}[1 + mod(g, 7)] AS state,
                       %(first)s::date + floor(random() * %(span)s)::int AS clue,
                       floor(%(pairs)s * power(random(), 2.5))::int AS k,
                       floor(random() * 80)::int AS lag, floor(random() * 100)::int - 20 AS due,
                       CASE WHEN mod(g, 200) <> 0 THEN (40 + floor(random() * 21)) * 100
                            WHEN random() < .5 THEN 500 ELSE 30000 END::numeric AS amount
                FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) g) s
            JOIN bench_pairs p ON p.k = s.k""",
                       {**named, "today": today, "first": first, "span": span, "pairs": pairs,
                        "lo": floor + 1, "hi": floor + n})
        given_d = {"case_id": "c.id", "outcome": "'penalty'", "kinds": "'[\"fine\"]'::jsonb", "amount": "c.decision_amount",
                   "decided_on": "c.decided_on",
                   "reasoning": "CASE WHEN mod(c.id, 300) <> 0 THEN '当事人违法事实清楚，情节一般，依照裁量基准第二档予以处罚。' ELSE '' END",
                   "benchmark_low": "1000", "benchmark_high": "10000"}
        columns, exprs, params = fill_columns(Decision, given_d)
        select = ", ".join(exprs)
        cursor.execute(f"INSERT INTO {dec_t} ({', '.join(columns)}) SELECT {select} FROM {case_t} c "
                       f"WHERE c.id > %s AND c.decided_on IS NOT NULL", [*params, floor])
        cursor.execute(f"""INSERT INTO {link_t} (case_id, officer_id)
            SELECT c.id, o.ids[1 + mod(c.id, array_length(o.ids, 1))] FROM {case_t} c JOIN bench_officers o USING (body_id)
            WHERE c.id > %s
            UNION ALL
            SELECT c.id, o.ids[1 + mod((c.id + 1), array_length(o.ids, 1))] FROM {case_t} c JOIN bench_officers o USING (body_id)
            WHERE c.id > %s AND mod(c.id, 97) <> 0""", [floor, floor])
        cursor.execute(f"SELECT count(*) FROM {case_t}")
        total = cursor.fetchone()[0]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {case_t}; ANALYZE {dec_t}; ANALYZE {link_t}")
    return total


def aggregate_only(n: int, today: dt.date, *, years: int = 5, seed: float = 0.19) -> int:
    """Replace the aggregates with those of ``n`` synthetic cases (same shapes as
    ``generate_cases``: filed over five years, 4 in 7 decided with a fine, 2 in 7 closed), summed
    in SQL straight into ``StatDaily`` and rolled up into the monthly and yearly tables; the cases
    table and ``StatFact`` are not written (the dashboard reads neither). Returns the daily rows.
    ``zhifa refresh-statistics --full`` puts the real aggregates back."""
    from django.db import connection, transaction

    from zhifa.registry.models import Body, Jurisdiction
    from zhifa.supervision.models_statistics import StatBodyMonthly, StatBodyYearly, StatDaily, StatMonthly, StatYearly

    first = today.replace(month=1, day=1).replace(year=today.year - years + 1)
    span = (today - first).days
    daily = StatDaily._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        pairs = _pairs_table(cursor)
        cursor.execute("SELECT setseed(%s)", [seed])
        cursor.execute("SET LOCAL work_mem = '256MB'")  # the grouping of ~20 million facts stays in memory
        for model in (StatDaily, StatMonthly, StatBodyMonthly, StatYearly, StatBodyYearly):
            cursor.execute(f"TRUNCATE {model._meta.db_table}")
        cursor.execute(f"""
            INSERT INTO {daily} (body_id, item_id, level, day, measure, count, amount)
            SELECT f.body_id, f.item_id, j.level, f.day, f.measure, count(*), sum(f.amount)
            FROM (
                SELECT s.body_id, s.item_id, m.day, m.measure, m.amount
                FROM (SELECT p.body_id, p.item_id, r.st, r.filed, r.lag, r.fine
                      FROM (SELECT mod(g, 7) AS st, %(first)s::date + floor(random() * %(span)s)::int AS filed,
                                   floor(random() * 80)::int AS lag, (40 + floor(random() * 21)) * 100 AS fine,
                                   floor(%(pairs)s * power(random(), 2.5))::int AS k
                            FROM generate_series(1, %(n)s) g) r
                      JOIN bench_pairs p ON p.k = r.k) s
                CROSS JOIN LATERAL (VALUES
                    ('cases_filed', s.filed, 0::numeric, s.st <> 0),
                    ('penalties', LEAST(s.filed + 10 + s.lag, %(today)s), s.fine::numeric, s.st >= 3),
                    ('cases_closed', LEAST(s.filed + 35 + s.lag, %(today)s), 0::numeric, s.st >= 5)
                ) AS m(measure, day, amount, present)
                WHERE m.present) f
            JOIN {Body._meta.db_table} b ON b.id = f.body_id
            JOIN {Jurisdiction._meta.db_table} j ON j.id = b.jurisdiction_id
            GROUP BY 1, 2, 3, 4, 5""", {"first": first, "span": span, "n": n, "pairs": pairs, "today": today})
        for model, date, item in ((StatMonthly, "month", True), (StatBodyMonthly, "month", False),
                                  (StatYearly, "year", True), (StatBodyYearly, "year", False)):
            keys = "body_id, item_id, level" if item else "body_id, level"
            cursor.execute(f"""INSERT INTO {model._meta.db_table} ({keys}, {date}, measure, count, amount)
                SELECT {keys}, date_trunc('{date}', day)::date, measure, sum(count), sum(amount) FROM {daily}
                GROUP BY {keys}, date_trunc('{date}', day)::date, measure""")
        cursor.execute(f"SELECT count(*) FROM {daily}")
        rows = cursor.fetchone()[0]
    with connection.cursor() as cursor:
        for model in (StatDaily, StatMonthly, StatBodyMonthly, StatYearly, StatBodyYearly):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    return rows
