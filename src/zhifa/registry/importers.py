"""Importer of officers and their certificates (执法人员及行政执法证, R04–R07) from a spreadsheet.

One row is one person of a body, with at most one certificate. Officers are matched by
(body, 工号), else by (body, 身份证号), and updated; others are created. A certificate is matched
by its number. Empty optional cells leave the stored value unchanged on an update.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from zhifa.core import clock
from zhifa.core.importing import (
    Column,
    ImportRejected,
    ImportRequest,
    Plan,
    RowError,
    find_header,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    records,
    register,
)

from .access import can_manage_body
from .models import Body, Certificate, Officer

NAME, ID_NUMBER, PHONE, STAFF_NO, POSITION, BODY, CATEGORY = "姓名", "身份证号", "手机号", "工号", "职务", "所属主体编码", "人员类别"
QUALIFICATION, YEARS, CERT_NO, SCORE, ISSUED, EXPIRES, CERT_STATUS = (
    "法律职业资格", "执法工作年限", "执法证号", "考试成绩", "发证日期", "有效期至", "证件状态",
)

COLUMNS = (
    Column(NAME, ("人员姓名",), required=True),
    Column(ID_NUMBER, ("身份证号码", "公民身份号码", "身份证")),
    Column(PHONE, ("手机号码", "手机", "联系电话", "电话")),
    Column(STAFF_NO, ("人员编号", "职工编号", "编号")),
    Column(POSITION, ("职位", "职级", "职务职级")),
    Column(BODY, ("主体编码", "执法主体编码", "单位编码")),
    Column(CATEGORY, ("人员类型", "类别", "身份类别")),
    Column(QUALIFICATION, ("国家统一法律职业资格", "具有法律职业资格", "法律职业资格证")),
    Column(YEARS, ("执法年限", "从事执法工作年限")),
    Column(CERT_NO, ("执法证件号", "执法证编号", "执法证件编号", "证件编号", "证号")),
    Column(SCORE, ("成绩", "执法资格考试成绩")),
    Column(ISSUED, ("发证时间",)),
    Column(EXPIRES, ("有效期", "有效期限", "证件有效期至", "到期日期")),
    Column(CERT_STATUS, ("执法证状态", "状态")),
)

CATEGORIES = {
    "执法人员": "officer",
    "行政执法人员": "officer",
    "执法辅助人员": "auxiliary",
    "辅助人员": "auxiliary",
    "协管员": "auxiliary",
    "法制审核人员": "legal_reviewer",
    "负责人": "head",
    "主体负责人": "head",
}

STATUSES = {
    "有效": Certificate.Status.VALID,
    "正常": Certificate.Status.VALID,
    # Expiry is derived from 有效期至 (rules.certificate_state), never stored as a status.
    "过期": Certificate.Status.VALID,
    "已过期": Certificate.Status.VALID,
    "暂扣": Certificate.Status.SUSPENDED,
    "注销": Certificate.Status.REVOKED,
    "吊销": Certificate.Status.REVOKED,
    "注销/吊销": Certificate.Status.REVOKED,
    "已注销": Certificate.Status.REVOKED,
    "已吊销": Certificate.Status.REVOKED,
}

# GB 11643-1999 §8.2: weights of the first 17 digits; check character = CHECK[sum mod 11].
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$")


def id_number_problem(text: str) -> str | None:
    """Why ``text`` is not a valid 18-character resident ID number (公民身份号码, GB 11643-1999),
    or ``None``: 17 digits, a valid birth date, and the check character."""
    if len(text) != 18 or not text[:17].isdigit() or not (text[17].isdigit() or text[17] == "X"):
        return "应为 18 位（17 位数字加数字或 X）；在 Excel 中请以文本格式填写，避免被当作数字截断"
    try:
        dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return "出生日期部分无效"
    expected = ID_CHECK[sum(int(d) * w for d, w in zip(text[:17], ID_WEIGHTS)) % 11]
    if text[17] != expected:
        return "校验码错误（GB 11643）"
    return None


def normalize_phone(text: str) -> str:
    text = re.sub(r"[\s()（）]", "", text)
    return text[3:] if text.startswith("+86") else text


@dataclass
class Row:
    """One validated row: the officer fields to set and the certificate fields, if any."""

    number: int
    body: Body
    officer: dict = field(default_factory=dict)
    certificate: dict | None = None


class _RowCheck:
    """The errors of one row, gathered all at once (every wrong cell is reported)."""

    def __init__(self, record):
        self.record = record
        self.bad: list[RowError] = []

    def err(self, column: str, message: str) -> None:
        self.bad.append(RowError(self.record.number, column, message))

    def parse(self, column: str, parser, *args, **kwargs):
        try:
            return parser(self.record[column], *args, **kwargs)
        except ValueError as exc:
            self.err(column, str(exc))
            return None


def _identity_fields(check: _RowCheck) -> dict:
    """姓名、身份证号、工号、手机号、职务: who the row is and how to reach them."""
    record, err = check.record, check.err
    officer: dict = {}
    name = record[NAME]
    if not name:
        err(NAME, "缺少姓名")
    elif len(name) > 40:
        err(NAME, "超过 40 字")
    officer["name"] = name
    id_number = record[ID_NUMBER].replace(" ", "").upper()
    if id_number:
        problem = id_number_problem(id_number)
        if problem:
            err(ID_NUMBER, problem)
        officer["id_number"] = id_number
    staff_no = record[STAFF_NO]
    if staff_no:
        if len(staff_no) > 32:
            err(STAFF_NO, "超过 32 字符")
        officer["staff_no"] = staff_no
    if not staff_no and not id_number:
        err(STAFF_NO, "须填写工号或身份证号，以便再次导入时更新而不重复")
    phone = normalize_phone(record[PHONE])
    if phone:
        if not (MOBILE.match(phone) or LANDLINE.match(phone)):
            err(PHONE, f"「{record[PHONE]}」不是有效的手机号（11 位）或固定电话（如 0990-1234567）")
        officer["phone"] = phone
    if record[POSITION]:
        if len(record[POSITION]) > 60:
            err(POSITION, "超过 60 字")
        officer["position"] = record[POSITION]
    return officer


def _role_fields(check: _RowCheck, officer: dict) -> set[str]:
    """人员类别、法律职业资格、执法工作年限 into ``officer``; returns the roles named (R05)."""
    category = check.record[CATEGORY]
    roles: set[str] = set()
    if category:
        for part in re.split(r"[、,，/；;\s]+", category):
            if not part:
                continue
            role = CATEGORIES.get(part)
            if role is None:
                check.err(CATEGORY, f"「{part}」不是有效的人员类别（执法人员、执法辅助人员、法制审核人员、负责人）")
            roles.add(role or "")
        officer.update(
            is_auxiliary="auxiliary" in roles, is_legal_reviewer="legal_reviewer" in roles, is_head="head" in roles,
        )
        if "auxiliary" in roles and roles & {"officer", "legal_reviewer", "head"}:
            check.err(CATEGORY, "执法辅助人员不能同时是执法人员、法制审核人员或负责人（R05）")
    qualification = check.parse(QUALIFICATION, parse_bool)
    if qualification is not None:
        officer["has_legal_qualification"] = qualification
    years = check.parse(YEARS, parse_int, minimum=0, maximum=60)
    if years is not None:
        officer["enforcement_experience_years"] = years
    return roles


def _certificate_fields(check: _RowCheck, roles: set[str]) -> dict | None:
    """执法证号、考试成绩、发证日期、有效期至、证件状态: the row's certificate, if it has one."""
    record, err = check.record, check.err
    number = record[CERT_NO].replace(" ", "")
    score = check.parse(SCORE, parse_decimal, minimum=0, maximum=100)
    issued = check.parse(ISSUED, parse_date)
    expires = check.parse(EXPIRES, parse_date)
    status_text = record[CERT_STATUS].replace(" ", "")
    status = None
    if status_text:
        status = STATUSES.get(status_text)
        if status is None:
            err(CERT_STATUS, f"「{status_text}」不是有效的证件状态（有效、暂扣、注销、吊销）")
    has_certificate_data = bool(number or record[ISSUED] or record[EXPIRES] or record[SCORE] or status_text)
    if "auxiliary" in roles and has_certificate_data:
        # R05: auxiliary staff assist and never act alone; they hold no enforcement certificate.
        err(CERT_NO, "执法辅助人员不得持有行政执法证（R05），请删除证件信息或更正人员类别")
        return None
    if not has_certificate_data:
        return None
    if not number:
        err(CERT_NO, "填写了证件信息，但缺少执法证号")
    elif len(number) > 32:
        err(CERT_NO, "超过 32 字符")
    if not record[ISSUED]:
        err(ISSUED, "缺少发证日期")
    if not record[EXPIRES]:
        err(EXPIRES, "缺少有效期至")
    if issued and expires and expires <= issued:
        err(EXPIRES, "有效期至应晚于发证日期")
    return {"number": number, "issued_on": issued, "expires_on": expires, "exam_score": score,
            "status": status or Certificate.Status.VALID}


def _validate(record, body: Body | None, errors: list[RowError]) -> Row | None:
    check = _RowCheck(record)
    officer = _identity_fields(check)
    roles = _role_fields(check, officer)
    certificate = _certificate_fields(check, roles)
    if body is None:
        check.err(BODY, "缺少所属主体编码（或在导入时指定主体 --body）" if not record[BODY] else f"未知的执法主体编码「{record[BODY]}」")
    errors.extend(check.bad)
    if check.bad:
        return None
    return Row(number=record.number, body=body, officer=officer, certificate=certificate)


def _default_body(request: ImportRequest) -> Body | None:
    """The body given for the whole file (``--body``, the page's choice), if any."""
    if not request.body_code:
        return None
    body = Body.objects.filter(code=request.body_code).first()
    if body is None:
        raise ImportRejected(f"未知的执法主体编码「{request.body_code}」")
    return body


def _bodies_named(found: list, default_body: Body | None) -> dict[str, Body]:
    """The bodies named in the rows, by code (one query), and the default one."""
    codes = {r[BODY] for r in found if r[BODY]}
    bodies = {b.code: b for b in Body.objects.filter(code__in=codes)}
    if default_body is not None:
        bodies.setdefault(default_body.code, default_body)
    return bodies


def _valid_rows(found: list, bodies: dict[str, Body], default_body: Body | None, actor,
                errors: list[RowError]) -> list[Row]:
    """Each row checked, and refused where the actor may not manage its body."""
    valid: list[Row] = []
    allowed: dict[int, bool] = {}
    for record in found:
        body = bodies.get(record[BODY]) if record[BODY] else default_body
        row = _validate(record, body, errors)
        if body is not None and actor is not None:
            if body.pk not in allowed:
                allowed[body.pk] = can_manage_body(actor, body)
            if not allowed[body.pk]:
                errors.append(RowError(record.number, BODY, f"无权导入「{body.name}」的人员：仅该主体负责人或系统管理员可以导入"))
                row = None
        if row is not None:
            valid.append(row)
    return valid


def _duplicates_in_file(found: list, body_code: str | None, errors: list[RowError]) -> set[str]:
    """Uniqueness within the file, over every row (a row bad for another reason still counts).
    Returns the certificate numbers of the file."""
    seen: dict[tuple, int] = {}
    numbers: set[str] = set()
    for record in found:
        body_key = record[BODY] or body_code or ""
        keys = (
            (("staff", body_key, record[STAFF_NO]), STAFF_NO, record[STAFF_NO]),
            (("id", body_key, record[ID_NUMBER].replace(" ", "").upper()), ID_NUMBER, record[ID_NUMBER]),
            (("cert", record[CERT_NO].replace(" ", "")), CERT_NO, record[CERT_NO]),
        )
        for key, column, raw in keys:
            if not key[-1]:
                continue
            if key in seen:
                errors.append(RowError(record.number, column, f"「{raw}」与第{seen[key]}行重复"))
            else:
                seen[key] = record.number
                if column == CERT_NO:
                    numbers.add(key[-1])
    return numbers


@dataclass
class _Existing:
    """What the database already holds of the file's people: four queries whatever its size."""

    by_staff: dict[tuple[int, str], Officer]
    by_id: dict[tuple[int, str], Officer]
    active_elsewhere: dict[str, Officer]
    certificates: dict[str, Certificate]
    certified: set[int]

    @classmethod
    def load(cls, valid: list[Row], numbers: set[str], today: dt.date) -> "_Existing":
        body_ids = {row.body.pk for row in valid}
        staff_nos = {row.officer["staff_no"] for row in valid if row.officer.get("staff_no")}
        id_numbers = {row.officer["id_number"] for row in valid if row.officer.get("id_number")}
        by_staff = {(o.body_id, o.staff_no): o for o in Officer.objects.filter(body_id__in=body_ids, staff_no__in=staff_nos)}
        by_id: dict[tuple[int, str], Officer] = {}
        active_elsewhere: dict[str, Officer] = {}
        for o in Officer.objects.filter(id_number__in=id_numbers).select_related("body"):
            by_id.setdefault((o.body_id, o.id_number), o)
            if o.status == Officer.Status.ACTIVE:
                active_elsewhere.setdefault(o.id_number, o)
        certificates = {c.number: c for c in Certificate.objects.filter(number__in=numbers).select_related("officer")}
        matched_ids = {o.pk for o in by_staff.values()} | {o.pk for o in by_id.values()}
        certified = set(
            Certificate.objects.filter(officer_id__in=matched_ids, status=Certificate.Status.VALID, expires_on__gte=today)
            .values_list("officer_id", flat=True)
        ) if matched_ids else set()
        return cls(by_staff, by_id, active_elsewhere, certificates, certified)


@dataclass
class _Upsert:
    """The plan: officers and certificates to create or change, and the counts."""

    existing: _Existing
    today: dt.date
    new_officers: list[tuple[Officer, Row]] = field(default_factory=list)
    changed_officers: dict[int, Officer | None] = field(default_factory=dict)
    new_certificates: list[tuple[Certificate, Row, Officer]] = field(default_factory=list)
    changed_certificates: list[Certificate] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, row: Row, errors: list[RowError]) -> None:
        """Plan one valid row, or append why it conflicts with the database or another row."""
        officer = self._match(row)
        cert = row.certificate
        existing_cert = self.existing.certificates.get(cert["number"]) if cert else None
        problem = self._conflict(row, officer, existing_cert)
        if problem is not None:
            errors.append(problem)
            return
        changed = False
        if officer is None:
            officer = Officer(body=row.body, **row.officer)
            self.new_officers.append((officer, row))
            self.created += 1
        else:
            changed = self._change_officer(officer, row)
        if cert is not None:
            changed = self._certificate(row, officer, existing_cert) or changed
        if officer.pk is not None:
            if changed:
                self.updated += 1
            else:
                self.unchanged += 1

    def _match(self, row: Row) -> Officer | None:
        """By (body, 工号), else by (body, 身份证号)."""
        staff_no, id_number = row.officer.get("staff_no"), row.officer.get("id_number")
        return (self.existing.by_staff.get((row.body.pk, staff_no)) if staff_no else None) or (
            self.existing.by_id.get((row.body.pk, id_number)) if id_number else None
        )

    def _conflict(self, row: Row, officer: Officer | None, existing_cert: Certificate | None) -> RowError | None:
        id_number = row.officer.get("id_number")
        if id_number:
            other = self.existing.by_id.get((row.body.pk, id_number))
            if officer is not None and other is not None and other.pk != officer.pk:
                return RowError(row.number, ID_NUMBER, f"身份证号已登记为本主体另一人员「{other.name}」")
            elsewhere = self.existing.active_elsewhere.get(id_number)
            if elsewhere is not None and elsewhere.body_id != row.body.pk:
                return RowError(row.number, ID_NUMBER, f"该身份证号已是「{elsewhere.body.name}」的在岗人员，请先办理调离")
        if officer is not None and officer.pk in self.changed_officers:
            return RowError(row.number, STAFF_NO, "与表中另一行对应同一人员")
        if existing_cert is not None and (officer is None or existing_cert.officer_id != officer.pk):
            return RowError(row.number, CERT_NO, f"执法证号「{row.certificate['number']}」已登记给「{existing_cert.officer.name}」")
        if officer is not None and row.certificate is None and row.officer.get("is_auxiliary") and officer.pk in self.existing.certified:
            return RowError(row.number, CATEGORY, "该人员持有有效执法证，不能改为执法辅助人员；请先注销证件（R05）")
        return None

    def _change_officer(self, officer: Officer, row: Row) -> bool:
        diff = {k: v for k, v in row.officer.items() if getattr(officer, k) != v}
        if not diff:
            self.changed_officers.setdefault(officer.pk, None)  # seen: a second row for it is an error
            return False
        for key, value in diff.items():
            setattr(officer, key, value)
        self.changed_officers[officer.pk] = officer
        return True

    def _certificate(self, row: Row, officer: Officer, existing_cert: Certificate | None) -> bool:
        values = {k: v for k, v in row.certificate.items() if k != "number"}
        if existing_cert is None:
            certificate = Certificate(number=row.certificate["number"], **values)
            if certificate.status != Certificate.Status.VALID:
                certificate.status_changed_on = self.today
                certificate.status_note = "表格导入"
                if certificate.status == Certificate.Status.REVOKED:
                    certificate.revocation_reason = Certificate.RevocationReason.OTHER
            self.new_certificates.append((certificate, row, officer))
            return True
        diff = {k: v for k, v in values.items() if getattr(existing_cert, k) != v}
        if "status" in diff:
            existing_cert.status_changed_on = self.today
            existing_cert.status_note = "表格导入"
            if diff["status"] == Certificate.Status.REVOKED and not existing_cert.revocation_reason:
                existing_cert.revocation_reason = Certificate.RevocationReason.OTHER
        if not diff:
            return False
        for key, value in diff.items():
            setattr(existing_cert, key, value)
        self.changed_certificates.append(existing_cert)
        return True

    def write(self, valid: list[Row]) -> None:
        """Bulk writes, in the import's transaction (``core.importing.run_import``)."""
        Officer.objects.bulk_create([officer for officer, _ in self.new_officers], batch_size=500)
        fields = sorted({key for row in valid for key in row.officer})
        to_update = [o for o in self.changed_officers.values() if o is not None]
        if to_update:
            Officer.objects.bulk_update(to_update, fields, batch_size=500)
        for certificate, _, officer in self.new_certificates:
            certificate.officer_id = officer.pk
        Certificate.objects.bulk_create([c for c, _, _ in self.new_certificates], batch_size=500)
        if self.changed_certificates:
            Certificate.objects.bulk_update(
                self.changed_certificates,
                ["issued_on", "expires_on", "exam_score", "status", "status_changed_on", "status_note", "revocation_reason"],
                batch_size=500,
            )


def import_officers(request: ImportRequest) -> Plan:
    """Validate an officer list and plan the upsert of officers and certificates."""
    default_body = _default_body(request)
    rows = request.rows
    header = find_header(rows, COLUMNS)
    found = list(records(rows, header))
    bodies = _bodies_named(found, default_body)
    errors: list[RowError] = []
    valid = _valid_rows(found, bodies, default_body, request.actor, errors)
    numbers = _duplicates_in_file(found, request.body_code, errors)
    today = clock.today()
    upsert = _Upsert(_Existing.load(valid, numbers, today), today)
    for row in valid:
        upsert.add(row, errors)
    if errors:
        return Plan(total_rows=len(found), errors=errors)
    return Plan(total_rows=len(found), created=upsert.created, updated=upsert.updated, skipped=upsert.unchanged,
                write=lambda: upsert.write(valid))


register("officers", import_officers, "执法人员")

__all__ = ["COLUMNS", "id_number_problem", "import_officers"]
