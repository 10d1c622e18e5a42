"""Files in storage that no row refers to (孤立文件), as ``zhifa sweep`` finds and deletes them.

Generated documents (``documents.files``) and site photos (``inspections.photo_files``) are
written before the transaction that records them commits; a rollback or a crash leaves them
behind. Each of those modules says where its files live and which names its rows refer to; the
listing, the age rule and the deletion are here."""
from __future__ import annotations

import contextlib
import datetime as dt
from typing import Callable, Iterable, Iterator

from django.core.files.storage import Storage
from django.utils import timezone

DEFAULT_MIN_AGE = dt.timedelta(hours=1)  # older than any transaction that could still commit a file


def walk(storage: Storage, folder: str) -> Iterator[str]:
    """Every file name below ``folder`` of ``storage``."""
    try:
        folders, names = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in names:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from walk(storage, f"{folder}/{sub}")


def referenced(rows: Iterable[tuple], candidates: set[str]) -> set[str]:
    """Which of ``candidates`` appear among the file-name columns of ``rows``.

    The callers stream every row once, on purpose: the candidates are every old file, the
    referenced ones included, so they are about as many as the rows, and filtering by them (the
    name columns have no index) would scan the table once per chunk of names."""
    found: set[str] = set()
    if candidates:
        for row in rows:
            found.update(name for name in row if name in candidates)
    return found


def prune(storage: Storage, root: str, referenced_names: Callable[[set[str]], set[str]], *,
          min_age: dt.timedelta = DEFAULT_MIN_AGE, now: dt.datetime | None = None, dry_run: bool = False) -> list[str]:
    """Delete the files under ``root`` that ``referenced_names`` does not claim and that are older
    than ``min_age``. Returns their names, sorted; with ``dry_run`` only lists them."""
    cutoff = (now or timezone.now()) - min_age
    old = set()
    for name in walk(storage, root):
        try:
            modified = storage.get_modified_time(name)
        except (FileNotFoundError, NotImplementedError):
            continue  # deleted since it was listed, or a storage that cannot tell a file's age: kept
        if timezone.is_naive(modified):
            modified = timezone.make_aware(modified)
        if modified < cutoff:
            old.add(name)
    orphans = sorted(old - referenced_names(old))
    if not dry_run:
        for name in orphans:
            with contextlib.suppress(FileNotFoundError):  # deleted meanwhile
                storage.delete(name)
    return orphans
