"""Site photo files (现场照片文件) that no photo refers to: listed and deleted by ``zhifa sweep``.

``services.add_photos`` writes each photo and its thumbnail under ``inspections/<inspection>/``
before its transaction (no lock is held while a phone's photos reach the disk) and deletes them if
that transaction fails. Files stay behind, referenced by no ``InspectionPhoto`` row, when:

- ``add_photos`` ran inside an outer transaction that rolled back after it returned;
- the process died between writing the files and committing the rows;
- ``remove_photo`` committed but its on-commit delete never ran (the process died in between).

``prune_orphans`` deletes such files once they are older than an hour — older than any upload
whose transaction could still commit them. ``zhifa sweep`` calls it: this module is listed in
``settings.ZHIFA["ORPHAN_FILE_PRUNERS"]`` (the sweep belongs to ``cases``, which imports no app above
it), and ``LABEL`` names its files in the sweep's report.
"""
from __future__ import annotations

import contextlib
import datetime as dt
from typing import Iterator

from django.conf import DEFAULT_STORAGE_ALIAS
from django.core.files.storage import Storage, storages
from django.utils import timezone

from .models import InspectionPhoto

ROOT = "inspections"  # every photo and thumbnail lives below this folder of the default storage
DEFAULT_MIN_AGE = dt.timedelta(hours=1)
LABEL = "现场照片文件"  # how ``zhifa sweep`` names these files


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    try:
        folders, names = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in names:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _walk(storage, f"{folder}/{sub}")


def referenced_names(candidates: set[str]) -> set[str]:
    """Which of ``candidates`` a photo row refers to, as its image or its thumbnail.

    One streaming read of the two name columns: the candidates are every old file under
    ``inspections/``, the referenced ones included, so they are as many as the rows and filtering
    by them would scan the table once per chunk of names (see ``documents.files.referenced_names``)."""
    found: set[str] = set()
    if not candidates:
        return found
    for row in InspectionPhoto.objects.values_list("file", "thumbnail").iterator(chunk_size=2000):
        found.update(name for name in row if name in candidates)
    return found


def prune_orphans(*, min_age: dt.timedelta = DEFAULT_MIN_AGE, now: dt.datetime | None = None, dry_run: bool = False) -> list[str]:
    """Delete the files under ``inspections/`` that no photo refers to and that are older than
    ``min_age`` (a younger file may belong to an upload still running). Returns their names,
    sorted; with ``dry_run`` only lists them."""
    storage = storages[DEFAULT_STORAGE_ALIAS]
    cutoff = (now or timezone.now()) - min_age
    old = set()
    for name in _walk(storage, ROOT):
        try:
            modified = storage.get_modified_time(name)
        except (FileNotFoundError, NotImplementedError):
            continue
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

