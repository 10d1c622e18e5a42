"""Spreadsheet import machinery (表格导入): read what bodies actually publish, find the header,
validate every row, and write all or nothing.

Bodies publish ``.xls`` (old OLE2), ``.xlsx``, ``.ods`` and ``.csv`` files — often with the wrong
extension, a title row above the header, two-row headers, merged cells and blank spacer rows.
This package knows no other app: the domain importers (``registry/importers.py`` for officers,
``catalog/importers.py`` for power lists …) ``register`` themselves, and ``run_import`` drives
them:

1. ``read_sheets`` turns the bytes into rows of strings (format sniffed from the bytes);
2. the importer finds its header (``find_header``), validates every row and returns a ``Plan``
   (counts, every ``RowError``, and a ``write`` callable);
3. if any row is bad nothing is written and every error is returned (warnings — what the importer
   inferred from rows a clerk would not call wrong — are returned too, and never stop a write); on a dry run nothing is
   written either; otherwise ``write`` runs in one transaction (bulk writes, not row by row),
   which also appends the run's one record entry on ``import:<kind>`` (file SHA-256, counts, actor).

The package, by concern: ``reading`` (bytes → rows of strings), ``rows`` (headers, data rows,
cell parsers), ``plans`` (what importers answer, the registry of importers), ``progress`` and
``running`` (``run_import``: validate, write, record).

Public API (used by the command ``zhifa import``, the import page and the demo):
``read_table``, ``read_sheets``, ``Sheet``, ``SpreadsheetError``, ``ImportRejected``, ``Column``,
``Header``, ``find_header``, ``Record``, ``records``, ``parse_date``, ``parse_bool``,
``parse_int``, ``parse_decimal``, ``RowError``, ``RowWarning``, ``ImportResult``, ``ImportRequest``, ``Plan``,
``register``, ``importer_kinds``, ``get_importer``, ``run_import``, ``report_progress`` and the
phases ``PHASE_READ`` (读取), ``PHASE_VALIDATE`` (校验), ``PHASE_WRITE`` (写入), ``PHASE_DONE`` (完成).

Progress (导入进度): ``run_import(…, progress=callback)`` calls ``callback(done_rows, total_rows,
phase)`` while it works — ``done_rows`` never goes down, ``total_rows`` is ``None`` while unknown
(or an estimate, an upper bound, until the end), and the last call is ``(n, n, "完成")`` with ``n``
the data rows read. Importers report at chunk boundaries (``request.report`` or
``report_progress``), never per row; ``records`` reports every ``PROGRESS_EVERY`` rows by itself,
so that an importer built on it reports without a line of its own.
"""
from __future__ import annotations

from .plans import (
    IMPORTER_MODULES,
    Importer,
    ImporterSpec,
    ImportRequest,
    ImportResult,
    Plan,
    RowError,
    RowWarning,
    get_importer,
    importer_kinds,
    load_importers,
    register,
)
from .progress import (
    PHASE_DONE,
    PHASE_READ,
    PHASE_VALIDATE,
    PHASE_WRITE,
    PHASES,
    PROGRESS_EVERY,
    Progress,
    ProgressReporter,
    _reporter,  # noqa: F401 — the tests reach the progress context through the package
    report_progress,
)
from .reading import (
    ImportRejected,
    Sheet,
    SpreadsheetError,
    cell_text,
    decode_text,
    iter_rows,
    plain_csv,
    read_sheets,
    read_table,
    sniff_format,
)
from .rows import (
    Column,
    Header,
    Record,
    find_header,
    normalize_header,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    records,
)
from .running import RECORD_ACTION, record_stream, run_import

__all__ = [
    "PROGRESS_EVERY", "RECORD_ACTION", "Importer", "ImporterSpec",
    "Column", "Header", "IMPORTER_MODULES", "ImportRejected", "ImportRequest", "ImportResult", "Plan", "Record",
    "PHASES", "PHASE_DONE", "PHASE_READ", "PHASE_VALIDATE", "PHASE_WRITE", "Progress", "ProgressReporter", "report_progress",
    "RowError", "RowWarning", "Sheet", "SpreadsheetError", "cell_text", "decode_text", "find_header", "get_importer",
    "importer_kinds", "iter_rows", "load_importers", "plain_csv", "normalize_header", "parse_bool", "parse_date", "parse_decimal",
    "parse_int", "read_sheets", "read_table", "record_stream", "records", "register", "run_import", "sniff_format",
]
