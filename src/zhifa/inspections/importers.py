"""Importer of the entity database (检查对象名录库, R26): ``zhifa import entities FILE``.

One row is one market entity keyed by its unified social credit code (GB 32100, check character
verified). Every row is validated in Python; the entities are upserted by credit code, all or
nothing. Speed matters (a city has hundreds of thousands of entities, a province millions; the
bar is half the rows per second of a plain ``COPY`` of the same file), so:

- the importer is registered ``raw``: a CSV is streamed line by line (``core.importing.iter_rows``)
  instead of being turned into a table of cells first; spreadsheets are read as usual;
- a row is validated with dictionary look-ups and one precompiled regular expression; the GB 32100
  check character is computed in C (``int(…, 34)``: 34 ≡ 3 (mod 31), and the weights are 3^i mod 31);
- each valid row becomes one line of ``COPY`` text at once; a plain comma-separated file in the
  usual column order is not even split into all its cells (``_Validator.fast``): the last six
  columns take few distinct values and are validated once per distinct text;
- on PostgreSQL the lines of new entities are streamed into the entity table with ``COPY`` while
  the next rows are being validated (a writer thread sends them; the server inserts on the other
  core); the stored entities are read once as COPY lines too, so that a re-import compares lines
  and writes only the changed entities (a temporary table and one ``UPDATE … FROM``). A bad row
  anywhere rolls everything back and every error is reported. On SQLite (and for a dry run) each
  chunk of valid rows is compared with the stored entities of its credit codes (one indexed query
  a chunk) as it comes, so that the progress reported after each chunk covers the comparison too;
  nothing is written until every row is valid, then ``executemany`` upserts.
"""
from __future__ import annotations

import json
import operator
import re
from itertools import chain, islice

from django.db import DatabaseError, connection, transaction
from django.db.models.expressions import RawSQL
from psycopg.copy import QueuedLibpqWriter

from zhifa.core.importing import (PHASE_WRITE, Column, ImportRejected, ImportRequest, Plan, RowError, find_header, plain_csv, register,
                                  report_progress)
from zhifa.registry.access import Role
from zhifa.registry.models import Jurisdiction

from . import bulk
from .models import Entity
from .rules import CREDIT_CHARS, credit_code_problem

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
ORDER = (CODE, NAME, KIND, INDUSTRY, ADDRESS, TOWNSHIP, RISK, CREDIT, ABNORMAL, COMPLAINTS, VIOLATIONS)

KINDS = {label: value for value, label in Entity.Kind.choices} | {value: value for value in Entity.Kind.values} | {
    "公司": "enterprise", "有限责任公司": "enterprise", "股份有限公司": "enterprise", "个人独资企业": "enterprise",
    "合伙企业": "enterprise", "个体": "individual", "个体户": "individual", "合作社": "cooperative",
    "农民专业合作社": "cooperative", "其他": "other", "": "enterprise",
}
GRADES = {g: g for g in "ABCD"} | {g.lower(): g for g in "ABCD"} | {
    "低": "A", "低风险": "A", "较低": "B", "一般": "B", "较低风险": "B", "较高": "C", "较高风险": "C", "高": "D", "高风险": "D",
}
RISK_GRADES = GRADES | {"": "B"}  # unknown risk: B (较低), the default of the model
CREDIT_GRADES = GRADES | {"": "A"}
TRUE, FALSE = {"是", "有", "y", "yes", "1", "true", "√", "列入"}, {"", "否", "无", "n", "no", "0", "false", "×", "未列入"}
FLAGS = {text: "t" for text in TRUE} | {text: "f" for text in FALSE}  # COPY text of a boolean
COUNTS = {str(n): str(n) for n in range(1000)} | {"": "0"}

FIELDS = ("credit_code", "name", "kind", "industry", "address", "township_id", "risk_grade", "credit_grade",
          "is_abnormal", "complaint_count", "violation_count")

# GB 32100-2015 §4: structure (registration authority, kind, 6-digit region, 9 + 1 code characters).
CODE_SHAPE = re.compile(r"[1-9ANY][0-9A-HJ-NPQRTUWXY][0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}")
# Each code character → the digit of its GB 32100 value in base 34; since 34 ≡ 3 (mod 31) and the
# weights of positions 1–17 are 3^0 … 3^16 mod 31, int(reversed first 17, 34) mod 31 is the
# weighted sum mod 31 (GB 32100 §4.3) — computed in C.
_BASE34 = bytes.maketrans(CREDIT_CHARS.encode(), "0123456789abcdefghijklmnopqrstu".encode())
_NEEDS_ESCAPE = re.compile(r"[\\\n\r]").search
CHUNK = 20000


def credit_code_valid(code: str) -> bool:
    """Fast equivalent of ``rules.credit_code_problem(code) is None`` for normalised codes."""
    if CODE_SHAPE.fullmatch(code) is None:
        return False
    return CREDIT_CHARS[-int(code.encode()[16::-1].translate(_BASE34), 34) % 31] == code[17]


def copy_line(record) -> str:
    """One entity (``FIELDS`` order) as a line of COPY text, without its end."""
    return "\t".join(map(bulk._text, record))


def _may_import(actor) -> bool:
    return actor is None or actor.is_admin or actor.has(Role.HEAD) or actor.is_supervisor


def _townships() -> tuple[dict[str, str], set[str]]:
    """``text → township id as COPY text`` (区划代码 and unambiguous names, "" → NULL), and the
    ambiguous names."""
    by_code: dict[str, str] = {}
    names: dict[str, str | None] = {}
    for pk, code, name in Jurisdiction.objects.filter(level=Jurisdiction.Level.TOWNSHIP).values_list("pk", "code", "name"):
        by_code[code] = str(pk)
        names[name] = None if name in names else str(pk)
    ambiguous = {name for name, pk in names.items() if pk is None}
    return {name: pk for name, pk in names.items() if pk is not None} | by_code | {"": "\\N"}, ambiguous


def _count_problem(text: str) -> tuple[str | None, str | None]:
    """``(COPY text, None)`` of a count cell, or ``(None, Chinese problem)``."""
    try:
        value = float(text)
    except ValueError:
        return None, f"「{text}」应为不小于 0 的整数"
    if value < 0 or not value.is_integer() or value > 1_000_000:
        return None, f"「{text}」应为不小于 0 的整数"
    return str(int(value)), None


class _Validator:
    """Validates rows and turns each valid one into a line of COPY text (``FIELDS`` order)."""

    def __init__(self, header_index: dict[str, int]):
        self.positions = [header_index.get(name) for name in ORDER]
        self.towns, self.ambiguous = _townships()
        self.errors: list[RowError] = []
        self.seen: dict[str, int] = {}
        self.total = 0

    def run(self, rows, first_number: int):
        """Yield ``(codes, lines)`` of valid rows, ``CHUNK`` at a time; collect errors."""
        positions = self.positions
        present = [p for p in positions if p is not None]
        width = max(present) + 1
        pad = [""] * width
        if len(present) == len(positions):
            pick = operator.itemgetter(*positions)
        else:
            getters = [operator.itemgetter(p) if p is not None else None for p in positions]

            def pick(row, getters=getters):
                return tuple(g(row) if g is not None else "" for g in getters)
        errors, seen, towns, kinds = self.errors, self.seen, self.towns, KINDS
        risks, credits, flags, counts = RISK_GRADES, CREDIT_GRADES, FLAGS, COUNTS
        shape, base34, chars = CODE_SHAPE.fullmatch, _BASE34, CREDIT_CHARS
        needs_escape = _NEEDS_ESCAPE
        codes: list[str] = []
        out: list[str] = []
        number = first_number - 1
        total = 0
        for row in rows:
            number += 1
            if len(row) < width:
                row = row + pad[len(row):]
            cells = pick(row)
            code, name, kind_text, industry, address, township, risk, credit, abnormal, complaints, violations = cells
            if not any(cells):
                continue
            total += 1
            bad = len(errors)
            if len(code) != 18 or not code.isupper():
                code = code.replace(" ", "").upper()
            if shape(code) is None or chars[-int(code.encode()[16::-1].translate(base34), 34) % 31] != code[17]:
                errors.append(RowError(number, CODE, f"「{cells[0]}」不是有效的统一社会信用代码：{credit_code_problem(code) or '校验码错误（GB 32100）'}" if code else "缺少统一社会信用代码"))
            else:
                first = seen.setdefault(code, number)
                if first != number:
                    errors.append(RowError(number, CODE, f"「{code}」与第{first}行重复"))
            if not name or len(name) > 200:
                errors.append(RowError(number, NAME, "缺少名称" if not name else "超过 200 字"))
            kind = kinds.get(kind_text)
            if kind is None:
                kind = "enterprise" if ("公司" in kind_text or "企业" in kind_text) else None
                if kind is None:
                    errors.append(RowError(number, KIND, f"「{kind_text}」不是有效的主体类型（企业、个体工商户、农民专业合作社、其他组织）"))
            if len(industry) > 60:
                errors.append(RowError(number, INDUSTRY, "超过 60 字"))
            if len(address) > 200:
                errors.append(RowError(number, ADDRESS, "超过 200 字"))
            town = towns.get(township)
            if town is None:
                why = "重名，请填写区划代码" if township in self.ambiguous else "不是已登记的乡镇（街道）名称或区划代码"
                errors.append(RowError(number, TOWNSHIP, f"「{township}」{why}"))
            risk_grade = risks.get(risk)
            if risk_grade is None:
                errors.append(RowError(number, RISK, f"「{risk}」应为 A、B、C、D（低、较低、较高、高）"))
            credit_grade = credits.get(credit)
            if credit_grade is None:
                errors.append(RowError(number, CREDIT, f"「{credit}」应为 A、B、C、D"))
            flag = flags.get(abnormal) or flags.get(abnormal.lower())
            if flag is None:
                errors.append(RowError(number, ABNORMAL, f"「{abnormal}」应填写“是”或“否”"))
            complaint_count = counts.get(complaints)
            if complaint_count is None:
                complaint_count, problem = _count_problem(complaints)
                if problem:
                    errors.append(RowError(number, COMPLAINTS, problem))
            violation_count = counts.get(violations)
            if violation_count is None:
                violation_count, problem = _count_problem(violations)
                if problem:
                    errors.append(RowError(number, VIOLATIONS, problem))
            if len(errors) != bad:
                continue
            line = f"{code}\t{name}\t{kind}\t{industry}\t{address}\t{town}\t{risk_grade}\t{credit_grade}\t{flag}\t{complaint_count}\t{violation_count}"
            if line.count("\t") != 10 or needs_escape(line):
                line = copy_line((code, name, kind, industry, address, None if town == "\\N" else int(town), risk_grade,
                                  credit_grade, flag == "t", int(complaint_count), int(violation_count)))
            codes.append(code)
            out.append(line + "\n")
            if len(out) >= CHUNK:
                self.total = total
                yield codes, out
                report_progress(total)  # once a chunk, once the caller has compared (and written) it
                codes, out = [], []
        self.total = total
        if out:
            yield codes, out
        report_progress(total)

    def kind_of(self, text: str) -> str | None:
        kind = KINDS.get(text.strip())
        if kind is None and ("公司" in text or "企业" in text):
            kind = "enterprise"
        return kind

    def tail_of(self, tail: str) -> str | None:
        """COPY text of the last six columns (乡镇 … 违法记录次数) of a valid row, else ``None``."""
        cells = [c.strip() for c in tail.split(",")]
        if len(cells) != 6:
            return None
        township, risk, credit, abnormal, complaints, violations = cells
        values = (self.towns.get(township), RISK_GRADES.get(risk), CREDIT_GRADES.get(credit),
                  FLAGS.get(abnormal) or FLAGS.get(abnormal.lower()), COUNTS.get(complaints), COUNTS.get(violations))
        return None if None in values else "\t".join(values)

    def fast(self, lines: list[str], first_number: int):
        """The same as ``run`` for the lines of a plain comma-separated file in the standard column
        order, without splitting every cell: the last six columns take few distinct values and are
        validated once per distinct text. Raises ``NotFast`` on anything unusual (a bad row, a
        blank line, padding spaces …): ``run`` then does it again row by row, with every error."""
        seen, shape, base34, chars = self.seen, CODE_SHAPE.fullmatch, _BASE34, CREDIT_CHARS
        kinds: dict[str, str | None] = {}
        tails: dict[str, str | None] = {}
        for start in range(0, len(lines), CHUNK):
            codes: list[str] = []
            out: list[str] = []
            try:
                for line in lines[start:start + CHUNK]:
                    code, name, kind, industry, address, tail = line.split(",", 5)
                    if shape(code) is None or chars[-int(code.encode()[16::-1].translate(base34), 34) % 31] != code[17]:
                        raise NotFast
                    if (not name or len(name) > 200 or len(industry) > 60 or len(address) > 200
                            or name.strip() is not name or industry.strip() is not industry or address.strip() is not address):
                        raise NotFast
                    k = kinds.get(kind)
                    if k is None:
                        k = kinds[kind] = self.kind_of(kind)
                        if k is None:
                            raise NotFast
                    t = tails.get(tail)
                    if t is None:
                        t = tails[tail] = self.tail_of(tail)
                        if t is None:
                            raise NotFast
                    codes.append(code)
                    out.append(f"{code}\t{name}\t{k}\t{industry}\t{address}\t{t}\n")
            except ValueError:
                raise NotFast from None
            before = len(seen)
            seen.update(zip(codes, range(first_number + start, first_number + start + len(codes))))
            if len(seen) - before != len(codes):
                raise NotFast
            self.total += len(codes)
            yield codes, out
            report_progress(self.total)  # once a chunk, once the caller has compared (and written) it


class _Abort(Exception):
    """Raised inside the import transaction to roll it back."""


class NotFast(Exception):
    """The fast path met something it does not handle; the row-by-row path takes over."""


# One stored entity as a line of COPY text, built by PostgreSQL; a text with a tab or a backslash
# (escaped in the importer's lines) compares as changed.
_PG_LINE = ("concat_ws(E'\\t', credit_code, name, kind, industry, address, coalesce(township_id::text, '\\N'), "
            "risk_grade, credit_grade, CASE WHEN is_abnormal THEN 't' ELSE 'f' END, complaint_count, violation_count)")


def _existing_lines() -> dict[str, str]:
    """``credit_code → COPY line`` (without its end) of every stored entity, in the text format
    the importer writes, in one query (the PostgreSQL stream, which compares as it copies)."""
    if not Entity.objects.exists():
        return {}
    # the lines built by the server in one value (a COPY TO would hand them over one message per row)
    sql = f"SELECT string_agg({_PG_LINE}, E'\\n') FROM \"{Entity._meta.db_table}\""
    with connection.cursor() as cursor:
        cursor.execute(sql)
        lines = (cursor.fetchone()[0] or "").split("\n")
    return dict(zip(map(operator.itemgetter(0), map(operator.methodcaller("split", "\t", 1), lines)), lines))


def import_entities(request: ImportRequest) -> Plan:
    """Validate an entity list and upsert it (all or nothing)."""
    if not _may_import(request.actor):
        raise ImportRejected("无权导入检查对象名录库：仅系统管理员、执法主体负责人或执法监督机构可以导入")
    plain = plain_csv(request.data) if request.data else None
    if plain is not None:
        text, delimiter = plain
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        head = [[c.strip() for c in line.split(delimiter)] for line in lines[:32]]
        header = find_header(head, COLUMNS)
        standard = [header.index.get(name) for name in ORDER] == list(range(len(ORDER)))
        if standard and delimiter == "," and "\t" not in text and "\\" not in text:
            validator = _Validator(header.index)
            try:
                return _load(validator, validator.fast(lines[header.data_start:], header.data_start + 1), request.dry_run)
            except NotFast:
                pass
        del text, lines
    rows = request.iter_rows()
    head = list(islice(rows, 32))
    header = find_header(head, COLUMNS)
    validator = _Validator(header.index)
    return _load(validator, validator.run(chain(head[header.data_start:], rows), header.data_start + 1), request.dry_run)


def _stored_lines(codes: list[str]) -> dict[str, str]:
    """``credit_code → COPY line`` (without its end) of the stored entities among ``codes`` (a
    chunk), looked up through the unique index in one query."""
    if bulk.is_postgres():  # one query, the codes as one array
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT credit_code, {_PG_LINE} FROM "{Entity._meta.db_table}" WHERE credit_code = ANY(%s)', [codes])
            return dict(cursor.fetchall())
    # SQLite: the codes as one JSON array (json_each), not one bound value each
    wanted = RawSQL("SELECT value FROM json_each(%s)", (json.dumps(codes),))
    return {r[0]: copy_line(r) for r in Entity.objects.filter(credit_code__in=wanted).values_list(*FIELDS)}


def _sort_out(codes: list[str], lines: list[str], existing: dict[str, str]) -> tuple[list[str], list[str], int]:
    """The new lines, the changed lines and the number of unchanged ones, against ``existing``
    (credit code → stored COPY line without its end)."""
    new: list[str] = []
    changed: list[str] = []
    same = 0
    for code, line in zip(codes, lines):
        old = existing.get(code)
        if old is None:
            new.append(line)
        elif old != line[:-1]:
            changed.append(line)
        else:
            same += 1
    return new, changed, same


def _load(validator: _Validator, chunks, dry_run: bool) -> Plan:
    """SQLite, and dry runs: every chunk is compared with the stored entities of its codes as it
    comes (the progress reported after each chunk covers its comparison, as on the PostgreSQL
    stream); the new and changed lines are written by the plan."""
    if bulk.is_postgres() and not dry_run:
        return _stream_postgres(validator, chunks)
    stored = Entity.objects.exists()
    new: list[str] = []
    changed: list[str] = []
    skipped = 0
    for codes, lines in chunks:
        if validator.errors:
            continue  # keep validating to report every error; nothing will be written
        if not stored:
            new += lines
            continue
        added, altered, same = _sort_out(codes, lines, _stored_lines(codes))
        new += added
        changed += altered
        skipped += same
    if validator.errors:
        return Plan(total_rows=validator.total, errors=validator.errors)

    def write() -> None:
        write_lines(new, changed)

    return Plan(total_rows=validator.total, created=len(new), updated=len(changed), skipped=skipped, write=write)


def _stream_postgres(validator: _Validator, chunks) -> Plan:
    """Validate and COPY at once, in one transaction rolled back if any row is bad (or if the
    fast path gives up: ``NotFast`` propagates after the rollback)."""
    table = Entity._meta.db_table
    cols = ", ".join(f'"{f}"' for f in FIELDS)
    created = updated = skipped = 0
    unique = Entity._meta.constraints[0].name
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:  # one import at a time; readers go on
                cursor.execute(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE')
            existing = _existing_lines()
            changed: list[str] = []
            if not existing:
                # A first load: build the unique index once at the end (sorted, several times
                # faster than inserting half a million random keys one by one). The file has no
                # duplicate codes (validated) and the table is empty and locked.
                with connection.cursor() as cursor:
                    cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{unique}"')
            with connection.cursor() as cursor:
                # a writer thread sends the data while the next rows are validated
                writer = QueuedLibpqWriter(cursor.cursor)
                with cursor.cursor.copy(f'COPY "{table}" ({cols}) FROM STDIN', writer=writer) as copy:
                    for codes, lines in chunks:
                        if validator.errors:
                            continue  # keep validating to report every error; nothing will be kept
                        if existing:
                            new, altered, same = _sort_out(codes, lines, existing)
                            changed += altered
                            skipped += same
                        else:
                            new = lines
                        created += len(new)
                        copy.write("".join(new))
            if validator.errors:
                raise _Abort
            report_progress(validator.total, validator.total, PHASE_WRITE)
            if not existing:
                with connection.cursor() as cursor:
                    cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{unique}" UNIQUE ("credit_code")')
            if changed:
                _update_changed(changed)
                updated = len(changed)
    except _Abort:
        return Plan(total_rows=validator.total, errors=validator.errors)
    except DatabaseError as exc:
        raise ImportRejected(f"写入数据库失败，未导入任何数据（{exc.__class__.__name__}：{exc}）") from None
    return Plan(total_rows=validator.total, created=created, updated=updated, skipped=skipped)


def _update_changed(lines: list[str]) -> None:
    table = Entity._meta.db_table
    cols = ", ".join(f'"{f}"' for f in FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE TEMP TABLE entity_import (LIKE "{table}" INCLUDING DEFAULTS) ON COMMIT DROP')
        cursor.execute("ALTER TABLE entity_import DROP COLUMN id")
        with cursor.cursor.copy(f"COPY entity_import ({cols}) FROM STDIN") as copy:
            for start in range(0, len(lines), CHUNK):
                copy.write("".join(lines[start:start + CHUNK]))
        assignments = ", ".join(f'"{f}" = s."{f}"' for f in FIELDS if f != "credit_code")
        cursor.execute(f'UPDATE "{table}" t SET {assignments} FROM entity_import s WHERE t.credit_code = s.credit_code')
        cursor.execute("DROP TABLE entity_import")


def _values(line: str) -> tuple:
    """A COPY line (with its end) back to Python values, ``FIELDS`` order."""
    v = line[:-1].split("\t")
    if "\\" in line:
        unescape = {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r"}
        v = [re.sub(r"\\[\\tnr]", lambda m: unescape[m.group()], x) if x != "\\N" else x for x in v]
    return (v[0], v[1], v[2], v[3], v[4], None if v[5] == "\\N" else int(v[5]), v[6], v[7], v[8] == "t",
            int(v[9]), int(v[10]))


def write_lines(new: list[str], changed: list[str]) -> None:
    """Write validated COPY lines (new entities, changed entities)."""
    if bulk.is_postgres():
        table = Entity._meta.db_table
        cols = ", ".join(f'"{f}"' for f in FIELDS)
        if new:
            with connection.cursor() as cursor:
                with cursor.cursor.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
                    for start in range(0, len(new), CHUNK):
                        copy.write("".join(new[start:start + CHUNK]))
        if changed:
            _update_changed(changed)
        return
    write_entities([_values(line) for line in new], [_values(line) for line in changed])


def write_entities(new: list[tuple], changed: list[tuple]) -> None:
    """Write validated rows (tuples in ``FIELDS`` order): COPY on PostgreSQL, upserts elsewhere."""
    table = Entity._meta.db_table
    if bulk.is_postgres():
        if new:
            bulk.copy_rows(table, FIELDS, new)
        if changed:
            write_lines([], [copy_line(r) + "\n" for r in changed])
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


register("entities", import_entities, "检查对象", raw=True)

__all__ = ["COLUMNS", "FIELDS", "copy_line", "credit_code_valid", "import_entities", "write_entities"]
