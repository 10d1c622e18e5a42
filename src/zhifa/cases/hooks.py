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
