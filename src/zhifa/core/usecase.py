"""Use cases (用例): the one shape of every public service function, and the check that every
write leaves a record (architecture.md, "services/").

Every public function of a ``services`` module is decorated:

- ``@use_case`` — a change of state. When ``settings.ZHIFA["CHECK_RECORDS"]`` is on (the test
  suites turn it on), the SQL it runs is watched: if it inserts, updates or deletes anything and
  appends no full-process record entry (``core_recordentry``), ``UnrecordedWrite`` is raised.
  Supervision reads records, so a write that leaves none is a bug, found by the whole suite.
- ``@use_case(derived=True)`` — a write of data derived from what is already recorded (a cache
  of deadlines recomputed after a holiday change, a register snapshot, a rendered file): the
  facts it derives from carry the record, so it records nothing itself. Keep these few.
- ``@query`` — reads only (a service module's public read helper kept for its callers);
  watched the same way, it must not write at all.

``tests/core/test_usecase.py`` walks every public function of every ``services`` module and
fails if one carries none of these marks, so the check cannot be forgotten.

Only the outermost decorated call watches: a use case that calls another is checked as a whole.
"""
from __future__ import annotations

import contextvars
import functools
from dataclasses import dataclass, field
from typing import Callable, TypeVar

from django.conf import settings
from django.db import connections

F = TypeVar("F", bound=Callable)

RECORD_TABLE = "core_recordentry"
# Operational tables whose rows are not acts: the session of a login, and an import job's
# queue/progress row (the import itself records one entry per run, core/importing/running.py).
OPERATIONAL_TABLES = ("django_session", "core_usersession", "core_importjob")
_WRITES = ("INSERT", "UPDATE", "DELETE", "COPY")


class UnrecordedWrite(AssertionError):
    """A use case wrote to the database without appending a full-process record entry."""


@dataclass
class _Watch:
    name: str
    kind: str
    writes: list[str] = field(default_factory=list)
    recorded: bool = False

    def __call__(self, execute, sql, params, many, context):
        statement = sql.lstrip().lstrip("(").lstrip()
        verb = statement[:6].upper()
        if verb.startswith(_WRITES):
            if RECORD_TABLE in statement[:80]:
                self.recorded = True
            elif not any(table in statement[:120] for table in OPERATIONAL_TABLES):
                self.writes.append(statement[:120])
        return execute(sql, params, many, context)

    def verdict(self) -> str | None:
        if self.kind == "query" and (self.writes or self.recorded):
            return f"{self.name} 是查询，却写入了数据库：{(self.writes or [RECORD_TABLE])[0]}"
        if self.kind == "use_case" and self.writes and not self.recorded:
            return f"{self.name} 写入了数据库却没有写全过程记录：{self.writes[0]}"
        return None


_current: contextvars.ContextVar[_Watch | None] = contextvars.ContextVar("zhifa_use_case", default=None)


def _checking() -> bool:
    return bool(settings.ZHIFA.get("CHECK_RECORDS"))


def _mark(fn: F, kind: str) -> F:
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if _current.get() is not None or not _checking():
            return fn(*args, **kwargs)
        watch = _Watch(name, kind)
        token = _current.set(watch)
        try:
            with connections["default"].execute_wrapper(watch):
                result = fn(*args, **kwargs)
        finally:
            _current.reset(token)
        if (problem := watch.verdict()) is not None:
            raise UnrecordedWrite(problem)
        return result

    wrapper.__use_case__ = kind  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def use_case(fn: F | None = None, *, derived: bool = False):
    """Mark a service function as a use case (see the module docstring)."""
    kind = "derived" if derived else "use_case"
    if fn is None:
        return lambda f: _mark(f, kind)
    return _mark(fn, kind)


def query(fn: F) -> F:
    """Mark a service module's public function that only reads."""
    return _mark(fn, "query")


def kind_of(fn) -> str | None:
    """``"use_case"``, ``"derived"``, ``"query"`` or ``None`` for an unmarked function."""
    return getattr(fn, "__use_case__", None)
