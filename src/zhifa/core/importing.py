"""Spreadsheet import machinery (表格导入): read what bodies actually publish, find the header,
validate every row, and write all or nothing.

Bodies publish ``.xls`` (old OLE2), ``.xlsx``, ``.ods`` and ``.csv`` files — often with the wrong
extension, a title row above the header, two-row headers, merged cells and blank spacer rows.
This module knows no other app: the domain importers (``registry/importers.py`` for officers,
``catalog/importers.py`` for power lists …) ``register`` themselves, and ``run_import`` drives
them:

1. ``read_sheets`` turns the bytes into rows of strings (format sniffed from the bytes);
2. the importer finds its header (``find_header``), validates every row and returns a ``Plan``
   (counts, every ``RowError``, and a ``write`` callable);
3. if any row is bad nothing is written and every error is returned; on a dry run nothing is
   written either; otherwise ``write`` runs in one transaction (bulk writes, not row by row).

Public API (used by the command ``zhifa import``, the import page and the demo):
``read_table``, ``read_sheets``, ``Sheet``, ``SpreadsheetError``, ``ImportRejected``, ``Column``,
``Header``, ``find_header``, ``Record``, ``records``, ``parse_date``, ``parse_bool``,
``parse_int``, ``parse_decimal``, ``RowError``, ``ImportResult``, ``ImportRequest``, ``Plan``,
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

import codecs
import contextvars
import csv
import datetime as dt
import decimal
import importlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Callable, Iterator, Mapping, Sequence

# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


class ImportRejected(ValueError):
    """The whole input is refused (unreadable file, no header, unknown body …); ``message`` is
    Chinese for the user. Importers raise it for file-level problems; ``run_import`` turns it
    into an ``ImportResult`` with one error at row 0."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class SpreadsheetError(ImportRejected):
    """The bytes are not a spreadsheet we can read (格式无法识别、文件损坏或加密)."""


# --------------------------------------------------------------------------------------------
# Progress (导入进度)
# --------------------------------------------------------------------------------------------

PHASE_READ, PHASE_VALIDATE, PHASE_WRITE, PHASE_DONE = "读取", "校验", "写入", "完成"
PHASES = (PHASE_READ, PHASE_VALIDATE, PHASE_WRITE, PHASE_DONE)
#: ``records`` reports every this many data rows.
PROGRESS_EVERY = 1000

#: ``callback(done_rows, total_rows_or_None, phase)``.
Progress = Callable[[int, "int | None", str], None]


class ProgressReporter:
    """What ``run_import`` hands importers to report with: it keeps ``done`` monotone and
    ``total`` (when known) never below ``done``, fills an unknown total with the estimate made
    from the file (CSV lines), and forwards every report to the caller's callback."""

    __slots__ = ("callback", "done", "total", "phase", "estimate")

    def __init__(self, callback: Progress, estimate: int | None = None):
        self.callback = callback
        self.done = 0
        self.total: int | None = None
        self.phase = PHASE_READ
        self.estimate = estimate

    def __call__(self, done: int, total: int | None = None, phase: str = PHASE_VALIDATE) -> None:
        if done > self.done:
            self.done = done
        if total is None:
            total = self.estimate
        if total is not None and total < self.done:
            total = self.done
        self.total, self.phase = total, phase
        self.callback(self.done, total, phase)

    def finish(self, total: int) -> None:
        """The last report: every data row done."""
        total = max(total, self.done)
        self.done = self.total = total
        self.phase = PHASE_DONE
        self.callback(total, total, PHASE_DONE)


_reporter: contextvars.ContextVar[ProgressReporter | None] = contextvars.ContextVar("zhifa_import_progress", default=None)


def report_progress(done: int, total: int | None = None, phase: str = PHASE_VALIDATE) -> None:
    """Report the progress of the import running in this thread (a no-op when nobody listens).
    Call it at chunk boundaries, never per row: ``done`` rows handled so far, ``total`` if known."""
    reporter = _reporter.get()
    if reporter is not None:
        reporter(done, total, phase)


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


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its name and its rows (lists of stripped strings, row 0 = spreadsheet row 1)."""

    name: str
    rows: list[list[str]]


def sniff_format(data: bytes) -> str:
    """The real format of ``data``, whatever its extension: ``xls``, ``xlsx``, ``xlsb``, ``ods``,
    ``html`` (an HTML table saved as ``.xls``, as many web systems export) or ``csv``."""
    if data.startswith(OLE2_MAGIC):
        return "xls"
    if data.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if "mimetype" in names:
                    mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                    if mimetype.startswith(ODS_MIMETYPE):
                        return "ods"
                    if mimetype.startswith("application/vnd.oasis.opendocument"):
                        raise SpreadsheetError("这是 OpenDocument 文本或演示文稿，不是电子表格，请上传 .ods/.xlsx/.xls/.csv 表格")
                if "xl/workbook.xml" in names:
                    return "xlsx"
                if "xl/workbook.bin" in names:
                    return "xlsb"
                if any(name.startswith("word/") for name in names):
                    raise SpreadsheetError("这是 Word 文档，不是电子表格，请上传 .xlsx/.xls/.ods/.csv 表格")
                if "content.xml" in names:
                    return "ods"
        except zipfile.BadZipFile:
            raise SpreadsheetError("文件已损坏：压缩包结构无法读取，请在 Excel 或 WPS 中重新另存后上传") from None
        raise SpreadsheetError("无法识别的压缩文件，请上传 .xlsx/.xls/.ods/.csv 表格")
    head = data[:2048].lstrip(codecs.BOM_UTF8).lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) and b"<table" in data[:200_000].lower():
        return "html"
    if data.startswith(b"%PDF"):
        raise SpreadsheetError("这是 PDF 文件，无法读取表格，请上传 .xlsx/.xls/.ods/.csv 表格")
    return "csv"


def cell_text(value: Any) -> str:
    """A cell as a string: ``1.0`` → ``"1"`` (serial numbers), dates → ISO ``YYYY-MM-DD``,
    booleans → ``是``/``否``, text stripped of surrounding whitespace."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


def _read_workbook(data: bytes, fmt: str) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for every broken file
        text = str(exc).lower()
        if "password" in text or "encrypt" in text or type(exc).__name__ == "PasswordError":
            raise SpreadsheetError("文件已加密，请取消密码保护后再上传") from None
        kind = {"xls": "Excel 97-2003（.xls）", "xlsx": "Excel（.xlsx）", "xlsb": "Excel 二进制（.xlsb）", "ods": "OpenDocument（.ods）"}[fmt]
        raise SpreadsheetError(f"无法读取{kind}文件：文件可能已损坏或加密，请在 Excel 或 WPS 中重新另存后上传") from None
    sheets = []
    try:
        for meta in workbook.sheets_metadata:
            if str(getattr(meta, "typ", "")).endswith("ChartSheet"):
                continue
            raw = workbook.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            sheets.append(Sheet(meta.name, [[cell_text(cell) for cell in row] for row in raw]))
    except Exception:
        raise SpreadsheetError("读取工作表失败：文件可能已损坏，请在 Excel 或 WPS 中重新另存后上传") from None
    return sheets


def decode_text(data: bytes) -> str:
    """Decode a text file: UTF-8 with or without BOM, UTF-16 with BOM, else GB18030 (GBK)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", "replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise SpreadsheetError("无法识别文件编码：请另存为 UTF-8 或 GBK 编码的 CSV，或 Excel 表格") from None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _read_csv(data: bytes) -> list[Sheet]:
    text = decode_text(data)
    if len(_CONTROL.findall(text[:4096])) > 4:
        raise SpreadsheetError("无法识别的文件格式：请上传 .xlsx/.xls/.ods/.csv 表格")
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delim: first.count(delim) for delim in (",", "\t", ";")}
    delimiter = max(counts, key=lambda d: (counts[d], d == ","))
    try:
        rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise SpreadsheetError(f"CSV 文件格式错误：{exc}") from None
    return [Sheet("CSV", rows)]


class _TableParser(HTMLParser):
    """The rows of the first ``<table>`` of an HTML page saved as ``.xls`` (colspan → empty cells)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.depth = 0
        self.done = False
        self.cell: list[str] | None = None
        self.colspan = 1

    def handle_starttag(self, tag, attrs):
        if self.done:
            return
        if tag == "table":
            self.depth += 1
        elif self.depth == 1 and tag == "tr":
            self.rows.append([])
        elif self.depth == 1 and tag in ("td", "th"):
            self.cell = []
            try:
                self.colspan = max(1, int(dict(attrs).get("colspan") or 1))
            except ValueError:
                self.colspan = 1
        elif self.cell is not None and tag == "br":
            self.cell.append("\n")

    def handle_endtag(self, tag):
        if self.done:
            return
        if tag == "table":
            self.depth -= 1
            if self.depth == 0:
                self.done = True
        elif self.depth == 1 and tag in ("td", "th") and self.cell is not None:
            if not self.rows:
                self.rows.append([])
            self.rows[-1].append("".join(self.cell).strip())
            self.rows[-1].extend([""] * (self.colspan - 1))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None and not self.done:
            self.cell.append(data)


def _read_html(data: bytes) -> list[Sheet]:
    text = decode_text(data)
    match = re.search(r"charset=[\"']?([\w-]+)", text[:2048], re.I)
    if match and match.group(1).lower() in ("gbk", "gb2312", "gb18030") and not data.startswith(codecs.BOM_UTF8):
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            pass
    parser = _TableParser()
    parser.feed(text)
    return [Sheet("HTML", parser.rows)]


def read_sheets(data: bytes, filename: str = "") -> list[Sheet]:
    """Every worksheet of a spreadsheet file, as rows of strings.

    The format is sniffed from the bytes, not the extension of ``filename`` (published files are
    often misnamed). Raises ``SpreadsheetError`` with a Chinese message for anything unreadable.
    """
    if not data:
        raise SpreadsheetError("文件为空")
    fmt = sniff_format(data)
    if fmt in ("xls", "xlsx", "xlsb", "ods"):
        sheets = _read_workbook(data, fmt)
    elif fmt == "html":
        sheets = _read_html(data)
    else:
        sheets = _read_csv(data)
    rows_read = 0
    for sheet in sheets:  # make the rows rectangular: importers may index any column
        width = max((len(row) for row in sheet.rows), default=0)
        for row in sheet.rows:
            if len(row) < width:
                row.extend([""] * (width - len(row)))
        rows_read += len(sheet.rows)
        report_progress(0, rows_read, PHASE_READ)  # per sheet: the rows read so far
    return sheets


def _sniff_delimiter(text: str) -> str:
    first = next((line for line in text[: 1 << 16].splitlines() if line.strip()), "")
    counts = {delim: first.count(delim) for delim in (",", "\t", ";")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def plain_csv(data: bytes) -> tuple[str, str] | None:
    """``(text, delimiter)`` of a CSV file without quotes (lines end with ``\n``), or ``None``
    when ``data`` is another format or a quoted CSV. A bulk importer can then split the lines
    itself, the fastest way there is to read a machine-exported list."""
    if not data or sniff_format(data) != "csv":
        return None
    text = decode_text(data)
    if '"' in text or len(_CONTROL.findall(text[:4096])) > 4 or not text or text.isspace():
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, _sniff_delimiter(text)


def iter_rows(data: bytes, filename: str = "") -> Iterator[list[str]]:
    """The rows of the first worksheet with content, one at a time (stripped strings; rows are
    *not* padded to a common width). A CSV file is streamed line by line without building the
    whole table (a plain ``split`` when it has no quotes, else ``csv.reader``), which is what
    bulk importers of hundreds of thousands of rows want; other formats go through
    ``read_sheets``. Raises ``SpreadsheetError`` like ``read_sheets``."""
    if not data:
        raise SpreadsheetError("文件为空")
    plain = plain_csv(data)
    if plain is not None:
        text, delimiter = plain
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        strip = str.strip
        return (list(map(strip, line.split(delimiter))) for line in lines)
    if sniff_format(data) != "csv":
        return iter(read_table(data, filename))
    text = decode_text(data)
    if len(_CONTROL.findall(text[:4096])) > 4:
        raise SpreadsheetError("无法识别的文件格式：请上传 .xlsx/.xls/.ods/.csv 表格")
    if not text or text.isspace():
        raise SpreadsheetError("表格中没有任何内容")
    delimiter = _sniff_delimiter(text)

    def quoted() -> Iterator[list[str]]:
        try:
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
                yield [cell.strip() for cell in row]
        except csv.Error as exc:
            raise SpreadsheetError(f"CSV 文件格式错误：{exc}") from None
    return quoted()


def read_table(data: bytes, filename: str = "") -> list[list[str]]:
    """The rows of the first worksheet that has any content (see ``read_sheets``)."""
    sheets = read_sheets(data, filename)
    for sheet in sheets:
        if any(any(row) for row in sheet.rows):
            return sheet.rows
    raise SpreadsheetError("表格中没有任何内容")


# --------------------------------------------------------------------------------------------
# Headers and records
# --------------------------------------------------------------------------------------------

_HEADER_NOISE = re.compile(r"[\s*＊:：]|[（(](?:必填|选填|可选|非必填)[)）]")


def normalize_header(text: str) -> str:
    """Header text compared without whitespace, newlines, required markers (``*``) or
    ``（必填）``: ``'事项\\n名称'`` → ``'事项名称'``."""
    return _HEADER_NOISE.sub("", text or "")


@dataclass(frozen=True)
class Column:
    """An expected column: its canonical Chinese ``name`` (used in messages), other header
    texts that mean the same (``aliases``), and whether the file must have it."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    def matches(self, candidate: str) -> bool:
        return candidate == normalize_header(self.name) or candidate in {normalize_header(a) for a in self.aliases}


@dataclass(frozen=True)
class Header:
    """Where the header is: ``row`` (0-based index of its first row), ``data_start`` (index of the
    first data row, after a possible sub-header row) and ``index`` (column name → column index)."""

    row: int
    data_start: int
    index: dict[str, int]

    def has(self, name: str) -> bool:
        return name in self.index

    def value(self, row: Sequence[str], name: str) -> str:
        position = self.index.get(name)
        if position is None or position >= len(row):
            return ""
        return row[position]


def _is_numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[\d.\-/ ]+", text))


def _candidates(top: Sequence[str], below: Sequence[str]) -> tuple[list[set[str]], bool]:
    """Header names each column may answer to, and whether ``below`` is a sub-header row.

    A spanning header (``实施层级及权限`` over two columns) arrives as text in its first column and
    empty cells to its right. The next row is a sub-header row when all its non-empty cells lie
    under such spans and none is a number (so a data row is never taken for one).
    """
    width = max(len(top), len(below))
    top_n = [normalize_header(top[k]) if k < len(top) else "" for k in range(width)]
    below_n = [normalize_header(below[k]) if k < len(below) else "" for k in range(width)]
    parent_of: list[int | None] = [None] * width
    current = None
    for k in range(width):
        if top_n[k]:
            current = k
        parent_of[k] = current
    span_len: dict[int, int] = {}
    for k in range(width):
        if parent_of[k] is not None:
            span_len[parent_of[k]] = span_len.get(parent_of[k], 0) + 1
    is_sub = any(below_n) and all(
        not below_n[k] or (parent_of[k] is not None and span_len[parent_of[k]] > 1 and not _is_numeric(below_n[k]))
        for k in range(width)
    )
    result: list[set[str]] = []
    for k in range(width):
        names: set[str] = set()
        parent = parent_of[k]
        if top_n[k]:
            names.add(top_n[k])
        if is_sub and below_n[k]:
            names.add(below_n[k])
            if parent is not None:
                names.add(top_n[parent] + below_n[k])
        result.append(names)
    return result, is_sub


def _match(columns: Sequence[Column], candidates: list[set[str]]) -> dict[str, int]:
    index: dict[str, int] = {}
    used: set[int] = set()
    for column in columns:
        for k, names in enumerate(candidates):
            if k not in used and any(column.matches(name) for name in names):
                index[column.name] = k
                used.add(k)
                break
    return index


def find_header(rows: Sequence[Sequence[str]], columns: Sequence[Column], *, scan: int = 30) -> Header:
    """Find the header row among the first ``scan`` rows (title rows above it are skipped) by
    matching the expected ``columns``; supports two-row headers. Raises ``SpreadsheetError``
    naming the missing required columns when no row has them all."""
    required = [c.name for c in columns if c.required]
    best: tuple[int, dict[str, int]] | None = None
    for i in range(min(scan, len(rows))):
        if not any(rows[i]):
            continue
        if not _match(columns, [{normalize_header(text)} for text in rows[i]]):
            continue  # a title row (its text spans everything) is never the header
        below = rows[i + 1] if i + 1 < len(rows) else []
        candidates, is_sub = _candidates(rows[i], below)
        index = _match(columns, candidates)
        if all(name in index for name in required) and index:
            return Header(row=i, data_start=i + 2 if is_sub else i + 1, index=index)
        if best is None or len(index) > len(best[1]):
            best = (i, index)
    found = best[1] if best else {}
    missing = [name for name in required if name not in found]
    names = "、".join(f"「{name}」" for name in missing)
    raise SpreadsheetError(f"未找到表头：表格前 {scan} 行中没有包含 {names} 的行，请检查列名")


@dataclass(frozen=True)
class Record:
    """One non-blank data row: ``number`` is the 1-based spreadsheet row number, ``values``
    maps each found column name to its text, ``cells`` is the raw row."""

    number: int
    values: dict[str, str]
    cells: tuple[str, ...] = ()

    def __getitem__(self, name: str) -> str:
        return self.values.get(name, "")

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default) or default


def records(rows: Sequence[Sequence[str]], header: Header) -> Iterator[Record]:
    """The data rows below ``header`` whose found columns are not all empty. Blank spacer rows
    (and the continuation rows of vertically merged cells, which arrive empty) are skipped;
    merged cells arrive empty, the importer decides which columns carry down.

    Reports progress (``report_progress``) every ``PROGRESS_EVERY`` rows and at the end."""
    total = max(len(rows) - header.data_start, 0)
    count = 0
    for i in range(header.data_start, len(rows)):
        row = rows[i]
        values = {name: header.value(row, name) for name in header.index}
        if any(values.values()):
            count += 1
            if not count % PROGRESS_EVERY:
                report_progress(count, total)
            yield Record(number=i + 1, values=values, cells=tuple(row))
    report_progress(count, count)


# --------------------------------------------------------------------------------------------
# Cell parsers: each returns a value or raises ValueError with a Chinese message
# --------------------------------------------------------------------------------------------

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(text: str) -> dt.date | None:
    """``2024-01-31``, ``2024/1/31``, ``2024.1.31``, ``2024年1月31日``, ``20240131`` → a date;
    empty → ``None``; anything else raises ``ValueError``."""
    text = (text or "").strip()
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                break
    raise ValueError(f"日期「{text}」无法识别，请填写如 2024-01-31 的日期")


_TRUE = {"是", "有", "y", "yes", "true", "1", "√", "✓", "具有", "已取得"}
_FALSE = {"否", "无", "n", "no", "false", "0", "×", "不具有", "未取得"}


def parse_bool(text: str) -> bool | None:
    """``是``/``否`` (also 有/无, Y/N, 1/0) → bool; empty → ``None``."""
    text = (text or "").strip().lower()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"「{text}」应填写“是”或“否”")


def parse_int(text: str, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
    """A whole number (``3``, ``3.0``); empty → ``None``."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = decimal.Decimal(text)
    except decimal.InvalidOperation:
        raise ValueError(f"「{text}」应为整数") from None
    if value != value.to_integral_value():
        raise ValueError(f"「{text}」应为整数")
    number = int(value)
    if minimum is not None and number < minimum or maximum is not None and number > maximum:
        raise ValueError(f"「{text}」应在 {minimum} 到 {maximum} 之间")
    return number


def parse_decimal(text: str, *, minimum: decimal.Decimal | int | None = None, maximum: decimal.Decimal | int | None = None) -> decimal.Decimal | None:
    """A decimal number; empty → ``None``."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = decimal.Decimal(text)
    except decimal.InvalidOperation:
        raise ValueError(f"「{text}」应为数字") from None
    if not value.is_finite() or (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ValueError(f"「{text}」应在 {minimum} 到 {maximum} 之间")
    return value


# --------------------------------------------------------------------------------------------
# Results, plans and the registry of importers
# --------------------------------------------------------------------------------------------


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


@dataclass
class ImportResult:
    """What an import did (or, with ``dry_run``, would do). ``total_rows`` counts the data rows
    read (blank spacer rows are not counted); ``created`` and ``updated`` the records written;
    ``skipped`` the rows identical to what is stored, left untouched. When ``errors`` is not
    empty nothing was written and the counts are zero."""

    kind: str
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    label: str = ""

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
        return (
            f"{what}{prefix}：共 {self.total_rows} 行，{verb}新增 {self.created} 条，{verb}更新 {self.updated} 条，"
            f"未变 {self.skipped} 条。"
        )

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "ok": self.ok, "dry_run": self.dry_run, "total_rows": self.total_rows,
            "created": self.created, "updated": self.updated, "skipped": self.skipped,
            "errors": [e.as_dict() for e in self.errors],
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
    and ``write`` (called inside one transaction only when there is no error and no dry run)."""

    total_rows: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    write: Callable[[], None] | None = None


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
    returned. Otherwise the importer writes in one transaction. Bad input never raises: an
    unknown kind, an unreadable file, a missing header or an unknown body come back as an
    ``ImportResult`` with one error at row 0. ``actor`` (a ``registry.access.Actor``) is checked
    by the importer; ``None`` means a trusted caller (the command line).

    ``progress``: ``callback(done_rows, total_rows_or_None, phase)``, called at the start, per
    sheet read, per chunk of rows validated (by the importer), before writing and once at the end
    with ``(n, n, PHASE_DONE)`` — see the module docstring. It runs in the importing thread,
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
        result = _run(kind, data, filename, body_code, dry_run, actor, options, reporter)
    finally:
        if token is not None:
            _reporter.reset(token)
    if reporter is not None:
        reporter.finish(result.total_rows)
    return result


def _run(kind, data, filename, body_code, dry_run, actor, options, reporter) -> ImportResult:
    from django.db import DatabaseError, transaction

    spec = get_importer(kind)
    if spec is None:
        known = "、".join(f"{k}（{label}）" for k, label in importer_kinds())
        return _rejected(kind, f"未知的导入类型「{kind}」，可选：{known}", dry_run)
    if spec.needs_body and not body_code:
        return _rejected(kind, f"导入{spec.label}须指定所属执法主体（--body 主体编码）", dry_run, spec.label)
    try:
        if spec.raw:
            if not data:
                raise SpreadsheetError("文件为空")
            if reporter is not None:
                reporter.estimate = _estimate_rows(data)
                reporter(0, None, PHASE_VALIDATE)
            request = ImportRequest(kind=kind, filename=filename, sheets=[], body_code=body_code, actor=actor,
                                    options=dict(options or {}), data=data, dry_run=dry_run, progress=reporter)
        else:
            sheets = read_sheets(data, filename)
            if reporter is not None:
                reporter(0, sum(len(sheet.rows) for sheet in sheets), PHASE_VALIDATE)
            request = ImportRequest(kind=kind, filename=filename, sheets=sheets, body_code=body_code, actor=actor,
                                    options=dict(options or {}), progress=reporter)
        plan = spec.importer(request)
    except ImportRejected as exc:
        return _rejected(kind, exc.message, dry_run, spec.label)
    result = ImportResult(kind=kind, total_rows=plan.total_rows, dry_run=dry_run, label=spec.label)
    if plan.errors:
        result.errors = sorted(plan.errors, key=lambda e: e.row)  # stable: each row in the importer's column order
        return result
    result.created, result.updated, result.skipped = plan.created, plan.updated, plan.skipped
    if dry_run or plan.write is None:
        return result
    if reporter is not None:
        reporter(plan.total_rows, plan.total_rows, PHASE_WRITE)
    try:
        with transaction.atomic():
            plan.write()
    except ImportRejected as exc:
        return _rejected(kind, exc.message, dry_run, spec.label)
    except DatabaseError as exc:
        return _rejected(kind, f"写入数据库失败，未导入任何数据（{exc.__class__.__name__}：{exc}）", dry_run, spec.label)
    return result


__all__ = [
    "Column", "Header", "IMPORTER_MODULES", "ImportRejected", "ImportRequest", "ImportResult", "Plan", "Record",
    "PHASES", "PHASE_DONE", "PHASE_READ", "PHASE_VALIDATE", "PHASE_WRITE", "Progress", "ProgressReporter", "report_progress",
    "RowError", "Sheet", "SpreadsheetError", "cell_text", "decode_text", "find_header", "get_importer",
    "importer_kinds", "iter_rows", "load_importers", "plain_csv", "normalize_header", "parse_bool", "parse_date", "parse_decimal",
    "parse_int", "read_sheets", "read_table", "records", "register", "run_import", "sniff_format",
]
