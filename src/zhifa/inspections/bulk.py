"""Fast bulk writes (批量写入): ``COPY`` on PostgreSQL (psycopg 3 ``cursor.copy()``), batched
``INSERT`` elsewhere. Used by the entity importer, the draw (tens of thousands of inspections at a
time) and the demo."""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterable, Sequence

from django.db import connection


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES) if ("\\" in value or "\t" in value or "\n" in value or "\r" in value) else value
    return str(value)


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence], *, chunk: int = 20000) -> int:
    """``COPY table (columns) FROM STDIN`` the rows (PostgreSQL only), formatted in Python into
    large text blocks (much faster than one ``write_row`` call per row); returns the row count."""
    n = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        cols = ", ".join(f'"{c}"' for c in columns)
        with raw.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
            block: list[str] = []
            for row in rows:
                block.append("\t".join(map(_text, row)))
                n += 1
                if len(block) >= chunk:
                    copy.write("\n".join(block) + "\n")
                    block = []
            if block:
                copy.write("\n".join(block) + "\n")
    return n


def insert_rows(model, columns: Sequence[str], rows: Iterable[Sequence], *, batch_size: int = 2000) -> int:
    """Insert plain rows into ``model``'s table: COPY on PostgreSQL, ``executemany`` elsewhere."""
    table = model._meta.db_table
    if is_postgres():
        return copy_rows(table, columns, rows)
    rows = list(rows)
    if not rows:
        return 0
    cols = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            cursor.executemany(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', rows[start:start + batch_size])
    return len(rows)


def fetch_binary(sql: str, params: Sequence) -> tuple:
    """The one row ``sql`` selects, in binary format (PostgreSQL; Django's cursor would bring a
    ``bytea`` as hex text, twice the bytes to send and decode). ``bytea`` values come as bytes."""
    import psycopg

    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        return _row(cursor, sql, params)


def _row(cursor, sql: str, params: Sequence) -> tuple:
    cursor.execute(sql, params, binary=True)
    row = cursor.fetchone()
    if row is None:
        raise LookupError(sql)
    return tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)


def snapshot_shareable() -> bool:
    """Whether a second connection can read exactly what the current transaction reads: on
    PostgreSQL, outside any savepoint (a subtransaction cannot export its snapshot) and before the
    transaction has written or locked anything (the server assigns it an id on its first write)."""
    if not is_postgres() or any(connection.savepoint_ids):
        return False
    (assigned,) = fetch_binary("SELECT pg_current_xact_id_if_assigned() IS NOT NULL", [])
    return not assigned


def fetch_binary_pair(first: tuple[str, Sequence], second: tuple[str, Sequence],
                      settings: Sequence[str] = ()) -> tuple[tuple, tuple] | None:
    """The rows of two read-only statements run at the same time (on two cores): ``first`` on this
    connection, ``second`` on a twin connection that imports this transaction's snapshot
    (``pg_export_snapshot``, ``SET TRANSACTION SNAPSHOT``) after running ``settings`` (``SET``
    statements). The twin sees exactly what this transaction sees only if it has written nothing
    (``snapshot_shareable``): the caller checks. ``None`` when no twin can be opened (too many
    connections, a pooler that refuses snapshots…): the caller then runs them one after another."""
    import threading

    import psycopg
    import psycopg.sql

    (snapshot,) = fetch_binary("SELECT pg_export_snapshot()", [])
    twin = None
    try:
        # autocommit: psycopg then sends no BEGIN of its own before ours
        twin = psycopg.connect(**{**connection.get_connection_params(), "autocommit": True})
        twin.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        twin.execute(psycopg.sql.SQL("SET TRANSACTION SNAPSHOT {}").format(psycopg.sql.Literal(snapshot)))
        for statement in settings:
            twin.execute(statement)
    except psycopg.Error:
        if twin is not None:
            twin.close()
        return None
    results: dict[str, tuple | BaseException] = {}

    def run_second() -> None:
        try:
            with psycopg.Cursor(twin) as cursor:
                results["second"] = _row(cursor, *second)
        except BaseException as exc:  # raised in the caller's thread below
            results["second"] = exc

    worker = threading.Thread(target=run_second, name="zhifa-twin-scan")
    worker.start()
    try:
        with psycopg.Cursor(connection.connection) as cursor:
            results["first"] = _row(cursor, *first)
    finally:
        worker.join()
        twin.close()
    if isinstance(results["second"], BaseException):
        raise results["second"]
    return results["first"], results["second"]


def execute_binary(sql: str, params: Sequence) -> None:
    """Run ``sql`` with its ``bytes`` parameters sent in binary format (PostgreSQL; Django binds
    parameters into the statement text, a ``bytea`` of ten megabytes as twenty of hex to parse)."""
    import psycopg

    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params)


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector (also as a decorator). A draw makes a few hundred
    thousand short-lived tuples and lists, none in a cycle; left on, the collector runs full
    passes over every object of the process in the middle of it (tens of milliseconds each).
    Reference counting still frees everything at once; the collector resumes afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
