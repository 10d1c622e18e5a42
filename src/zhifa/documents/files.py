"""Document files (文书文件) in the storage: kept only when the transaction that wrote them commits.

A document's PDF and DOCX are rendered and stored inside the transaction that issues it — often
the transaction of a case action (办案操作), which may still fail after the document service has
returned. The files are written under names unique to this attempt (the storage never overwrites:
a taken name gets a suffix), so a file that exists before the commit is referenced by no committed
row and no other attempt. Each file is tied to the transaction with ``transaction.on_commit``:

- the transaction commits → the callback runs and the file is kept;
- the transaction (or the savepoint the file was written in) rolls back → Django discards the
  callback without running it; the callback is then freed and its finalizer deletes the file at
  once (Django has no on-rollback hook: the dropped on-commit callback is that hook);
- the process dies before either → the file stays, referenced by no row; ``prune_orphans`` (run
  by ``zhifa sweep`` and ``zhifa render-documents --prune``) deletes such files once they are older
  than an hour, older than any transaction that could still commit them.

Writing under the final name inside the transaction (rather than under a temporary name moved into
place on commit) means a committed row never points at a file still waiting to be moved, a
download right after the commit always finds the file, and object storage (S3, which cannot
rename) needs no copy.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import weakref
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.conf import DEFAULT_STORAGE_ALIAS
from django.core.files.storage import Storage, storages
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from zhifa.core import orphan_files

logger = logging.getLogger(__name__)

ROOT = "documents"  # every document file lives below this folder of the default storage


@dataclass
class _Written:
    """One file written inside a transaction that has not committed yet."""

    storage: Storage
    name: str
    path: str | None  # absolute path on a local file system: deletable whatever MEDIA_ROOT says later
    committed: bool = False


class _KeepOnCommit:
    """The on-commit callback of one written file: marks it kept. Its finalizer deletes the file
    when Django drops the callback unrun (rollback of the transaction or of the savepoint)."""

    def __init__(self, written: _Written, using: str):
        self.written = written
        finalizer = weakref.finalize(self, _delete_unless_committed, written, connections[using])
        finalizer.atexit = False  # at interpreter exit the sweep decides, not a guess

    def __call__(self) -> None:
        self.written.committed = True


def _delete_unless_committed(written: _Written, connection) -> None:
    if written.committed:
        return
    if getattr(connection, "run_commit_hooks_on_set_autocommit_on", True):
        # The transaction did commit but an earlier on-commit callback raised, so ours was
        # dropped: keep the file (it is referenced); never guess towards deleting.
        return
    _delete(written)


def _delete(written: _Written) -> None:
    try:
        with contextlib.suppress(FileNotFoundError):
            if written.path is not None:
                os.remove(written.path)
            else:
                written.storage.delete(written.name)
    except Exception:  # pragma: no cover - best effort; prune_orphans catches what is left
        logger.warning("无法删除未提交事务写入的文书文件 %s", written.name, exc_info=True)


@dataclass
class TransactionFiles:
    """The files one use case writes: ``save`` stores one and ties it to the current transaction;
    ``discard`` deletes them all at once (the use case failed inside its own transaction)."""

    using: str = DEFAULT_DB_ALIAS
    written: list[_Written] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [w.name for w in self.written]

    def save(self, name: str, content: bytes) -> tuple[str, str]:
        """Store ``content`` under ``name`` (or a free variant of it): ``(stored name, SHA-256)``."""
        storage = _storage()
        stored = storage.save(name, ContentFile(content))
        try:
            path = storage.path(stored)
        except NotImplementedError:  # object storage
            path = None
        written = _Written(storage, stored, path)
        self.written.append(written)
        if connections[self.using].in_atomic_block:
            transaction.on_commit(_KeepOnCommit(written, self.using), using=self.using, robust=True)
        else:  # autocommit: nothing to roll back
            written.committed = True
        return stored, hashlib.sha256(content).hexdigest()

    def discard(self) -> None:
        for written in self.written:
            if not written.committed:
                _delete(written)


def _storage() -> Storage:
    """The default storage object itself, not the lazy ``default_storage`` proxy (which a settings
    change re-points): a later delete must reach the storage the file was written to."""
    return storages[DEFAULT_STORAGE_ALIAS]


# --- Orphans ------------------------------------------------------------------------------

def referenced_names(candidates: set[str]) -> set[str]:
    """Which of ``candidates`` a document row refers to (PDF, DOCX or their void copies).

    One streaming read of the four name columns of every row, on purpose. The candidates are every
    file under ``documents/`` older than ``min_age`` — the referenced files among them — so they
    are as many as the rows, not a few strays. Filtering by them instead (``pdf__in=chunk`` or
    ``docx__in=chunk`` … in chunks of 2,000 names) reads the same rows many times over: the name
    columns have no index, so every chunk scans the table. Measured with 100,000 documents and
    their 200,000 files: this read 0.2 s on SQLite and 0.4 s on PostgreSQL; the chunked filter
    7.4 s and 9.7 s (2.4 s and 10.3 s even with an index on each column), growing with the square
    of the volume."""
    from .models import Document

    rows = Document.objects.values_list("pdf", "docx", "void_pdf", "void_docx").iterator(chunk_size=2000)
    return orphan_files.referenced(rows, candidates) if candidates else set()


def prune_orphans(*, min_age: dt.timedelta = orphan_files.DEFAULT_MIN_AGE, now: dt.datetime | None = None, dry_run: bool = False) -> list[str]:
    """Delete the files under ``documents/`` that no document row refers to and that are older
    than ``min_age`` (a younger file may belong to a transaction still running). Returns their
    names, sorted; with ``dry_run`` only lists them."""
    return orphan_files.prune(_storage(), ROOT, referenced_names, min_age=min_age, now=now, dry_run=dry_run)
