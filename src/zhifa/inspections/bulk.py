"""Fast bulk writes (批量写入): ``COPY`` on PostgreSQL (psycopg 3 ``cursor.copy()``), batched
``INSERT`` elsewhere. Used by the entity importer, the draw (tens of thousands of inspections at a
time) and the demo."""
from __future__ import annotations

from typing import Iterable, Sequence

from django.db import connection


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """``COPY table (columns) FROM STDIN`` the rows (PostgreSQL only); returns the row count."""
    n = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        cols = ", ".join(f'"{c}"' for c in columns)
        with raw.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
                n += 1
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
