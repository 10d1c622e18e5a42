"""Importer of published power lists (权责清单) into enforcement items (R09).

A body's power list is the real, published source of its items: one row per item (事项), with
sub-items (子项) on the rows below under the same serial number (序号), whose serial and name
cells are merged and so arrive empty. The file has a title row, the header may span two rows,
and tall merged cells leave blank spacer rows: those are skipped, never errors.

Codes are stable — ``{body code}-{kind abbreviation}-{序号, 4 digits}`` plus ``-{sub index}`` for
sub-items — so that importing the same list again updates its items instead of duplicating them.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from zhifa.core import clock
from zhifa.core.importing import (
    Column,
    ImportRejected,
    ImportRequest,
    Plan,
    RowError,
    RowWarning,
    find_header,
    parse_date,
    records,
    register,
)
from zhifa.registry.access import can_manage_body
from zhifa.registry.models import Body

from .models import Item

SEQ, NAME, SUB_NAME, KIND, BASIS, ACTING_BODY, UNIT, LEVEL = (
    "序号", "事项名称", "子项名称", "权力类型", "实施依据", "行使主体", "承办机构", "实施层级及权限",
)

COLUMNS = (
    Column(SEQ, ("编号", "序"), required=True),
    Column(NAME, ("权力事项名称", "事项名称（主项）", "主项名称", "权力名称", "职权名称", "项目", "项目名称"), required=True),
    Column(SUB_NAME, ("子项", "子项名称（子项）", "权力事项子项名称")),
    Column(KIND, ("权力类别", "事项类型", "职权类型", "职权类别", "类别"), required=True),
    Column(BASIS, ("设定依据", "法律依据", "实施依据（法律依据）", "设定和实施依据")),
    Column(ACTING_BODY, ("实施主体", "责任主体")),
    Column(UNIT, ("承办机构（科室）", "承办科室", "内设机构", "责任科室")),
    Column(LEVEL, ("实施层级", "行使层级", "实施层级及权限实施层级", "层级")),
)

#: 权力类型 text → Item.Kind; any other non-empty type (其他行政权力, 行政备案 …) is ``other``.
KIND_BY_LABEL = {
    "行政处罚": Item.Kind.PENALTY,
    "行政强制": Item.Kind.COERCION,
    "行政强制措施": Item.Kind.COERCION,
    "行政强制执行": Item.Kind.COERCION,
    "行政检查": Item.Kind.INSPECTION,
    "行政许可": Item.Kind.LICENSING,
    "行政征收": Item.Kind.LEVY,
    "行政收费": Item.Kind.CHARGE,
    "行政给付": Item.Kind.PAYMENT,
    "行政确认": Item.Kind.CONFIRMATION,
    "行政奖励": Item.Kind.REWARD,
    "行政裁决": Item.Kind.ADJUDICATION,
}

#: Abbreviations in item codes (pinyin initials, as power-list codes customarily use).
KIND_ABBREVIATION = {
    Item.Kind.PENALTY: "CF",
    Item.Kind.COERCION: "QZ",
    Item.Kind.INSPECTION: "JC",
    Item.Kind.LICENSING: "XK",
    Item.Kind.LEVY: "ZS",
    Item.Kind.CHARGE: "SF",
    Item.Kind.PAYMENT: "JF",
    Item.Kind.CONFIRMATION: "QR",
    Item.Kind.REWARD: "JL",
    Item.Kind.ADJUDICATION: "CJ",
    Item.Kind.OTHER: "QT",
}

FIELDS = ("name", "sub_name", "kind", "legal_basis", "handling_unit", "level", "source", "source_seq")
_SUB_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.、．)）]\s*")
_SEQ = re.compile(r"^(\d{1,5})(?:[-－—.．](\d{1,3}))?$")
_MERGED_SEQ = re.compile(r"^\d{1,5}(?:\s*(?:[,，、;；/~～]|至)\s*\d{1,5})+$")  # 2,3: merged rows
_SERIAL_FLOAT = re.compile(r"(?<=\d)\.0+$")  # '12.0' typed as text in a CSV
_SERIAL_DECORATION = re.compile(r"^[（(]\s*(\d{1,5})\s*[)）]$|^(\d{1,5})\s*[、.．]$")  # （12） 12、 12.
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def kind_of(label: str) -> str | None:
    """The ``Item.Kind`` of a 权力类型 cell; ``None`` when empty."""
    text = re.sub(r"\s", "", label or "")
    if not text:
        return None
    return KIND_BY_LABEL.get(text, Item.Kind.OTHER)


def item_code(body_code: str, kind: str, seq: int, sub_index: int | None = None) -> str:
    """``SJJ-CF-0042`` or, for the 2nd sub-item, ``SJJ-CF-0042-2``."""
    code = f"{body_code}-{KIND_ABBREVIATION[kind]}-{seq:04d}"
    return f"{code}-{sub_index}" if sub_index else code


def list_valid_from(request: ImportRequest, header_row: int) -> dt.date:
    """The date the list takes effect: ``--valid-from``, else 1 January of the year in the title
    row (``克拉玛依市应急管理局2024年权责清单``), else of the year in the file name, else today."""
    given = request.options.get("valid_from")
    if isinstance(given, dt.date):
        return given
    if given:
        try:
            parsed = parse_date(str(given))
        except ValueError as exc:
            raise ImportRejected(f"生效日期：{exc}") from None
        if parsed:
            return parsed
    texts = [cell for row in request.rows[:header_row] for cell in row if cell] + [request.filename]
    for text in texts:
        match = _YEAR.search(text)
        if match:
            return dt.date(int(match.group(1)), 1, 1)
    return clock.today()


def import_items(request: ImportRequest) -> Plan:
    """Validate a power list and plan the upsert of its items by code (see module docstring)."""
    body = _importing_body(request)
    header = find_header(request.rows, COLUMNS)
    valid_from = list_valid_from(request, header.row)
    rows = list(records(request.rows, header))
    reader = _ListReader(body.code, header, request.filename.rsplit("/", 1)[-1], taken=_taken_serials(rows))
    for record in rows:
        reader.read(record)
    if not reader.errors and not reader.planned:
        reader.errors.append(RowError(0, "", "表格中没有任何事项"))
    if reader.errors:
        return Plan(total_rows=reader.total, errors=reader.errors, warnings=reader.warnings)
    return _upsert_plan(reader, body, valid_from, bool(request.options.get("valid_from")))


def _importing_body(request: ImportRequest) -> Body:
    """The body whose list it is; only its head or the administrator imports it."""
    body = Body.objects.filter(code=request.body_code).first()
    if body is None:
        raise ImportRejected(f"未知的执法主体编码「{request.body_code}」")
    actor = request.actor
    if actor is not None and not can_manage_body(actor, body):
        raise ImportRejected(f"无权导入「{body.name}」的权责清单：仅该主体负责人或系统管理员可以导入")
    return body


@dataclass
class _Cells:
    """One row's values, with those of a sub-item row carried from its item's row above."""

    seq_text: str
    name: str
    sub_name: str
    kind: str | None
    basis: str
    unit: str
    level: str
    seq: int | None = None
    sub_from_seq: int | None = None  # ``12-3`` → 3


def _serial_text(cell: str) -> str:
    """序号 as written, tidied: ``12.0`` (a number typed as text) → ``12``; ``12、``, ``12.``,
    ``（12）`` → ``12``; anything else as it is."""
    text = _SERIAL_FLOAT.sub("", cell.strip())
    match = _SERIAL_DECORATION.match(text)
    return (match.group(1) or match.group(2)) if match else text


def _first_serial(seq_text: str) -> tuple[int, int | None, list[int]] | None:
    """``12`` → (12, None, [12]); ``12-3`` → (12, 3, [12]); the serial of merged rows ``2,3``
    (also ``2、3``, ``2；3``, ``2~3``) → (2, None, [2, 3]); anything else → ``None``."""
    match = _SEQ.match(seq_text)
    if match:
        sub = int(match.group(2)) if match.group(2) and int(match.group(2)) else None
        return int(match.group(1)), sub, [int(match.group(1))]
    if _MERGED_SEQ.match(seq_text):
        numbers = [int(n) for n in re.findall(r"\d+", seq_text)]
        return numbers[0], None, numbers
    return None


def _taken_serials(rows: list) -> set[tuple[str | None, int]]:
    """Every (kind, 序号) the list writes itself, so that a serial inferred by position never
    takes the number of an item further down."""
    taken: set[tuple[str | None, int]] = set()
    for record in rows:
        parsed = _first_serial(_serial_text(record[SEQ]))
        if parsed:
            kind = kind_of(record[KIND])
            taken.update((kind, number) for number in parsed[2])
    return taken


def _same(a: str, b: str) -> bool:
    return re.sub(r"\s", "", a or "") == re.sub(r"\s", "", b or "")


def _joined(current: str, more: str) -> str:
    """``市级`` + ``区级`` → ``市级、区级`` (a text already there is not repeated)."""
    if not more or more == current or more in current.split("、"):
        return current
    return f"{current}、{more}" if current else more


@dataclass
class _ListReader:
    """Reads the rows of a power list one by one into planned items (``code`` → field values).

    What a clerk reads without hesitation is read, and listed in ``warnings`` (行号, what was
    inferred): a continuation row (续行) that names only another implementing level of the item
    above, an item without 序号 (numbered by its position: the serial after the one above that
    the list does not use), a serial of merged rows ``2,3`` (its first number). What is really
    broken is an error of its row, and the whole list is refused.
    """

    body_code: str
    header: Any
    filename: str
    taken: set = field(default_factory=set)  # (kind, serial) pairs used by the list (see _taken_serials)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowWarning] = field(default_factory=list)
    planned: dict[str, dict] = field(default_factory=dict)
    first_row: dict[str, int] = field(default_factory=dict)
    total: int = 0
    last: dict | None = None  # the last row with a serial number, for sub-items below it
    last_code: str | None = None  # the item planned from the row above, for a continuation row
    last_seq: int = 0  # the last serial read (the last of ``2,3``), for an item without one
    last_refused: bool = False  # whether the item row above was refused (its continuation rows are too)
    used_subs: dict[int, set[int]] = field(default_factory=dict)

    def read(self, record) -> None:
        filled = [value for value in record.values.values() if value]
        if len(filled) == 1 and record[SEQ] and not _SEQ.match(_serial_text(record[SEQ])):
            return  # a section title merged across the row: 「一、行政许可（12项）」
        self.total += 1
        if _continuation_shape(record) and self.last_refused:
            self.errors.append(RowError(record.number, SEQ, "缺少序号和事项名称，且上方事项有错误，无法并入上方事项"))
            return
        if self._is_continuation(record):
            self._continue(record)
            return
        cells, row_errors = self._cells(record)
        self.last_refused = bool(row_errors)
        if row_errors:
            self.errors.extend(row_errors)
            self.last_code = None
            return
        self._plan(record, cells)

    def _plan(self, record, cells: _Cells) -> None:
        sub_index, sub_name = self._sub_index(cells)
        code = item_code(self.body_code, cells.kind, cells.seq, sub_index)
        self.last_code = None
        if len(code) > 40:
            self.errors.append(RowError(record.number, SEQ, f"生成的事项编码「{code}」超过 40 字符，请缩短主体编码"))
            return
        if code in self.planned:
            self.errors.append(RowError(record.number, SEQ, f"序号「{cells.seq_text}」重复（与第{self.first_row[code]}行）"))
            return
        self.first_row[code] = record.number
        self.last_code = code
        self.planned[code] = {
            "name": cells.name,
            "sub_name": sub_name,
            "kind": cells.kind,
            "legal_basis": cells.basis,
            "handling_unit": cells.unit,
            "level": cells.level,
            "source": f"{self.filename[:180]} 第{record.number}行",
            "source_seq": cells.seq_text[:20],
        }

    # --- continuation rows (续行) ---------------------------------------------------------------

    def _is_continuation(self, record) -> bool:
        """A row with neither 序号, 事项名称 nor 子项名称 that names an implementing level, right
        below a planned item whose 权力类型 and 实施依据 it does not contradict."""
        if not _continuation_shape(record) or self.last_code is None:
            return False
        item = self.planned[self.last_code]
        return kind_of(record[KIND]) in (None, item["kind"]) and (not record[BASIS] or _same(record[BASIS], item["legal_basis"]))

    def _continue(self, record) -> None:
        """Attach the row's level (and its 承办机构, if another) to the item above, with a warning."""
        item = self.planned[self.last_code]
        level, unit = _joined(item["level"], record[LEVEL]), _joined(item["handling_unit"], record[UNIT])
        limits = ((UNIT, unit, _limit("handling_unit")), (LEVEL, level, _limit("level")))
        too_long = [(label, limit) for label, value, limit in limits if len(value) > limit]
        if too_long:
            self.errors.extend(RowError(record.number, label, f"并入上方事项后超过 {limit} 字") for label, limit in too_long)
            return
        item["level"], item["handling_unit"] = level, unit
        name = item["name"] + (f"（{item['sub_name']}）" if item["sub_name"] else "")
        self.warnings.append(RowWarning(
            record.number, LEVEL,
            f"无序号和事项名称，视为第{self.first_row[self.last_code]}行事项「{name}」的另一实施层级「{record[LEVEL]}」",
        ))

    # --- the cells of an item row ----------------------------------------------------------------

    def _cells(self, record) -> tuple[_Cells, list[RowError]]:
        """The row's values and everything wrong with them; a row with a serial number becomes
        the ``last`` row its sub-items inherit from."""
        row_errors: list[RowError] = []
        seq_text, name, sub_name = _serial_text(record[SEQ]), record[NAME], record[SUB_NAME]
        last = self.last
        carried = positional = False
        if not seq_text:
            if last is not None and sub_name and (not name or name == last["name"]):
                # A sub-item row: 序号 and 事项名称 are merged cells above it.
                carried = True
                seq_text = last["seq_text"]
                name = name or last["name"]
            elif name:
                positional = True  # an item without 序号: numbered by position below
            else:
                row_errors.append(RowError(record.number, SEQ, "缺少序号"))

        def inherited(column: str) -> str:
            return record[column] or (last[column] if carried and last else "")

        cells = _Cells(seq_text, name, sub_name, kind_of(inherited(KIND)), inherited(BASIS), inherited(UNIT), inherited(LEVEL))
        if not name:
            row_errors.append(RowError(record.number, NAME, "缺少事项名称"))
        if cells.kind is None:
            row_errors.append(RowError(record.number, KIND, "缺少权力类型"))
        if self.header.has(BASIS) and not cells.basis:
            row_errors.append(RowError(record.number, BASIS, "缺少实施依据（法律依据）"))
        if positional and not row_errors:
            self._number_by_position(record, cells)
        elif carried and not seq_text:
            cells.seq = last["seq"]  # a sub-item of an item without 序号
        elif seq_text:
            row_errors.extend(self._serial(record, cells, warn=not carried))
        row_errors.extend(_too_long(record.number, cells))
        if not carried and cells.seq is not None:
            self.last = {"seq_text": cells.seq_text, "seq": cells.seq, "name": name, KIND: record[KIND],
                         BASIS: record[BASIS], UNIT: record[UNIT], LEVEL: record[LEVEL]}
        return cells, row_errors

    def _serial(self, record, cells: _Cells, *, warn: bool) -> list[RowError]:
        """Read 序号 (``12``, ``12-3``; ``2,3`` of merged rows: its first number, with a warning
        on the item's row — not again on its sub-items' rows, which carry it)."""
        parsed = _first_serial(cells.seq_text)
        if parsed is None:
            return [RowError(record.number, SEQ, f"序号「{cells.seq_text}」应为数字（如 12 或 12-1）")]
        cells.seq, cells.sub_from_seq, numbers = parsed
        if len(numbers) > 1 and warn:
            self.warnings.append(RowWarning(
                record.number, SEQ, f"序号「{cells.seq_text}」含多个编号（合并的行），取第一个编号 {cells.seq}",
            ))
        self.last_seq = numbers[-1]
        return []

    def _number_by_position(self, record, cells: _Cells) -> None:
        """Give an item without 序号 the number after the one above that the list does not use."""
        seq = self.last_seq + 1
        while (cells.kind, seq) in self.taken:
            seq += 1
        self.taken.add((cells.kind, seq))
        cells.seq, cells.seq_text, self.last_seq = seq, "", seq
        self.warnings.append(RowWarning(record.number, SEQ, f"缺少序号，按所在位置编为 {seq}"))

    def _sub_index(self, cells: _Cells) -> tuple[int | None, str]:
        """The sub-item's index — from ``12-3``, else its own number (``2、…``) if free, else the
        next free one — and its name without that number."""
        sub_index, sub_name = cells.sub_from_seq, cells.sub_name
        if sub_name:
            match = _SUB_NUMBER.match(sub_name)
            used = self.used_subs.setdefault(cells.seq, set())
            if sub_index is None and match and int(match.group(1)) not in used:
                sub_index = int(match.group(1))
            if match:
                sub_name = sub_name[match.end():].strip()
            if sub_index is None:
                sub_index = max(used, default=0) + 1
            used.add(sub_index)
        return sub_index, sub_name


def _continuation_shape(record) -> bool:
    """Neither 序号, 事项名称 nor 子项名称, but an implementing level: the look of a continuation row."""
    return not (record[SEQ] or record[NAME] or record[SUB_NAME]) and bool(record[LEVEL])


def _limit(field_name: str) -> int:
    """The length the ``Item`` field holds (a longer text is refused, never cut)."""
    return Item._meta.get_field(field_name).max_length


def _too_long(number: int, cells: _Cells) -> list[RowError]:
    limits = ((NAME, cells.name, "name"), (SUB_NAME, cells.sub_name, "sub_name"), (UNIT, cells.unit, "handling_unit"),
              (LEVEL, cells.level, "level"))
    return [RowError(number, label, f"超过 {_limit(name)} 字") for label, value, name in limits if len(value) > _limit(name)]


def _upsert_plan(reader: _ListReader, body: Body, valid_from: dt.date, date_given: bool) -> Plan:
    """Create the new codes, update the changed ones (a code of another body is an error)."""
    errors: list[RowError] = []
    existing = {item.code: item for item in Item.objects.filter(code__in=list(reader.planned))}
    to_create: list[Item] = []
    to_update: list[Item] = []
    unchanged = 0
    for code, values in reader.planned.items():
        item = existing.get(code)
        if item is None:
            to_create.append(Item(code=code, body=body, valid_from=valid_from, **values))
            continue
        if item.body_id != body.pk:
            errors.append(RowError(reader.first_row[code], SEQ, f"事项编码「{code}」已属于其他主体"))
            continue
        if date_given:
            values = {**values, "valid_from": valid_from}
        if all(getattr(item, key) == value for key, value in values.items()):
            unchanged += 1
            continue
        for key, value in values.items():
            setattr(item, key, value)
        to_update.append(item)
    if errors:
        return Plan(total_rows=reader.total, errors=errors, warnings=reader.warnings)

    def write() -> None:
        Item.objects.bulk_create(to_create, batch_size=500)
        if to_update:
            Item.objects.bulk_update(to_update, [*FIELDS, "valid_from"], batch_size=500)

    return Plan(total_rows=reader.total, created=len(to_create), updated=len(to_update), skipped=unchanged, write=write,
                warnings=reader.warnings)


register("items", import_items, "权责清单事项", needs_body=True)


# The published discretion-benchmark tables register their own kind ("benchmarks").
from zhifa.catalog import benchmark_import  # noqa: E402,F401
