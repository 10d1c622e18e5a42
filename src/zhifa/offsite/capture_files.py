"""Capture files (电子监控记录文件) that no capture refers to: listed and deleted by ``zhifa sweep``.

``services.import_captures`` stores each new file under ``captures/<device>/`` while its batch's
transaction is open and deletes what it stored if the transaction fails; files stay behind only if
an outer transaction rolled back after it returned, or the process died before the commit.
``prune_orphans`` deletes such files once older than an hour. A case's evidence of a capture points
at the same stored file, and is counted as a reference too. Listed in
``settings.ZHIFA["ORPHAN_FILE_PRUNERS"]``; ``LABEL`` names the files in the sweep's report.
"""
from __future__ import annotations

import datetime as dt
import itertools

import mimetypes

from django.conf import DEFAULT_STORAGE_ALIAS
from django.core.files.storage import default_storage, storages
from django.http import FileResponse, Http404

from zhifa.cases.models import Evidence
from zhifa.core import orphan_files

from .models import Capture

ROOT = "captures"
LABEL = "电子监控记录文件"


def referenced_names(candidates: set[str]) -> set[str]:
    if not candidates:
        return set()
    rows = itertools.chain(Capture.objects.values_list("file").iterator(chunk_size=2000),
                           Evidence.objects.filter(act="monitoring").values_list("file").iterator(chunk_size=2000))
    return orphan_files.referenced(rows, candidates)


def prune_orphans(*, min_age: dt.timedelta = orphan_files.DEFAULT_MIN_AGE, now: dt.datetime | None = None, dry_run: bool = False) -> list[str]:
    return orphan_files.prune(storages[DEFAULT_STORAGE_ALIAS], ROOT, referenced_names, min_age=min_age, now=now, dry_run=dry_run)


def file_response(capture: Capture) -> FileResponse:
    """The stored original of ``capture`` for staff (the API and the pages; scope checked by the caller)."""
    try:
        handle = default_storage.open(capture.file.name, "rb")
    except FileNotFoundError:
        raise Http404("文件不存在。") from None
    return FileResponse(handle, content_type=capture.content_type or mimetypes.guess_type(capture.file.name)[0])
