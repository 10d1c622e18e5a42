"""Headers, rows and cells (表头、数据行与单元格): find the header among title rows (two-row headers
and spans included), walk the data rows below it, and parse cells into dates, booleans and
numbers with Chinese messages."""
from __future__ import annotations

import datetime as dt
import decimal
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterator, Sequence

from .progress import PROGRESS_EVERY, report_progress
from .reading import SpreadsheetError

_HEADER_NOISE = re.compile(r"[\s*＊:：\u200b-\u200d\u2060\ufeff]|[（(](?:必填|选填|可选|非必填)[)）]")


def normalize_header(text: str) -> str:
    """Header text compared without whitespace (inner, full-width and zero-width spaces
    included: ``序  号``, ``序　号``), newlines, required markers (``*``) or ``（必填）``, and
    with full-width letters and digits folded (NFKC): ``'事项\\n名称'`` → ``'事项名称'``."""
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", text or ""))


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


def _number(text: str, what: str) -> decimal.Decimal | None:
    """``text`` as a ``Decimal``; empty → ``None``; else ``ValueError`` (「…」应为``what``)."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return decimal.Decimal(text)
    except decimal.InvalidOperation:
        raise ValueError(f"「{text}」应为{what}") from None


def parse_int(text: str, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
    """A whole number (``3``, ``3.0``); empty → ``None``."""
    value = _number(text, "整数")
    if value is None:
        return None
    text = text.strip()
    if value != value.to_integral_value():
        raise ValueError(f"「{text}」应为整数")
    number = int(value)
    if minimum is not None and number < minimum or maximum is not None and number > maximum:
        raise ValueError(f"「{text}」应在 {minimum} 到 {maximum} 之间")
    return number


def parse_decimal(text: str, *, minimum: decimal.Decimal | int | None = None, maximum: decimal.Decimal | int | None = None) -> decimal.Decimal | None:
    """A decimal number; empty → ``None``."""
    value = _number(text, "数字")
    if value is None:
        return None
    if not value.is_finite() or (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ValueError(f"「{text.strip()}」应在 {minimum} 到 {maximum} 之间")
    return value
