"""One pass over the register (检查对象名录库) in credit code order: the candidates section of a
frozen list, the candidates' entity ids and the codes of the entities it names. On PostgreSQL the
database builds the bytes (``string_agg``), sent in binary format: no Python object per entity."""
from __future__ import annotations

import json
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Case, Q, QuerySet, Value, When

from .. import bulk, rules
from ..models import Entity

# Sorts of half a million codes in memory, not on disk. No JIT: compiling costs 0.1–0.3 s, more
# than these one-pass queries can gain, and the planner decides on estimates that a table a draw
# has just filled makes wrong.
DRAW_SETTINGS = ("SET LOCAL work_mem = '128MB'", "SET LOCAL jit = off")


@dataclass
class Scan:
    """One pass over the entities in scope, in credit code order: the candidates section
    (``rules.candidate_block``), its line count, the candidates' entity ids in the same order
    (``FrozenList.candidate_ids``) and the credit codes of the ``named`` entities."""

    block: bytes
    count: int
    ids: bytes
    codes: dict[int, str]
    gone: list[int] | None = None  # taken from a register snapshot: the positions left out of it


def scan(qs: QuerySet[Entity], weight: int, excluded: set[int], named: set[int], scoped: bool,
          parallel: bool = False) -> Scan:
    """The candidates (the entities of ``qs`` less ``excluded``) and the codes of ``named`` (the
    excluded and recused entities, named by code in the frozen list) in one pass. On PostgreSQL
    the database writes the section and the ids (``string_agg`` in the unique index's order —
    byte order, the column's ``"C"`` collation) and sends them in binary format: no Python object
    per candidate; the two sets are hashed array parameters. With ``parallel`` (the transaction
    has written nothing yet) a large unscoped register is read in two halves at once, the upper
    one on a twin connection with this transaction's snapshot: half the time on two cores."""
    if weight > 1:
        qs = qs.annotate(w=Case(When(Q(is_abnormal=True) | Q(complaint_count__gt=0), then=Value(weight)), default=Value(1)))
    else:
        qs = qs.annotate(w=Value(1))
    rows = qs.order_by("credit_code").values_list("credit_code", "w", "pk")
    if not bulk.is_postgres():
        rows = list(rows.iterator(chunk_size=20000))
        kept = [(code, w, pk) for code, w, pk in rows if pk not in excluded]
        return Scan(rules.candidate_block(rules.Candidate(code, w) for code, w, _ in kept), len(kept),
                     b"".join(pk.to_bytes(8, "big") for _, _, pk in kept), {pk: code for code, _, pk in rows if pk in named})
    # The whole register is read in index order; a scope may keep few rows: the planner chooses.
    session = ["SET LOCAL max_parallel_workers_per_gather = 0", f"SET LOCAL enable_sort = {'on' if scoped else 'off'}"]
    with connection.cursor() as cursor:
        for statement in session:
            cursor.execute(statement)
    # the two sets as texts: psycopg would adapt a list of 150,000 numbers one by one in Python
    sets = [",".join(map(str, excluded)), ",".join(map(str, named))]
    middle = middle_code() if parallel and not scoped else None
    parts = None
    if middle is not None:
        parts = bulk.fetch_binary_pair(scan_statement(rows.filter(credit_code__lt=middle), weight, sets),
                                       scan_statement(rows.filter(credit_code__gte=middle), weight, sets),
                                       settings=[*DRAW_SETTINGS, *session])
    if parts is None:
        parts = [bulk.fetch_binary(*scan_statement(rows, weight, sets))]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = on")
    names = ";".join(part[3] for part in parts if part[3])
    codes = {int(pk): code for pk, code in (pair.split(",") for pair in names.split(";"))} if names else {}
    return Scan("".join(part[1] or "" for part in parts).encode(), sum(part[0] for part in parts),
                 b"".join(part[2] or b"" for part in parts), codes)


def scan_statement(rows: QuerySet, weight: int, sets: list[str]) -> tuple[str, list]:
    """The one-row statement of ``scan`` over ``rows`` (code, weight, id in code order): the count,
    the candidates section, their ids, and ``id,code`` of the named, aggregated straight from the
    ordered rows when the plan guarantees their order (``fed_in_code_order``)."""
    sql, params = rows.query.sql_with_params()

    def statement(order: str) -> str:  # concatenated, not formatted: the ORM's SQL may hold braces
        # One concatenation per line: its ending is one of two constants.
        return (
            "SELECT count(*) FILTER (WHERE NOT s.ex), "
            "string_agg(s.code || CASE WHEN s.w = 1 THEN E',1\\n' ELSE %s END, ''" + order + ") FILTER (WHERE NOT s.ex), "
            "string_agg(int8send(s.id), ''::bytea" + order + ") FILTER (WHERE NOT s.ex), "
            "string_agg(s.id || ',' || s.code, ';') FILTER (WHERE s.named) "
            "FROM (SELECT q.*, q.id = ANY(string_to_array(%s, ',')::bigint[]) AS ex, q.id = ANY(string_to_array(%s, ',')::bigint[]) AS named "
            "FROM (" + sql + ") AS q (code, w, id)) AS s"
        )

    params = [f",{weight}\n", *sets, *params]
    return statement("" if fed_in_code_order(statement(""), params) else " ORDER BY s.code"), params


def middle_code() -> str | None:
    """The middle credit code of the register by the planner's statistics (the histogram of
    ``pg_stats``), where the register is large enough to be worth two connections
    (``ZHIFA["DRAW_PARALLEL_MIN_ENTITIES"]``); ``None`` otherwise or without statistics."""
    (rows, bounds) = bulk.fetch_binary(
        "SELECT c.reltuples, s.histogram_bounds::text::text[] FROM pg_class c LEFT JOIN pg_stats s "
        "ON s.schemaname = current_schema() AND s.tablename = c.relname AND s.attname = 'credit_code' "
        "WHERE c.oid = %s::regclass", [Entity._meta.db_table])
    if not bounds or rows < settings.ZHIFA["DRAW_PARALLEL_MIN_ENTITIES"]:
        return None
    return bounds[len(bounds) // 2]


ORDER_KEEPING = {"Subquery Scan", "Result"}


def fed_in_code_order(sql: str, params: list) -> bool:
    """Whether the plan of ``sql`` feeds its aggregate straight from a forward scan of the credit
    code index, or from a sort by credit code, through nodes that keep order only. PostgreSQL
    documents that an aggregate fed by a sorted subquery with no further processing (no join)
    gets its input in that order; the plan shows that this is the case here. Otherwise the
    aggregates sort their input themselves (``ORDER BY`` in the call: always right, slower).
    One planning pass, no execution: cheaper than checking five million lines afterwards."""
    (plan,) = bulk.fetch_binary(f"EXPLAIN (FORMAT JSON) {sql}", params)
    node = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
    if node.get("Node Type") != "Aggregate" or node.get("Strategy") != "Plain":
        return False
    node = node["Plans"][0]
    while node.get("Node Type") in ORDER_KEEPING and len(node.get("Plans", ())) == 1:
        node = node["Plans"][0]
    if node.get("Node Type") == "Sort":
        return [key.replace(" COLLATE \"C\"", "").rsplit(".", 1)[-1] for key in node.get("Sort Key", [])][:1] == ["credit_code"]
    return (node.get("Node Type") in ("Index Scan", "Index Only Scan") and node.get("Scan Direction") == "Forward"
            and node.get("Index Name") == "inspections_entity_credit_code_unique")
