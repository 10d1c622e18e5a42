"""What a higher app does inside a case act (钩子). ``cases`` may not import the apps above it
(architecture.md, layering), so an app that must act with a case registers here, once, from its
``AppConfig.ready``; the case act calls it in its own transaction, on the locked case.

- ``archive binder`` (案卷装订): archiving requires a bound case file (卷宗, R31; legal-rules §J).
  The supervision app registers the function that binds the closed case's file (or confirms that
  its latest binding is still current) and returns what the archive's record entry names: the
  file's version and binding hash. Without a binder, archiving is refused (``CASE_FILE_REQUIRED``).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zhifa.core import citations
from zhifa.core.violations import Violation
from zhifa.core.txlocal import TransactionLocal

CASE_FILE_REQUIRED = "CASE_FILE_REQUIRED"
BASIS_CASE_FILE = citations.SUPERVISION_CASE_FILES

ArchiveBinder = Callable[..., dict[str, Any]]  # binder(case, actor) -> record payload
_archive_binder: list[ArchiveBinder] = []


def register_archive_binder(binder: ArchiveBinder) -> ArchiveBinder:
    """Register the archive binder (the last registration wins: one binder)."""
    _archive_binder[:] = [binder]
    return binder


def bind_on_archive(case, actor) -> tuple[list[Violation], dict[str, Any]]:
    """The binder's record payload, or ``CASE_FILE_REQUIRED`` when no app binds case files."""
    if not _archive_binder:
        return [Violation(CASE_FILE_REQUIRED, "案卷尚未装订，不能归档。", BASIS_CASE_FILE)], {}
    return [], _archive_binder[0](case, actor)


# - ``after act`` (案件操作之后): functions called with the case's id once a case act has committed
#   (``transaction.on_commit``), e.g. supervision's per-case alert rules (预警, R33). Each must be
#   cheap (one case) and must not raise.
_after_act: list[Callable[[int], None]] = []


def register_after_act(fn: Callable[[int], None]) -> Callable[[int], None]:
    """Register a function run after every committed case act (once per function)."""
    if fn not in _after_act:
        _after_act.append(fn)
    return fn


def after_act(case_id: int) -> None:
    """Schedule the registered functions for ``case_id`` after the current transaction commits,
    once per case and transaction (a loader acting on thousands of cases in one transaction runs
    them once per case at its commit, not once per act)."""
    if not _after_act:
        return
    from django.db import transaction

    # The cases already scheduled in the running transaction (core.txlocal: gone at its commit and
    # at a rollback, of the savepoint it was last changed in too, so a stale set never hides a case).
    pending = _scheduled.get() or frozenset()
    if case_id in pending:
        return

    def run() -> None:
        for fn in _after_act:
            fn(case_id)

    transaction.on_commit(run)
    _scheduled.set(pending | {case_id})


_scheduled = TransactionLocal()  # frozenset of case ids scheduled in the running transaction
