"""Registry use cases (R01–R08): the only code that changes registry state.

Every write takes ``actor`` as a keyword, runs in one transaction, locks what it changes, checks
permissions through ``access`` and appends its full-process record entry (全过程记录): an
officer's admission, departure, certificates (发放、暂扣、恢复、注销), training and assignments
on ``officer:<id>``; the administrator's saves of bodies, jurisdictions and supervision posts on
``body:<id>`` / ``jurisdiction:<id>``. The reads (certificate state, health flags …) live in
``selectors`` and are re-exported here for their callers.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from zhifa.core import admin_records, clock, ledger
from zhifa.core.usecase import use_case
from zhifa.core.violations import (
    AUXILIARY_CANNOT_ACT,
    INVALID_INPUT,
    WRONG_STATE,
    Refused,
    Violation,
)

from . import access
from .models import Assignment, Body, Certificate, Jurisdiction, Officer, SupervisionPost, TrainingRecord
from .rules import DUPLICATE_NUMBER
from .selectors import (  # noqa: F401 — re-exported: callers read these through ``services``
    certificate_facts_of,
    certificate_state_of,
    check_officers_may_act,
    health_flags,
    officer_facts,
    training_hours,
    with_current_certificate,
)

BASIS_REVOCATION = "市指导意见第五部分"



def _record_officer(officer_id: int, action: str, payload: dict, actor: access.Actor) -> None:
    """Append to the officer's record: certificates, training and assignments are acts on the
    officer (``officer:<id>``)."""
    ledger.append(f"officer:{officer_id}", action, payload, actor=actor)


# --- Certificates -------------------------------------------------------------------------

def _lock_certificate(actor: access.Actor, certificate_id: int) -> Certificate:
    cert = Certificate.objects.select_for_update().select_related("officer").get(pk=certificate_id)
    if not access.can_manage_body(actor, cert.officer.body_id):
        raise PermissionDenied("只有本主体负责人或系统管理员可以变更执法证状态。")
    return cert


def _record_certificate(cert: Certificate, action: str, actor: access.Actor, **extra) -> None:
    payload = {"certificate": cert.pk, "number": cert.number, "status": cert.status, "on": cert.status_changed_on,
               "note": cert.status_note, **extra}
    _record_officer(cert.officer_id, action, payload, actor)


@use_case
@transaction.atomic
def revoke_certificate(certificate_id: int, *, reason: str, on: dt.date | None = None, note: str = "", actor: access.Actor) -> Certificate:
    """R04: revoke (注销) a certificate on transfer, dismissal, resignation, retirement …"""
    if reason not in Certificate.RevocationReason.values:
        raise Refused([Violation(INVALID_INPUT, "请选择注销原因：调离、辞退、辞职、退休等。", BASIS_REVOCATION)])
    cert = _lock_certificate(actor, certificate_id)
    if cert.status == Certificate.Status.REVOKED:
        raise Refused([Violation(WRONG_STATE, "该执法证已注销。", "")])
    cert.status = Certificate.Status.REVOKED
    cert.revocation_reason = reason
    cert.status_changed_on = on or clock.today()
    cert.status_note = note
    cert.save(update_fields=["status", "revocation_reason", "status_changed_on", "status_note"])
    _record_certificate(cert, "revoke_certificate", actor, reason=reason)
    return cert


@use_case
@transaction.atomic
def suspend_certificate(certificate_id: int, *, note: str, on: dt.date | None = None, actor: access.Actor) -> Certificate:
    """R04: suspend (暂扣) a certificate, e.g. during an investigation of the holder."""
    cert = _lock_certificate(actor, certificate_id)
    if cert.status != Certificate.Status.VALID:
        raise Refused([Violation(WRONG_STATE, "只有状态为“有效”的执法证可以暂扣。", "")])
    cert.status = Certificate.Status.SUSPENDED
    cert.status_changed_on = on or clock.today()
    cert.status_note = note
    cert.save(update_fields=["status", "status_changed_on", "status_note"])
    _record_certificate(cert, "suspend_certificate", actor)
    return cert


@use_case
@transaction.atomic
def restore_certificate(certificate_id: int, *, note: str = "", actor: access.Actor) -> Certificate:
    """Lift a suspension; a revoked certificate cannot come back (a new one is issued)."""
    cert = _lock_certificate(actor, certificate_id)
    if cert.status != Certificate.Status.SUSPENDED:
        raise Refused([Violation(WRONG_STATE, "只有暂扣的执法证可以恢复。", "")])
    cert.status = Certificate.Status.VALID
    cert.status_changed_on = clock.today()
    cert.status_note = note
    cert.save(update_fields=["status", "status_changed_on", "status_note"])
    _record_certificate(cert, "restore_certificate", actor)
    return cert


# --- Training and assignments -------------------------------------------------------------

def _officer_for_change(actor: access.Actor, officer_id: int) -> Officer:
    """The officer row, locked; PermissionDenied unless the actor manages the officer's body."""
    officer = Officer.objects.select_for_update().get(pk=officer_id)
    if not access.can_manage_body(actor, officer.body_id):
        raise PermissionDenied("只有本主体负责人或系统管理员可以维护人员信息。")
    return officer


@use_case
@transaction.atomic
def record_training(officer_id: int, *, title: str, held_on: dt.date, hours: Decimal, provider: str = "", actor: access.Actor) -> TrainingRecord:
    """R07: record a training; hours count toward the year of ``held_on``."""
    violations = []
    if not title.strip():
        violations.append(Violation(INVALID_INPUT, "请填写培训名称。", ""))
    if hours <= 0 or hours > 200:
        violations.append(Violation(INVALID_INPUT, "学时应大于0且不超过200。", ""))
    if violations:
        raise Refused(violations)
    officer = _officer_for_change(actor, officer_id)
    training = TrainingRecord.objects.create(officer=officer, title=title.strip(), held_on=held_on, hours=hours, provider=provider)
    _record_officer(officer.pk, "record_training", {"training": training.pk, "title": training.title, "held_on": held_on,
                                                    "hours": hours, "provider": provider}, actor)
    return training


@use_case
@transaction.atomic
def record_assignment(officer_id: int, *, kind: str, organization: str, starts_on: dt.date, ends_on: dt.date | None = None,
                      reason: str = "", approved_by: str = "", actor: access.Actor) -> Assignment:
    """R08: record a secondment (借调) or a non-enforcement assignment; it is flagged while it runs."""
    violations = []
    if kind not in Assignment.Kind.values:
        violations.append(Violation(INVALID_INPUT, "请选择类型：借调或从事非执法工作。", ""))
    if ends_on is not None and ends_on < starts_on:
        violations.append(Violation(INVALID_INPUT, "结束日期不得早于开始日期。", ""))
    if violations:
        raise Refused(violations)
    officer = _officer_for_change(actor, officer_id)
    assignment = Assignment.objects.create(officer=officer, kind=kind, organization=organization, starts_on=starts_on,
                                           ends_on=ends_on, reason=reason, approved_by=approved_by)
    _record_officer(officer.pk, "record_assignment", {"assignment": assignment.pk, "kind": kind, "organization": organization,
                                                      "starts_on": starts_on, "ends_on": ends_on, "reason": reason,
                                                      "approved_by": approved_by}, actor)
    return assignment


@use_case
@transaction.atomic
def end_assignment(assignment_id: int, *, ends_on: dt.date | None = None, actor: access.Actor) -> Assignment:
    """R08: end a secondment or non-enforcement assignment (the officer returns to enforcement)."""
    assignment = Assignment.objects.select_for_update().select_related("officer").get(pk=assignment_id)
    if not access.can_manage_body(actor, assignment.officer.body_id):
        raise PermissionDenied("只有本主体负责人或系统管理员可以维护人员信息。")
    ends_on = ends_on or clock.today()
    violations = []
    if assignment.ends_on is not None and assignment.ends_on < clock.today():
        violations.append(Violation(WRONG_STATE, f"该安排已于{assignment.ends_on}结束。", ""))
    if ends_on < assignment.starts_on:
        violations.append(Violation(INVALID_INPUT, f"结束日期不得早于开始日期{assignment.starts_on}。", ""))
    if violations:
        raise Refused(violations)
    assignment.ends_on = ends_on
    assignment.save(update_fields=["ends_on"])
    _record_officer(assignment.officer_id, "end_assignment", {"assignment": assignment.pk, "ends_on": ends_on}, actor)
    return assignment


# --- Admission, certificates issued, departure (R04, R05) ---------------------------------

def _certificate_violations(officer: Officer, number: str, issued_on: dt.date, expires_on: dt.date,
                            exam_score: Decimal | None) -> list[Violation]:
    violations = []
    if not number:
        violations.append(Violation(INVALID_INPUT, "请填写执法证编号。", ""))
    elif Certificate.objects.filter(number=number).exists():
        violations.append(Violation(DUPLICATE_NUMBER, f"执法证编号 {number} 已被使用，编号应唯一。", ""))
    if expires_on <= issued_on:
        violations.append(Violation(INVALID_INPUT, "有效期至应晚于发证日期。", ""))
    if exam_score is not None and (exam_score < 0 or exam_score > 100):
        violations.append(Violation(INVALID_INPUT, "考试成绩应在0至100分之间。", ""))
    if officer.is_auxiliary:
        violations.append(Violation(AUXILIARY_CANNOT_ACT, "执法辅助人员不得申领行政执法证，不能独立从事行政执法活动。",
                                    "市指导意见第五部分第3项（R05）"))
    if officer.status != Officer.Status.ACTIVE:
        violations.append(Violation(WRONG_STATE, f"{officer.name}已离岗，不能发证。", ""))
    return violations


@use_case
@transaction.atomic
def issue_certificate(officer_id: int, *, number: str, issued_on: dt.date, expires_on: dt.date,
                      exam_score: Decimal | None = None, issuer: str = "", exam_passed_on: dt.date | None = None,
                      actor: access.Actor) -> Certificate:
    """R04: issue (发放) a new or renewed (换发) law enforcement certificate (行政执法证).

    The newest certificate by issue date is the officer's current one, so a renewal simply adds a
    row; the previous certificate keeps its history. Refuses, all at once: an empty or taken
    number, an expiry not after the issue date, a failed exam, auxiliary staff (R05: they never
    hold a certificate), an officer who has left."""
    officer = _officer_for_change(actor, officer_id)
    number = (number or "").strip()
    if violations := _certificate_violations(officer, number, issued_on, expires_on, exam_score):
        raise Refused(violations)
    cert = Certificate.objects.create(
        officer=officer, number=number, issued_on=issued_on, expires_on=expires_on, exam_score=exam_score,
        exam_passed_on=exam_passed_on, issuer=issuer.strip(), status=Certificate.Status.VALID,
    )
    _record_officer(officer.pk, "issue_certificate", {
        "certificate": cert.pk, "number": number, "issued_on": issued_on, "expires_on": expires_on,
        "exam_score": exam_score, "exam_passed_on": exam_passed_on, "issuer": cert.issuer}, actor)
    return cert


def _valid_id_number(id_number: str) -> bool:
    return len(id_number) == 18 and id_number[:17].isdigit() and (id_number[17].isdigit() or id_number[17] == "X")


@use_case
@transaction.atomic
def register_officer(body_id: int, *, name: str, joined_on: dt.date, is_auxiliary: bool = False, id_number: str = "",
                     phone: str = "", staff_no: str = "", position: str = "", actor: access.Actor) -> Officer:
    """R05: admit (录用) an officer or an auxiliary staff member (执法辅助人员) into a body; the
    admission date is recorded. A certificate is issued separately (``issue_certificate``)."""
    if not access.can_manage_body(actor, body_id):
        raise PermissionDenied("只有本主体负责人或系统管理员可以录用人员。")
    body = Body.objects.select_for_update().get(pk=body_id)
    name, staff_no, id_number = (name or "").strip(), (staff_no or "").strip(), (id_number or "").strip().upper()
    violations = []
    if not name:
        violations.append(Violation(INVALID_INPUT, "请填写姓名。", ""))
    if not body.is_active:
        violations.append(Violation(WRONG_STATE, f"{body.name}已停用，不能录用人员。", ""))
    if id_number and not _valid_id_number(id_number):
        violations.append(Violation(INVALID_INPUT, "身份证号应为18位（最后一位可为X）。", ""))
    if staff_no and Officer.objects.filter(body=body, staff_no=staff_no).exists():
        violations.append(Violation(DUPLICATE_NUMBER, f"工号 {staff_no} 在本主体已被使用。", ""))
    if joined_on > clock.today():
        violations.append(Violation(INVALID_INPUT, "录用日期不得晚于今天。", ""))
    if violations:
        raise Refused(violations)
    officer = Officer.objects.create(body=body, name=name, is_auxiliary=is_auxiliary, id_number=id_number,
                                     phone=(phone or "").strip(), staff_no=staff_no, position=(position or "").strip(),
                                     joined_on=joined_on, status=Officer.Status.ACTIVE)
    _record_officer(officer.pk, "register", {"body": body.pk, "name": name, "is_auxiliary": is_auxiliary,
                                             "staff_no": staff_no, "position": officer.position, "joined_on": joined_on}, actor)
    return officer


def _removal_violations(actor: access.Actor, officer: Officer, reason: str, left_on: dt.date) -> list[Violation]:
    violations = []
    if reason not in Certificate.RevocationReason.values:
        violations.append(Violation(INVALID_INPUT, "请选择离岗原因：调离、辞退、辞职、退休等。", BASIS_REVOCATION))
    if officer.status != Officer.Status.ACTIVE:
        violations.append(Violation(WRONG_STATE, f"{officer.name}已于{officer.left_on or '此前'}离岗。", ""))
    if actor.officer is not None and actor.officer.pk == officer.pk:
        violations.append(Violation(INVALID_INPUT, "不能为本人办理离岗，请由上级或系统管理员办理。", ""))
    if left_on > clock.today():
        violations.append(Violation(INVALID_INPUT, "离岗日期不得晚于今天。", ""))
    return violations


@use_case
@transaction.atomic
def remove_officer(officer_id: int, *, reason: str, left_on: dt.date | None = None, note: str = "",
                   actor: access.Actor) -> Officer:
    """R04/R05: an officer leaves (离岗) or auxiliary staff are removed (清退): the date and reason
    are recorded, and a certificate still valid or suspended is revoked (注销) with the same reason
    in the same transaction, so nobody who left keeps a usable certificate."""
    officer = _officer_for_change(actor, officer_id)
    left_on = left_on or clock.today()
    if violations := _removal_violations(actor, officer, reason, left_on):
        raise Refused(violations)
    label = Certificate.RevocationReason(reason).label
    officer.status = Officer.Status.LEFT
    officer.left_on = left_on
    officer.left_reason = f"{label}{'：' + note.strip() if note.strip() else ''}"[:100]
    officer.save(update_fields=["status", "left_on", "left_reason"])
    usable = Certificate.objects.filter(officer=officer, status__in=[Certificate.Status.VALID, Certificate.Status.SUSPENDED])
    revoked = list(usable.values_list("number", flat=True))
    usable.update(
        status=Certificate.Status.REVOKED, revocation_reason=reason, status_changed_on=left_on,
        status_note=(f"随离岗注销。{note.strip()}")[:200],
    )
    _record_officer(officer.pk, "remove_auxiliary" if officer.is_auxiliary else "remove", {
        "reason": reason, "left_on": left_on, "note": note.strip(), "revoked_certificates": revoked}, actor)
    return officer


@use_case
def remove_auxiliary(officer_id: int, *, reason: str, left_on: dt.date | None = None, note: str = "",
                     actor: access.Actor) -> Officer:
    """R05: remove (清退) an auxiliary staff member; ``remove_officer`` for anyone else."""
    return remove_officer(officer_id, reason=reason, left_on=left_on, note=note, actor=actor)


# --- The administrator's maintenance (admin site) -----------------------------------------

def _stream_of(obj: models.Model) -> str:
    """Where an admin change is recorded: the object's own stream, or its officer's for the
    rows that belong to an officer (certificates, training, assignments)."""
    if isinstance(obj, Body):
        return f"body:{obj.pk}"
    if isinstance(obj, Jurisdiction):
        return f"jurisdiction:{obj.pk}"
    if isinstance(obj, SupervisionPost):
        return f"jurisdiction:{obj.jurisdiction_id}"
    if isinstance(obj, Officer):
        return f"officer:{obj.pk}"
    if isinstance(obj, (Certificate, TrainingRecord, Assignment)):
        return f"officer:{obj.officer_id}"
    return f"{obj._meta.model_name}:{obj.pk}"


@use_case
def save_by_admin(obj: models.Model, *, changed: list[str], created: bool, actor: access.Actor) -> models.Model:
    """A save from the admin site (bodies, jurisdictions, supervision posts, officers' details,
    training and assignment rows), recorded on the object's stream with the changed values."""
    return admin_records.save(obj, stream=_stream_of, changed=changed, created=created, actor=actor)


@use_case
def delete_by_admin(objs, *, actor: access.Actor) -> int:
    """Deletions from the admin site, each recorded on its stream before the row goes."""
    return admin_records.delete(objs, stream=_stream_of, actor=actor)
