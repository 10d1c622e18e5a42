"""Importing an evaluation sheet from Excel (案卷评查表导入, R31, R43): the office keeps its sheet in
a spreadsheet (.xlsx, .xls, .ods or .csv — read by python-calamine through ``core.importing``) and
imports it as a new draft version of sheet ``code``; it is published like any draft. The import is
all or nothing: every bad row is reported in Chinese (row, column, reason) and nothing is saved;
``run_import`` records each real run once on ``import:evaluation_sheet`` (file, SHA-256, counts),
and the draft's save is on the sheet's own chain (``sheet:<code>``).

The layout (one worksheet), the same structure as ``evaluation_sheet.toml``:

- above the header, label–value rows: 评查表名称, 总分, 优秀线, 合格线, 依据 (总分 defaults to
  100, the cut-offs to 90 / 60);
- the header 类型 | 评分组编号 | 评分组名称 | 编号 | 评查内容 | 分值 | 每处扣分 | 依据 | 自动预检;
- one row per veto (类型 否决项: no points) or scored item (类型 评分项, or empty); a group's code
  and name carry down to the rows below (merged cells); 自动预检 is a check's code or its Chinese
  name (``rules.scoring.CHECKS``).
"""
from __future__ import annotations

from decimal import Decimal

from zhifa.core.importing import (Column, ImportRejected, ImportRequest, Plan, RowError, find_header, normalize_header,
                                  parse_decimal, records, register)

from .rules import scoring

KIND = "evaluation_sheet"
LABEL = "案卷评查表"
COLUMNS = (
    Column("类型", ("项目类型",)),
    Column("评分组编号", ("组编号",)),
    Column("评分组名称", ("评分组", "评查类别", "类别")),
    Column("编号", ("项目编号", "评查项编号"), required=True),
    Column("评查内容", ("评查项目", "内容", "评查标准"), required=True),
    Column("分值", ("标准分",)),
    Column("每处扣分", ("扣分", "扣分标准")),
    Column("依据", ("法律依据",)),
    Column("自动预检", ("预检",)),
)
VETO_TYPES = {"否决项", "否决", "一票否决"}
ITEM_TYPES = {"", "评分项", "评分", "扣分项"}
HEAD_FIELDS = {"评查表名称": "name", "名称": "name", "总分": "total", "优秀线": "excellent", "合格线": "passing", "依据": "basis"}
CHECK_BY_NAME = {**{code: code for code in scoring.CHECKS}, **{label: code for code, label in scoring.CHECKS.items()}}


def _head(rows: list[list[str]], before: int) -> tuple[dict, list[RowError]]:
    """The label–value rows above the header."""
    head, errors = {}, []
    for i in range(before):
        cells = [c for c in rows[i] if c]
        key = HEAD_FIELDS.get(normalize_header(cells[0])) if cells else None
        if key is None or len(cells) < 2:
            continue
        value = cells[1]
        if key in ("total", "excellent", "passing"):
            value = _decimal(value, i + 1, cells[0], errors)
            if value is None:
                continue
        head[key] = value
    return head, errors


def _decimal(text: str, row: int, column: str, errors: list[RowError]) -> Decimal | None:
    """A number not below 0 (分值、扣分、分数线); empty → ``None``."""
    try:
        value = parse_decimal(text)
    except ValueError as exc:
        errors.append(RowError(row, column, str(exc)))
        return None
    if value is not None and value < 0:
        errors.append(RowError(row, column, f"「{text.strip()}」不能为负数"))
        return None
    return value


def _number(record, column: str, errors: list[RowError]) -> Decimal | None:
    return _decimal(record[column], record.number, column, errors)


def parse_rows(rows: list[list[str]]) -> tuple[dict, int, list[RowError]]:
    """(the sheet's content as the TOML's tables, the data rows read, every row error)."""
    header = find_header(rows, COLUMNS)
    content, errors = _head(rows, header.row)
    content = {"name": "", "total": Decimal(100), **content, "vetoes": [], "groups": []}
    groups: dict[str, dict] = {}
    seen: dict[str, int] = {}
    group_code = group_name = ""
    count = 0
    for record in records(rows, header):
        count += 1
        kind = normalize_header(record["类型"])
        code = record["编号"].strip()
        if code in seen:
            errors.append(RowError(record.number, "编号", f"编号 {code} 与第{seen[code]}行重复"))
        seen.setdefault(code, record.number)
        check = record["自动预检"].strip()
        if check and check not in CHECK_BY_NAME:
            errors.append(RowError(record.number, "自动预检", f"「{check}」不是可用的自动预检，可选：{'、'.join(scoring.CHECKS.values())}"))
        entry = {"code": code, "text": record["评查内容"].strip(), "basis": record["依据"].strip(),
                 **({"check": CHECK_BY_NAME[check]} if check in CHECK_BY_NAME else {})}
        if not entry["text"]:
            errors.append(RowError(record.number, "评查内容", "评查内容不能为空"))
        if kind in VETO_TYPES:
            content["vetoes"].append(entry)
            continue
        if kind not in ITEM_TYPES:
            errors.append(RowError(record.number, "类型", f"「{record['类型']}」应填写“否决项”或“评分项”"))
            continue
        group_code = record["评分组编号"].strip() or group_code
        group_name = record["评分组名称"].strip() or (group_name if not record["评分组编号"].strip() else "")
        if not group_code:
            errors.append(RowError(record.number, "评分组编号", "评分项须属于一个评分组，请填写评分组编号"))
            continue
        points, deduction = _number(record, "分值", errors), _number(record, "每处扣分", errors)
        if points is None:
            if record["分值"].strip() == "":
                errors.append(RowError(record.number, "分值", "评分项须填写分值"))
            continue
        if deduction is not None and deduction > points:
            errors.append(RowError(record.number, "每处扣分", f"每处扣分（{deduction}）超过该项分值（{points}）"))
        group = groups.setdefault(group_code, {"code": group_code, "name": group_name or group_code, "items": []})
        group["items"].append({**entry, "points": points, **({"deduction": deduction} if deduction is not None else {})})
    content["groups"] = list(groups.values())
    return _plain(content), count, errors


def _plain(value):
    """Decimals as ints or floats (the content is stored as JSON, like the TOML's)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def import_sheet(request: ImportRequest) -> Plan:
    """Validate the sheet of the file; its ``write`` saves it as the draft of ``options["code"]``."""
    from . import permissions
    from .services.evaluation import save_sheet_draft

    code = str(request.options.get("code") or "").strip()
    if not code:
        raise ImportRejected("请指定评查表编号（如 default）")
    if request.actor is None:
        raise ImportRejected("评查表须由执法监督机构人员导入（请在“案卷评查表”页面或接口中上传）")
    permissions.require_office(request.actor, "导入评查表")
    content, count, errors = parse_rows(request.rows)
    if not content["name"]:
        content["name"] = code
    if not errors:
        try:
            scoring.parse_sheet({**content, "code": code})
        except scoring.SheetError as exc:
            errors = [RowError(0, "", problem) for problem in exc.problems]

    def write() -> None:
        save_sheet_draft(code=code, content=content, actor=request.actor, source=request.filename)

    return Plan(total_rows=count, created=count, errors=errors, write=write)


register(KIND, import_sheet, LABEL)
