"""Driving an import (执行导入): ``run_import`` reads the file, hands it to the registered importer,
and writes the importer's plan all or nothing — recording the run.

Every real run (not a dry run, not a refused file) appends ONE full-process record entry
(全过程记录) on the stream ``import:<kind>`` in the write's transaction: the file's name and
SHA-256, the row counts, the body and the actor. Importers never record their runs themselves.
"""
from __future__ import annotations

import hashlib
from typing import Any, Mapping

from .plans import ImporterSpec, ImportRequest, ImportResult, Plan, RowError, get_importer, importer_kinds
from .progress import PHASE_READ, PHASE_VALIDATE, PHASE_WRITE, Progress, ProgressReporter, _reporter
from .reading import ImportRejected, SpreadsheetError, read_sheets, sniff_format

RECORD_ACTION = "import"


def record_stream(kind: str) -> str:
    """The record stream of the runs of importer ``kind``: ``import:<kind>``."""
    return f"import:{kind}"


def _estimate_rows(data: bytes) -> int | None:
    """The data rows of a CSV file, counted by its line ends (an upper bound: the header and
    title lines, blank lines, quoted line breaks count too); ``None`` for other formats."""
    try:
        if not data or sniff_format(data) != "csv":
            return None
    except SpreadsheetError:
        return None
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    return max(lines - 1, 0)


def _rejected(kind: str, message: str, dry_run: bool, label: str = "") -> ImportResult:
    return ImportResult(kind=kind, errors=[RowError(0, "", message)], dry_run=dry_run, label=label)


def run_import(
    kind: str,
    data: bytes,
    filename: str,
    *,
    body_code: str | None = None,
    dry_run: bool = False,
    actor: Any = None,
    options: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a spreadsheet of ``kind`` all or nothing and say what happened.

    Every row is validated first; if any is bad nothing is written and every ``RowError`` is
    returned. Otherwise the importer writes in one transaction, which also appends the run's
    record entry (``import:<kind>``). Bad input never raises: an unknown kind, an unreadable
    file, a missing header or an unknown body come back as an ``ImportResult`` with one error at
    row 0. ``actor`` (a ``registry.access.Actor``) is checked by the importer; ``None`` means a
    trusted caller (the command line).

    ``progress``: ``callback(done_rows, total_rows_or_None, phase)``, called at the start, per
    sheet read, per chunk of rows validated (by the importer), before writing and once at the end
    with ``(n, n, PHASE_DONE)`` — see the package docstring. It runs in the importing thread,
    possibly inside the import's transaction: it must be quick and must not use the database
    connection (the job runner keeps the figures and writes them from another thread).
    """
    reporter = None
    token = None
    if progress is not None:
        reporter = ProgressReporter(progress)
        token = _reporter.set(reporter)
        reporter(0, None, PHASE_READ)
    try:
        result = _run(_Run(kind, data, filename, body_code, dry_run, actor, dict(options or {}), reporter))
    finally:
        if token is not None:
            _reporter.reset(token)
    if reporter is not None:
        reporter.finish(result.total_rows)
    return result


class _Run:
    """One call of ``run_import``: its arguments, and the steps from the file to the result."""

    def __init__(self, kind, data, filename, body_code, dry_run, actor, options, reporter):
        self.kind, self.data, self.filename, self.body_code = kind, data, filename, body_code
        self.dry_run, self.actor, self.options, self.reporter = dry_run, actor, options, reporter
        self.spec: ImporterSpec | None = None

    def rejected(self, message: str) -> ImportResult:
        return _rejected(self.kind, message, self.dry_run, self.spec.label if self.spec else "")

    def request(self) -> ImportRequest:
        """Read the file (a raw importer reads it itself) and say what the importer is handed."""
        common = dict(kind=self.kind, filename=self.filename, body_code=self.body_code, actor=self.actor,
                      options=self.options, progress=self.reporter)
        if self.spec.raw:
            if not self.data:
                raise SpreadsheetError("文件为空")
            if self.reporter is not None:
                self.reporter.estimate = _estimate_rows(self.data)
                self.reporter(0, None, PHASE_VALIDATE)
            return ImportRequest(sheets=[], data=self.data, dry_run=self.dry_run, **common)
        sheets = read_sheets(self.data, self.filename)
        if self.reporter is not None:
            self.reporter(0, sum(len(sheet.rows) for sheet in sheets), PHASE_VALIDATE)
        return ImportRequest(sheets=sheets, **common)

    def result(self, plan: Plan) -> ImportResult:
        result = ImportResult(kind=self.kind, total_rows=plan.total_rows, dry_run=self.dry_run, label=self.spec.label,
                              warnings=sorted(plan.warnings, key=lambda w: w.row))
        if plan.errors:
            result.errors = sorted(plan.errors, key=lambda e: e.row)  # stable: each row in the importer's column order
        else:
            result.created, result.updated, result.skipped = plan.created, plan.updated, plan.skipped
        return result

    def write(self, plan: Plan) -> None:
        """Inside the run's transaction: the importer's ``write`` and the run's record entry."""
        if plan.write is not None:
            if self.reporter is not None:
                self.reporter(plan.total_rows, plan.total_rows, PHASE_WRITE)
            plan.write()
        self.record(plan)

    def record(self, plan: Plan) -> None:
        """Append the run's one entry on ``import:<kind>`` (file, SHA-256, counts, body, actor)."""
        from zhifa.core import ledger

        user = getattr(self.actor, "user", self.actor)
        officer = getattr(self.actor, "officer", None)
        payload = {
            "label": self.spec.label, "file": self.filename, "sha256": hashlib.sha256(self.data).hexdigest(),
            "size": len(self.data), "body": self.body_code or "", "dry_run": False, "total_rows": plan.total_rows,
            "created": plan.created, "updated": plan.updated, "skipped": plan.skipped, "warnings": len(plan.warnings),
        }
        if self.options:
            payload["options"] = {key: value for key, value in self.options.items() if _json_safe(value)}
        ledger.append(record_stream(self.kind), RECORD_ACTION, payload, savepoint=False,  # the import fails with it
                      actor=user if getattr(user, "pk", None) else None, actor_name=getattr(officer, "name", "") or "")


def _json_safe(value) -> bool:
    import datetime as dt
    import decimal

    return value is None or isinstance(value, (str, int, float, bool, dt.date, decimal.Decimal))


def _may_write_by_itself() -> bool:
    """Whether a raw importer may write by itself (COPY while validating, PostgreSQL only). On
    SQLite it returns a ``Plan`` with ``write`` like every importer — and a transaction there
    begins IMMEDIATE (the write lock, settings.py), which must not be held while validating: the
    job's progress is written from another connection meanwhile."""
    from django.db import connection

    return connection.vendor != "sqlite"


def _run(run: _Run) -> ImportResult:
    """Find the importer, read, validate, and — on a real run of a clean file — write and record
    in one transaction. A raw importer that writes by itself (``Plan`` without ``write``) is
    called inside that transaction, so that its writes and the record commit together."""
    from django.db import DatabaseError, transaction

    run.spec = get_importer(run.kind)
    if run.spec is None:
        known = "、".join(f"{k}（{label}）" for k, label in importer_kinds())
        return _rejected(run.kind, f"未知的导入类型「{run.kind}」，可选：{known}", run.dry_run)
    if run.spec.needs_body and not run.body_code:
        return run.rejected(f"导入{run.spec.label}须指定所属执法主体（--body 主体编码）")
    try:
        if run.spec.raw and not run.dry_run and _may_write_by_itself():
            with transaction.atomic():
                plan = run.spec.importer(run.request())
                result = run.result(plan)
                if result.ok:
                    run.write(plan)
            return result
        plan = run.spec.importer(run.request())
        result = run.result(plan)
        if not result.ok or run.dry_run:
            return result
        with transaction.atomic():
            run.write(plan)
    except ImportRejected as exc:
        return run.rejected(exc.message)
    except DatabaseError as exc:
        return run.rejected(f"写入数据库失败，未导入任何数据（{exc.__class__.__name__}：{exc}）")
    return result
