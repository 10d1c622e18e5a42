"""Importer of the entity database (检查对象名录库, R26): ``zhifa import entities FILE``.

One row is one market entity keyed by its unified social credit code (GB 32100, check character
verified). Rows are validated in Python; new entities are upserted by credit code. Speed matters
(a city has hundreds of thousands of entities, a province millions):

- the rows are read by index, not through per-row dictionaries;
- each row's fields are hashed (``row_digest``) so that a re-import writes only what changed;
- on PostgreSQL new rows go in with ``COPY`` (psycopg 3 ``cursor.copy()``) and changed rows
  through a temporary table and one ``UPDATE … FROM``; on SQLite with ``executemany`` upserts.
"""
from __future__ import annotations

import hashlib
import operator

from django.db import connection

from zhifa.core.importing import Column, ImportRejected, ImportRequest, Plan, RowError, find_header, register
from zhifa.registry.access import Role
from zhifa.registry.models import Jurisdiction

from . import bulk
from .models import Entity
from .rules import CREDIT_AUTHORITIES, CREDIT_CHARS, CREDIT_VALUE, CREDIT_WEIGHTS, credit_code_problem

CODE, NAME, KIND, INDUSTRY, ADDRESS, TOWNSHIP = "统一社会信用代码", "名称", "主体类型", "行业", "地址", "所属乡镇"
RISK, CREDIT, ABNORMAL, COMPLAINTS, VIOLATIONS = "风险等级", "信用等级", "经营异常名录", "投诉次数", "违法记录次数"

COLUMNS = (
    Column(CODE, ("信用代码", "社会信用代码", "统一代码", "注册号/统一社会信用代码"), required=True),
    Column(NAME, ("企业名称", "主体名称", "单位名称", "市场主体名称", "名称（字号）"), required=True),
    Column(KIND, ("类型", "市场主体类型", "企业类型")),
    Column(INDUSTRY, ("所属行业", "行业类别", "行业门类")),
    Column(ADDRESS, ("住所", "经营场所", "住所（经营场所）", "住所经营场所", "注册地址")),
    Column(TOWNSHIP, ("乡镇（街道）", "乡镇街道", "所属街道", "所属乡镇（街道）", "乡镇", "区划代码")),
    Column(RISK, ("风险分级", "风险类别")),
    Column(CREDIT, ("信用风险分类", "信用分类", "信用等级分类")),
    Column(ABNORMAL, ("列入经营异常名录", "经营异常", "是否经营异常")),
    Column(COMPLAINTS, ("投诉举报次数", "投诉举报", "投诉")),
    Column(VIOLATIONS, ("违法次数", "既往违法次数", "违法记录")),
)

KINDS = {label: value for value, label in Entity.Kind.choices} | {value: value for value in Entity.Kind.values} | {
    "公司": "enterprise", "有限责任公司": "enterprise", "股份有限公司": "enterprise", "个人独资企业": "enterprise",
    "合伙企业": "enterprise", "个体": "individual", "个体户": "individual", "合作社": "cooperative",
    "农民专业合作社": "cooperative", "其他": "other",
}
GRADES = {g: g for g in "ABCD"} | {g.lower(): g for g in "ABCD"} | {
    "低": "A", "低风险": "A", "较低": "B", "一般": "B", "较低风险": "B", "较高": "C", "较高风险": "C", "高": "D", "高风险": "D",
}
TRUE, FALSE = {"是", "有", "y", "yes", "1", "true", "√", "列入"}, {"", "否", "无", "n", "no", "0", "false", "×", "未列入"}

FIELDS = ("credit_code", "name", "kind", "industry", "address", "township_id", "risk_grade", "credit_grade",
          "is_abnormal", "complaint_count", "violation_count", "row_digest")


def _may_import(actor) -> bool:
    return actor is None or actor.is_admin or actor.has(Role.HEAD) or actor.is_supervisor


def _townships() -> tuple[dict[str, int], dict[str, int | None]]:
    by_code, by_name = {}, {}
    for pk, code, name in Jurisdiction.objects.filter(level=Jurisdiction.Level.TOWNSHIP).values_list("pk", "code", "name"):
        by_code[code] = pk
        by_name[name] = None if name in by_name else pk  # None: ambiguous, ask for the code
    return by_code, by_name


def _count(text: str) -> int:
    if not text:
        return 0
    if text.isdigit():
        return int(text)
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"「{text}」应为不小于 0 的整数") from None
    if value < 0 or not value.is_integer() or value > 1_000_000:
        raise ValueError(f"「{text}」应为不小于 0 的整数")
    return int(value)


def import_entities(request: ImportRequest) -> Plan:
    """Validate an entity list and plan its upsert."""
    if not _may_import(request.actor):
        raise ImportRejected("无权导入检查对象名录库：仅系统管理员、执法主体负责人或执法监督机构可以导入")
    rows = request.rows
    header = find_header(rows, COLUMNS)
    idx = header.index
    positions = [idx.get(name) for name in (CODE, NAME, KIND, INDUSTRY, ADDRESS, TOWNSHIP, RISK, CREDIT, ABNORMAL, COMPLAINTS, VIOLATIONS)]
    by_code, by_name = _townships()
    errors: list[RowError] = []
    valid: list[tuple] = []
    seen: dict[str, int] = {}
    total = 0
    blake = hashlib.blake2b
    values, weights, chars = CREDIT_VALUE, CREDIT_WEIGHTS, CREDIT_CHARS
    width = max((len(r) for r in rows), default=0)
    present = [p for p in positions if p is not None]
    pick = operator.itemgetter(*present) if len(present) > 1 else (lambda r: (r[present[0]],))
    slots = [k for k, p in enumerate(positions) if p is not None]
    authorities = CREDIT_AUTHORITIES
    empty = [""] * len(positions)
    for i in range(header.data_start, len(rows)):
        row = rows[i]
        if len(row) < width:
            row = list(row) + [""] * (width - len(row))
        got = pick(row)
        if len(slots) == len(positions):
            cells = got
        else:
            cells = list(empty)
            for k, value in zip(slots, got):
                cells[k] = value
        if not any(cells):
            continue
        total += 1
        number = i + 1
        code_text, name, kind_text, industry, address, township_text, risk, credit, abnormal, complaints, violations = cells
        bad = len(errors)
        code = code_text if (len(code_text) == 18 and code_text.isupper()) else code_text.replace(" ", "").upper()
        # Fast check (GB 32100 §4.3); the full explanation only for a bad code.
        try:
            ok = (len(code) == 18 and code[0] in authorities and code[2:8].isdigit()
                  and chars[(31 - sum(map(operator.mul, map(values.__getitem__, code[:17]), weights)) % 31) % 31] == code[17])
        except KeyError:
            ok = False
        if not ok:
            errors.append(RowError(number, CODE, f"「{code_text}」不是有效的统一社会信用代码：{credit_code_problem(code) or '校验码错误（GB 32100）'}" if code else "缺少统一社会信用代码"))
        elif code in seen:
            errors.append(RowError(number, CODE, f"「{code}」与第{seen[code]}行重复"))
        else:
            seen[code] = number
        if not name:
            errors.append(RowError(number, NAME, "缺少名称"))
        elif len(name) > 200:
            errors.append(RowError(number, NAME, "超过 200 字"))
        kind = KINDS.get(kind_text, None) if kind_text else "enterprise"
        if kind is None:
            kind = "enterprise" if ("公司" in kind_text or "企业" in kind_text) else None
            if kind is None:
                errors.append(RowError(number, KIND, f"「{kind_text}」不是有效的主体类型（企业、个体工商户、农民专业合作社、其他组织）"))
        if len(industry) > 60:
            errors.append(RowError(number, INDUSTRY, "超过 60 字"))
        if len(address) > 200:
            errors.append(RowError(number, ADDRESS, "超过 200 字"))
        township = None
        if township_text:
            township = by_code.get(township_text)
            if township is None:
                township = by_name.get(township_text)
                if township is None:
                    why = "重名，请填写区划代码" if township_text in by_name else "不是已登记的乡镇（街道）名称或区划代码"
                    errors.append(RowError(number, TOWNSHIP, f"「{township_text}」{why}"))
        risk_grade = GRADES.get(risk, None) if risk else "B"
        if risk_grade is None:
            errors.append(RowError(number, RISK, f"「{risk}」应为 A、B、C、D（低、较低、较高、高）"))
        credit_grade = GRADES.get(credit, None) if credit else "A"
        if credit_grade is None:
            errors.append(RowError(number, CREDIT, f"「{credit}」应为 A、B、C、D"))
        low = abnormal.lower()
        is_abnormal = low in TRUE
        if not is_abnormal and low not in FALSE:
            errors.append(RowError(number, ABNORMAL, f"「{abnormal}」应填写“是”或“否”"))
        try:
            complaint_count = _count(complaints)
        except ValueError as exc:
            errors.append(RowError(number, COMPLAINTS, str(exc)))
            complaint_count = 0
        try:
            violation_count = _count(violations)
        except ValueError as exc:
            errors.append(RowError(number, VIOLATIONS, str(exc)))
            violation_count = 0
        if len(errors) != bad:
            continue
        record = (code, name, kind, industry, address, township, risk_grade, credit_grade, is_abnormal, complaint_count, violation_count)
        digest = blake("\x1f".join(map(str, record)).encode(), digest_size=8).hexdigest()
        valid.append((*record, digest))
    if errors:
        return Plan(total_rows=total, errors=errors)

    existing = _existing_digests([r[0] for r in valid])
    new = [r for r in valid if r[0] not in existing]
    changed = [r for r in valid if r[0] in existing and existing[r[0]] != r[-1]]
    unchanged = len(valid) - len(new) - len(changed)

    def write() -> None:
        write_entities(new, changed)

    return Plan(total_rows=total, created=len(new), updated=len(changed), skipped=unchanged, write=write)


def _existing_digests(codes: list[str]) -> dict[str, str]:
    """``credit_code → row_digest`` of the stored entities among ``codes``: the whole (narrow)
    column when the file is large, else by chunks."""
    if not codes:
        return {}
    stored = Entity.objects.count()
    if len(codes) * 4 > stored:
        wanted = set(codes)
        return {c: d for c, d in Entity.objects.values_list("credit_code", "row_digest").iterator(chunk_size=50000) if c in wanted}
    found = {}
    for start in range(0, len(codes), 5000):
        found.update(Entity.objects.filter(credit_code__in=codes[start:start + 5000]).values_list("credit_code", "row_digest"))
    return found


def write_entities(new: list[tuple], changed: list[tuple]) -> None:
    """Write validated rows (tuples in ``FIELDS`` order): COPY on PostgreSQL, upserts elsewhere."""
    table = Entity._meta.db_table
    if bulk.is_postgres():
        if new:
            bulk.copy_rows(table, FIELDS, new)
        if changed:
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE TEMP TABLE entity_import (LIKE "{table}" INCLUDING DEFAULTS) ON COMMIT DROP')
                cursor.execute('ALTER TABLE entity_import DROP COLUMN id')
            bulk.copy_rows("entity_import", FIELDS, changed)
            assignments = ", ".join(f'"{f}" = s."{f}"' for f in FIELDS if f != "credit_code")
            with connection.cursor() as cursor:
                cursor.execute(f'UPDATE "{table}" t SET {assignments} FROM entity_import s WHERE t.credit_code = s.credit_code')
                cursor.execute("DROP TABLE entity_import")
        return
    rows = new + changed
    if not rows:
        return
    cols = ", ".join(f'"{f}"' for f in FIELDS)
    marks = ", ".join(["%s"] * len(FIELDS))
    updates = ", ".join(f'"{f}" = excluded."{f}"' for f in FIELDS if f != "credit_code")
    sql = f'INSERT INTO "{table}" ({cols}) VALUES ({marks}) ON CONFLICT ("credit_code") DO UPDATE SET {updates}'
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start:start + 5000])


register("entities", import_entities, "检查对象")

__all__ = ["COLUMNS", "FIELDS", "import_entities", "write_entities"]
