"""What importers answer and how they are found (导入计划与登记): ``RowError``, ``ImportResult``,
``ImportRequest``, ``Plan`` and the registry of importers (``register``, ``get_importer``)."""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping

from .progress import PHASE_VALIDATE, ProgressReporter
from .reading import Sheet, SpreadsheetError, iter_rows, read_sheets


@dataclass(frozen=True)
class RowError:
    """One reason a row is refused: ``row`` is the 1-based spreadsheet row number (0 for the
    file as a whole), ``column`` the Chinese header ("" when the whole row is at fault)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.row <= 0:
            return self.message
        if self.column:
            return f"第{self.row}行「{self.column}」：{self.message}"
        return f"第{self.row}行：{self.message}"

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


#: A warning (警告) has the shape of an error — row, column, message — but refuses nothing: it says
#: what the importer inferred from a row a clerk would not call wrong (a continuation row attached
#: to the item above, a missing serial number numbered by position …), for the user to check.
RowWarning = RowError


@dataclass
class ImportResult:
    """What an import did (or, with ``dry_run``, would do). ``total_rows`` counts the data rows
    read (blank spacer rows are not counted); ``created`` and ``updated`` the records written;
    ``skipped`` the rows identical to what is stored, left untouched. When ``errors`` is not
    empty nothing was written and the counts are zero. ``warnings`` list what was inferred (for
    the user to check); they never stop an import."""

    kind: str
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    label: str = ""
    warnings: list[RowWarning] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def summary(self) -> str:
        """One Chinese sentence for the user."""
        what = self.label or self.kind
        if not self.ok:
            return f"{what}导入被拒绝，未导入任何数据：发现 {len(self.errors)} 处错误。"
        prefix = "试导入（未写入任何数据）" if self.dry_run else "导入完成"
        verb = "将" if self.dry_run else ""
        text = (
            f"{what}{prefix}：共 {self.total_rows} 行，{verb}新增 {self.created} 条，{verb}更新 {self.updated} 条，"
            f"未变 {self.skipped} 条。"
        )
        if self.warnings:
            text += f"另有 {len(self.warnings)} 处推断（警告），请核对。"
        return text

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "ok": self.ok, "dry_run": self.dry_run, "total_rows": self.total_rows,
            "created": self.created, "updated": self.updated, "skipped": self.skipped,
            "errors": [e.as_dict() for e in self.errors], "warnings": [w.as_dict() for w in self.warnings],
        }


@dataclass(frozen=True)
class ImportRequest:
    """What an importer is handed: the sheets read from the file, and the caller's choices."""

    kind: str
    filename: str
    sheets: list[Sheet]
    body_code: str | None = None
    actor: Any = None
    options: Mapping[str, Any] = field(default_factory=dict)
    #: For importers registered with ``raw=True``: the file's bytes (``sheets`` is then empty and
    #: ``rows`` reads them on demand) and whether this is a dry run (the importer must not write).
    data: bytes = b""
    dry_run: bool = False
    #: ``run_import``'s progress reporter (``None`` when nobody listens); see ``report``.
    progress: ProgressReporter | None = None

    def report(self, done: int, total: int | None = None, phase: str = PHASE_VALIDATE) -> None:
        """Report progress: ``done`` data rows handled so far, ``total`` if known, the phase
        (``PHASE_READ``/``PHASE_VALIDATE``/``PHASE_WRITE``). At chunk boundaries, never per row."""
        if self.progress is not None:
            self.progress(done, total, phase)

    @property
    def rows(self) -> list[list[str]]:
        """The first sheet with content."""
        for sheet in self.sheets or (read_sheets(self.data, self.filename) if self.data else []):
            if any(any(row) for row in sheet.rows):
                return sheet.rows
        raise SpreadsheetError("表格中没有任何内容")

    def iter_rows(self) -> Iterator[list[str]]:
        """The rows of the first sheet with content, streamed when the file is a CSV (``iter_rows``)."""
        return iter_rows(self.data, self.filename) if self.data else iter(self.rows)


@dataclass
class Plan:
    """An importer's answer after validating every row: the counts it would write, every error,
    and ``write`` (called inside one transaction only when there is no error and no dry run);
    ``warnings``, what the importer inferred (they are reported, and never stop the write)."""

    total_rows: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    write: Callable[[], None] | None = None
    warnings: list[RowWarning] = field(default_factory=list)


Importer = Callable[[ImportRequest], Plan]


@dataclass(frozen=True)
class ImporterSpec:
    kind: str
    importer: Importer
    label: str
    needs_body: bool = False
    raw: bool = False


_REGISTRY: dict[str, ImporterSpec] = {}

#: Modules holding importers outside an app's ``importers`` module (apps' own ``importers``
#: modules are discovered automatically: ``zhifa.registry.importers``, ``zhifa.catalog.importers`` …).
IMPORTER_MODULES: list[str] = []
_loaded = False


def register(kind: str, importer: Importer, label: str, *, needs_body: bool = False, raw: bool = False) -> None:
    """Make ``importer`` available as ``zhifa import KIND``; ``label`` is its Chinese name
    (``执法人员``); ``needs_body`` when the file belongs to one body given by ``--body``.

    ``raw``: the importer is handed the file's bytes (``ImportRequest.data``, read with
    ``request.iter_rows()``) and ``dry_run`` instead of parsed sheets, so that a bulk importer
    can stream a large CSV. Such an importer may also write by itself, all or nothing in its
    own transaction, and return a ``Plan`` without ``write`` (and must not write on a dry run)."""
    _REGISTRY[kind] = ImporterSpec(kind, importer, label, needs_body, raw)


def load_importers() -> None:
    """Import every installed app's ``importers`` module (they call ``register``)."""
    global _loaded
    if _loaded:
        return
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("importers")
    for module in IMPORTER_MODULES:
        importlib.import_module(module)
    _loaded = True


def importer_kinds() -> list[tuple[str, str]]:
    """``[(kind, label), …]`` of every registered importer, for menus and help texts."""
    load_importers()
    return [(spec.kind, spec.label) for spec in _REGISTRY.values()]


def get_importer(kind: str) -> ImporterSpec | None:
    load_importers()
    return _REGISTRY.get(kind)
