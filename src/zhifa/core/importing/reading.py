"""Reading spreadsheets (读取表格): whatever bodies publish — ``.xls`` (OLE2), ``.xlsx``, ``.xlsb``,
``.ods``, an HTML table saved as ``.xls``, ``.csv`` in UTF-8 or GBK — into rows of strings, the
format sniffed from the bytes. Every unreadable file raises ``SpreadsheetError`` with a Chinese
message for the user."""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any, Iterator

from .progress import PHASE_READ, report_progress


class ImportRejected(ValueError):
    """The whole input is refused (unreadable file, no header, unknown body …); ``message`` is
    Chinese for the user. Importers raise it for file-level problems; ``run_import`` turns it
    into an ``ImportResult`` with one error at row 0."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class SpreadsheetError(ImportRejected):
    """The bytes are not a spreadsheet we can read (格式无法识别、文件损坏或加密)."""


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


def read_limits() -> tuple[int, int, int]:
    """``(unpacked bytes, rows, sheets)``: the most a spreadsheet may unpack to, hold in one
    sheet and hold in sheets (``ZHIFA["SPREADSHEET_MAX_UNPACKED_MB"|"_ROWS"|"_SHEETS"]``)."""
    from django.conf import settings

    zhifa = getattr(settings, "ZHIFA", {})
    return (
        zhifa.get("SPREADSHEET_MAX_UNPACKED_MB", 100) * 1024 * 1024,
        zhifa.get("SPREADSHEET_MAX_ROWS", 500_000),
        zhifa.get("SPREADSHEET_MAX_SHEETS", 50),
    )


def check_unpacked_size(data: bytes) -> None:
    """Refuse a zipped spreadsheet (``.xlsx``, ``.xlsb``, ``.ods``) that unpacks to more than the
    limit — a 1 MB file of 300 MB of XML held a worker at 1 GB — before any parser sees it. The
    entries are inflated in 1 MB chunks and counted (their declared sizes may lie; a lie then fails
    the CRC check, and the file is refused as damaged), so no more than the limit is ever unpacked
    and nothing is kept."""
    limit, _, _ = read_limits()
    refusal = f"文件解压后超过 {limit // 1048576} MB 的上限（可能是压缩炸弹），请拆分后分批上传"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > 10_000 or sum(entry.file_size for entry in entries) > limit:
                raise SpreadsheetError(refusal)
            total = 0
            for entry in entries:
                with archive.open(entry) as member:
                    while chunk := member.read(1 << 20):
                        total += len(chunk)
                        if total > limit:
                            raise SpreadsheetError(refusal)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError, ValueError) as exc:
        if isinstance(exc, SpreadsheetError):
            raise
        raise SpreadsheetError("文件已损坏：压缩包内容校验失败，请在 Excel 或 WPS 中重新另存后上传") from None


def _check_rows(count: int, name: str) -> None:
    _, max_rows, _ = read_limits()
    if count > max_rows:
        raise SpreadsheetError(f"工作表“{name[:30]}”有 {count} 行，超过每表 {max_rows} 行的上限，请拆分后分批上传")


def _read_workbook(data: bytes, fmt: str) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    if fmt in ("xlsx", "xlsb", "ods"):
        check_unpacked_size(data)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for every broken file
        text = str(exc).lower()
        if "password" in text or "encrypt" in text or type(exc).__name__ == "PasswordError":
            raise SpreadsheetError("文件已加密，请取消密码保护后再上传") from None
        kind = {"xls": "Excel 97-2003（.xls）", "xlsx": "Excel（.xlsx）", "xlsb": "Excel 二进制（.xlsb）", "ods": "OpenDocument（.ods）"}[fmt]
        raise SpreadsheetError(f"无法读取{kind}文件：文件可能已损坏或加密，请在 Excel 或 WPS 中重新另存后上传") from None
    _, _, max_sheets = read_limits()
    if len(workbook.sheets_metadata) > max_sheets:
        raise SpreadsheetError(f"文件有 {len(workbook.sheets_metadata)} 个工作表，超过 {max_sheets} 个的上限")
    sheets = []
    try:
        for meta in workbook.sheets_metadata:
            if str(getattr(meta, "typ", "")).endswith("ChartSheet"):
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            _check_rows(sheet.total_height, meta.name)  # before the rows become Python objects
            raw = sheet.to_python(skip_empty_area=False)
            sheets.append(Sheet(meta.name, [[cell_text(cell) for cell in row] for row in raw]))
    except SpreadsheetError:
        raise
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
    for sheet in sheets:
        _check_rows(len(sheet.rows), sheet.name)
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
        _check_rows(len(lines), "CSV")
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
