"""Import jobs (导入任务): an import started from the page or the API runs in the background
and reports its progress, so that half a million rows never hold a request open.

``submit`` streams the upload to the media storage (``imports/YYYY/MM/…``, the storage of case
evidence) while computing its SHA-256, records an ``ImportJob`` and starts it:

- ``ZHIFA["IMPORT_RUNNER"] = "thread"`` (the default): in a daemon thread of the web process,
  started once the job row is committed. The import runs in that thread (``run_import`` with a
  progress callback that only keeps the figures in memory: the import may be inside its own
  transaction or in the middle of a ``COPY`` on its connection); a second thread writes the
  figures to the job row at most every ``FLUSH_SECONDS`` (and a heartbeat every
  ``HEARTBEAT_SECONDS``) on its own connection. Both threads close their connections at the end.
- ``"inline"``: the import runs at once in the caller (tests: deterministic, one database
  connection); only the final state is written. The setting (environment ``ZHIFA_IMPORT_RUNNER``)
  defaults to ``"inline"`` under ``ZHIFA_TESTING=1`` and to ``"thread"`` otherwise.

A job never stays running forever: every failure is caught and recorded with a Chinese message
(``status = failed``), and ``fail_stale`` (called whenever jobs are read) marks failed a queued
or running job whose heartbeat is older than ``ZHIFA["IMPORT_STALE_MINUTES"]`` (10) — its
process was restarted or killed — unless its thread is alive in this process. The import itself
is all or nothing (``core.importing``), so a lost run wrote nothing.

This module knows no other app: who may import what is decided by the caller (the registry's
``import_jobs``), which hands ``submit`` the actor that the importers check again.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import time
from typing import Any, Mapping

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils.text import get_valid_filename

from zhifa.core import clock
from zhifa.core.importing import PHASE_READ, PHASE_WRITE, ImportResult, get_importer, run_import
from zhifa.core.models import ImportJob

logger = logging.getLogger(__name__)

STORAGE_DIR = "imports"
#: Row errors kept in a job's result (the count of all of them is kept too).
MAX_ERRORS = 1000
#: Progress is written to the job row at most this often …
FLUSH_SECONDS = 0.5
#: … and the heartbeat at least this often while the job runs.
HEARTBEAT_SECONDS = 5.0
CHUNK = 1 << 20

#: Threads of the jobs running in this process: ``job id → thread``.
_LIVE: dict[int, threading.Thread] = {}
_LIVE_LOCK = threading.Lock()


def runner() -> str:
    """``"thread"`` or ``"inline"`` (``ZHIFA["IMPORT_RUNNER"]``, see the module docstring); any
    other value runs a thread, the safe choice for a web process."""
    return "inline" if settings.ZHIFA["IMPORT_RUNNER"] == "inline" else "thread"


def stale_minutes() -> float:
    """``ZHIFA["IMPORT_STALE_MINUTES"]`` (10): a job silent for longer has lost its process."""
    return float(settings.ZHIFA["IMPORT_STALE_MINUTES"])


def max_upload_bytes() -> int:
    """The largest file the page and the API accept (``ZHIFA["IMPORT_MAX_MB"]``, 200 MB)."""
    return int(settings.ZHIFA["IMPORT_MAX_MB"]) * 1024 * 1024


# --- Submitting ------------------------------------------------------------------------------

def submit(*, kind: str, upload, body_code: str = "", dry_run: bool = True, user=None, actor: Any = None,
           options: Mapping[str, Any] | None = None) -> ImportJob:
    """Store ``upload`` (a Django ``UploadedFile`` or any file object with ``name`` and
    ``chunks()``/``read()``) and start importing it as ``kind``. Returns the job (queued, or
    already finished with the inline runner). ``actor`` is handed to the importer, which checks
    it; permission to import at all is the caller's business. Raises ``ValueError`` for an
    unknown kind."""
    spec = get_importer(kind)
    if spec is None:
        raise ValueError(f"未知的导入类型「{kind}」")
    filename = (getattr(upload, "name", "") or "upload").replace("\\", "/").rsplit("/", 1)[-1][:200] or "upload"
    digest, size = hashlib.sha256(), 0
    chunks = upload.chunks(CHUNK) if hasattr(upload, "chunks") else iter(lambda: upload.read(CHUNK), b"")
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    sha256 = digest.hexdigest()
    now = clock.now()
    safe = get_valid_filename(filename) or "upload"
    stored = default_storage.save(f"{STORAGE_DIR}/{now:%Y/%m}/{sha256[:12]}-{safe}", upload)
    try:
        job = ImportJob.objects.create(
            kind=kind, label=spec.label, filename=filename, stored_name=stored, size=size, sha256=sha256,
            body_code=body_code or "", dry_run=dry_run, created_by=user if getattr(user, "pk", None) else None,
            created_at=now, heartbeat_at=now,
        )
    except BaseException:
        default_storage.delete(stored)
        raise
    start(job, actor, options)
    return job


def resubmit(job: ImportJob, *, dry_run: bool, user=None, actor: Any = None, options: Mapping[str, Any] | None = None) -> ImportJob:
    """The same stored file again (e.g. for real after a clean dry run): a new job."""
    now = clock.now()
    again = ImportJob.objects.create(
        kind=job.kind, label=job.label, filename=job.filename, stored_name=job.stored_name, size=job.size,
        sha256=job.sha256, body_code=job.body_code, dry_run=dry_run, created_by=user if getattr(user, "pk", None) else None,
        created_at=now, heartbeat_at=now,
    )
    start(again, actor, options)
    return again


def start(job: ImportJob, actor: Any = None, options: Mapping[str, Any] | None = None) -> None:
    """Run ``job`` with the configured runner."""
    if runner() == "inline":
        run_job(job.pk, actor=actor, options=options)
        job.refresh_from_db()
        return
    transaction.on_commit(lambda: _spawn(job.pk, actor, options))


def _spawn(job_id: int, actor: Any, options) -> None:
    thread = threading.Thread(target=_thread_main, args=(job_id, actor, options), name=f"zhifa-import-{job_id}", daemon=True)
    with _LIVE_LOCK:
        _LIVE[job_id] = thread
    thread.start()


def _thread_main(job_id: int, actor: Any, options) -> None:
    try:
        run_job(job_id, actor=actor, options=options, background=True)
    finally:
        with _LIVE_LOCK:
            _LIVE.pop(job_id, None)
        connection.close()


# --- Running -----------------------------------------------------------------------------------

class _Tracker:
    """The progress callback of a running job: keeps the figures in memory (cheap, no database);
    with ``background`` a thread of its own writes them to the job row (its own connection)."""

    def __init__(self, job_id: int, background: bool):
        self.job_id = job_id
        self.state: tuple[int, int | None, str] = (0, None, PHASE_READ)
        self.started = time.perf_counter()
        self._written: tuple | None = None
        self._written_at = 0.0
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._flushed = threading.Event()
        self._thread = None
        if background:
            self._thread = threading.Thread(target=self._loop, name=f"zhifa-import-{job_id}-progress", daemon=True)
            self._thread.start()

    def __call__(self, done: int, total: int | None, phase: str) -> None:
        previous = self.state[2]
        self.state = (done, total, phase)
        if phase == PHASE_WRITE and previous != PHASE_WRITE and self._thread is not None:
            # Show 写入 before the import takes its write lock (SQLite: no progress is written then).
            self._flushed.clear()
            self._wake.set()
            self._flushed.wait(FLUSH_SECONDS)

    @property
    def seconds(self) -> float:
        return round(time.perf_counter() - self.started, 3)

    def _loop(self) -> None:
        try:
            if connection.vendor == "sqlite":
                # one writer at a time: never wait long behind the import's own transaction
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA busy_timeout = 200")
            while True:
                self._wake.wait(FLUSH_SECONDS)
                self._wake.clear()
                if self._stop.is_set():
                    break
                self.flush()
                self._flushed.set()
        except Exception:  # progress is best effort; the job's outcome is written by the runner
            logger.warning("导入任务 %s：写入进度失败", self.job_id, exc_info=True)
        finally:
            connection.close()

    def flush(self) -> None:
        state = self.state
        now = time.monotonic()
        if state == self._written and now - self._written_at < HEARTBEAT_SECONDS:
            return
        done, total, phase = state
        try:
            ImportJob.objects.filter(pk=self.job_id, status=ImportJob.Status.RUNNING).update(
                done_rows=done, total_rows=total, phase=phase, seconds=self.seconds, heartbeat_at=clock.now())
        except DatabaseError:
            return  # locked (SQLite while the import writes): next time
        self._written, self._written_at = state, now

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)


def result_data(result: ImportResult) -> dict:
    """What a job keeps of an ``ImportResult``: the counts, the first ``MAX_ERRORS`` row errors
    and inferences (warnings), and how many there were."""
    errors = result.errors
    return {
        "ok": result.ok, "dry_run": result.dry_run, "written": result.written, "total_rows": result.total_rows,
        "created": result.created, "updated": result.updated, "skipped": result.skipped,
        "error_count": len(errors), "errors": [e.as_dict() for e in errors[:MAX_ERRORS]],
        "errors_truncated": len(errors) > MAX_ERRORS, "summary": result.summary(),
        "warning_count": len(result.warnings), "warnings": [w.as_dict() for w in result.warnings[:MAX_ERRORS]],
    }


def run_job(job_id: int, *, actor: Any = None, options: Mapping[str, Any] | None = None, background: bool = False) -> None:
    """Run a queued job to its end (done or failed); never raises. A job no longer queued (taken
    by another runner, or marked failed) is left alone."""
    now = clock.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, phase=PHASE_READ, started_at=now, heartbeat_at=now)
    if not claimed:
        return
    tracker = _Tracker(job_id, background)
    try:
        job = ImportJob.objects.get(pk=job_id)
        try:
            with default_storage.open(job.stored_name, "rb") as f:
                data = f.read()
        except OSError:
            _finish_failed(job_id, tracker, "上传的文件已不在存储中，无法导入；请重新上传。")
            return
        result = run_import(job.kind, data, job.filename, body_code=job.body_code or None, dry_run=job.dry_run,
                            actor=actor, options=options, progress=tracker)
        del data
        tracker.stop()
        done, total, phase = tracker.state
        _record(job_id, status=ImportJob.Status.DONE, phase=phase, done_rows=done, total_rows=total, seconds=tracker.seconds,
                result=result_data(result), finished_at=clock.now(), heartbeat_at=clock.now(), message="")
    except BaseException as exc:  # noqa: BLE001 — a job must end, whatever happened
        logger.exception("导入任务 %s 失败", job_id)
        if background:
            connection.close()  # a broken connection must not prevent recording the failure
        _finish_failed(job_id, tracker, f"导入失败（程序错误 {exc.__class__.__name__}：{exc}），未导入任何数据。")
        if not isinstance(exc, Exception):
            raise


def _finish_failed(job_id: int, tracker: _Tracker, message: str) -> None:
    tracker.stop()
    try:
        _record(job_id, status=ImportJob.Status.FAILED, message=message[:2000], seconds=tracker.seconds, finished_at=clock.now())
    except DatabaseError:
        logger.exception("导入任务 %s：无法记录失败", job_id)


def _record(job_id: int, attempts: int = 5, **fields) -> None:
    """Write the outcome of a job, trying again a few times when the database is busy (SQLite's
    one writer); the last failure propagates."""
    for attempt in range(1, attempts + 1):
        try:
            ImportJob.objects.filter(pk=job_id).update(**fields)
            return
        except OperationalError:
            if attempt == attempts or connection.in_atomic_block:
                raise
            time.sleep(0.2 * attempt)


# --- Reading -------------------------------------------------------------------------------------

STALE_MESSAGE = "导入任务中断（服务重启或进程退出），未能完成，未导入任何数据；请重新提交。"


def fail_stale(now: dt.datetime | None = None) -> int:
    """Mark failed every queued or running job whose heartbeat is older than
    ``stale_minutes()`` and whose thread is not alive in this process; returns how many."""
    now = now or clock.now()
    limit = now - dt.timedelta(minutes=stale_minutes())
    with _LIVE_LOCK:
        live = [pk for pk, thread in _LIVE.items() if thread.is_alive()]
    unfinished = (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
    stale = ImportJob.objects.filter(status__in=unfinished).filter(
        Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, created_at__lt=limit))
    if live:
        stale = stale.exclude(pk__in=live)
    # Read first, write only when there is something to mark: an UPDATE takes SQLite's write lock,
    # which a large import holds while it writes (a page polling every second must not wait).
    ids = list(stale.values_list("pk", flat=True)[:1000])
    if not ids:
        return 0
    return ImportJob.objects.filter(pk__in=ids, status__in=unfinished).update(
        status=ImportJob.Status.FAILED, message=STALE_MESSAGE, finished_at=now)


def is_live(job_id: int) -> bool:
    """Whether the thread of ``job_id`` runs in this process."""
    with _LIVE_LOCK:
        thread = _LIVE.get(job_id)
    return thread is not None and thread.is_alive()


def wait(job_id: int, timeout: float = 30.0) -> ImportJob:
    """The job once it has finished (or when ``timeout`` seconds have passed): for tests and scripts.
    A job running in this process is waited for by joining its thread (no polling)."""
    deadline = time.monotonic() + timeout
    with _LIVE_LOCK:
        thread = _LIVE.get(job_id)
    if thread is not None:
        thread.join(timeout)
    while True:
        job = ImportJob.objects.get(pk=job_id)
        if job.finished or time.monotonic() >= deadline:
            return job
        time.sleep(0.05)


__all__ = ["MAX_ERRORS", "STALE_MESSAGE", "fail_stale", "is_live", "max_upload_bytes", "resubmit", "result_data",
           "run_job", "runner", "stale_minutes", "submit", "wait"]
