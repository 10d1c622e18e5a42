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

import datetime as dt

from django.conf import DEFAULT_STORAGE_ALIAS
from django.core.files.storage import storages

from zhifa.core import orphan_files

from .models import InspectionPhoto

ROOT = "inspections"  # every photo and thumbnail lives below this folder of the default storage
LABEL = "现场照片文件"  # how ``zhifa sweep`` names these files


def referenced_names(candidates: set[str]) -> set[str]:
    """Which of ``candidates`` a photo row refers to, as its image or its thumbnail.

    One streaming read of the two name columns: the candidates are every old file under
    ``inspections/``, the referenced ones included, so they are as many as the rows and filtering
    by them would scan the table once per chunk of names (see ``documents.files.referenced_names``)."""
    rows = InspectionPhoto.objects.values_list("file", "thumbnail").iterator(chunk_size=2000)
    return orphan_files.referenced(rows, candidates) if candidates else set()


def prune_orphans(*, min_age: dt.timedelta = orphan_files.DEFAULT_MIN_AGE, now: dt.datetime | None = None, dry_run: bool = False) -> list[str]:
    """Delete the files under ``inspections/`` that no photo refers to and that are older than
    ``min_age`` (a younger file may belong to an upload still running). Returns their names,
    sorted; with ``dry_run`` only lists them."""
    return orphan_files.prune(storages[DEFAULT_STORAGE_ALIAS], ROOT, referenced_names, min_age=min_age, now=now, dry_run=dry_run)

