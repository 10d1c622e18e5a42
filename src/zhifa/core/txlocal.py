"""Values kept for the current database transaction only (事务内缓存): the calendar stamp
(``workdays``) and the heads of the record streams an act appends to (``ledger``).

A value set inside a transaction is seen by the rest of that transaction and by nothing after it.
When a transaction keeps a value, a no-op token is registered with ``on_commit``, and the value
holds the token only weakly: while the token lives — it is among the connection's pending on-commit
callbacks — the transaction that kept the value is the one running. COMMIT runs and clears the
callbacks; ROLLBACK (of the transaction, or of the savepoint the value was kept in) drops them:
either way the token is freed and the value is gone. Reading and setting cost no query and no scan
of the callbacks (a loader appending 100,000 entries in one transaction stays linear). Outside any
transaction (autocommit) nothing is kept.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

__all__ = ["TransactionLocal", "current_transaction"]

_MISSING = object()


class _Token:
    __slots__ = ("__weakref__",)

    def __call__(self) -> None:
        pass


@dataclass(frozen=True)
class _Held:
    transaction: tuple
    token: weakref.ref  # to the _Token among the pending on-commit callbacks: dead once they are dropped
    value: Any


def current_transaction(conn) -> tuple | None:
    """The transaction the caller runs in: its outermost ``atomic`` block that is not a test
    case's wrapper — ``(0, None)`` for a real transaction, ``(depth, savepoint id)`` for an atomic
    block inside a test's wrapping transaction — or None outside any (autocommit: nothing held)."""
    for depth, block in enumerate(conn.atomic_blocks):
        if getattr(block, "_from_testcase", False):
            continue
        if depth == 0:
            return (0, None)
        sid = conn.savepoint_ids[depth - 1] if depth - 1 < len(conn.savepoint_ids) else None
        return (depth, sid) if sid is not None else None
    return None


class TransactionLocal:
    """One value per connection, valid for the transaction that set it."""

    def __init__(self) -> None:
        self._held: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # connection → _Held (per thread)

    def get(self, default: Any = None) -> Any:
        conn = connections[DEFAULT_DB_ALIAS]
        held = self._held.get(conn, _MISSING)
        if held is _MISSING or held.transaction != current_transaction(conn):
            return default
        if held.token() is None:
            return default
        return held.value

    def set(self, value: Any) -> bool:
        """Keep ``value`` for the current transaction; False (nothing kept) outside one."""
        conn = connections[DEFAULT_DB_ALIAS]
        current = current_transaction(conn)
        if current is None:
            return False
        token = _Token()  # a new token each time: a rollback of the savepoint it is set in drops the value
        conn.on_commit(token, robust=True)
        self._held[conn] = _Held(current, weakref.ref(token), value)
        return True
