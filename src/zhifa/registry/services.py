"""Registry use cases (R01–R08): the only code that changes registry state, and the queries
that need the rules (certificate state, health flags).

Every write takes ``actor`` as a keyword, runs in one transaction, locks what it changes and
checks permissions through ``access``.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery, Sum

from zhifa.core import clock
from zhifa.core.violations import Refused, Violation

from . import access, rules
from .models import Assignment, Body, Certificate, Jurisdiction, Officer, TrainingRecord


# --- Certificates -------------------------------------------------------------------------

def with_current_certificate(qs: QuerySet[Officer]) -> QuerySet[Officer]:
    """Annotate officers with their latest certificate (by issue date) in the same query:
    ``cert_number``, ``cert_status``, ``cert_issued_on``, ``cert_expires_on``."""
    latest = Certificate.objects.filter(officer=OuterRef("pk")).order_by("-issued_on", "-id")
    return qs.annotate(
        cert_number=Subquery(latest.values("number")[:1]),
        cert_status=Subquery(latest.values("status")[:1]),
        cert_issued_on=Subquery(latest.values("issued_on")[:1]),
        cert_expires_on=Subquery(latest.values("expires_on")[:1]),
    )


def certificate_facts_of(officer: Officer) -> rules.CertificateFacts | None:
    """The latest certificate of an officer as rule input; uses the annotations when present."""
    if hasattr(officer, "cert_number"):
        if officer.cert_number is None:
            return None
        return rules.CertificateFacts(
            officer.cert_number, officer.cert_status, _as_date(officer.cert_issued_on), _as_date(officer.cert_expires_on)
        )
    cert = officer.certificates.order_by("-issued_on", "-id").first()
    if cert is None:
        return None
    return rules.CertificateFacts(cert.number, cert.status, cert.issued_on, cert.expires_on)


def _as_date(value) -> dt.date:
    # SQLite returns Subquery dates as strings.
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def certificate_state_of(officer: Officer, today: dt.date | None = None) -> rules.CertificateState:
    return rules.certificate_state(certificate_facts_of(officer), today or clock.today())


def officer_facts(officer: Officer) -> rules.OfficerFacts:
    """Rule input for ``rules.may_act`` / ``rules.officers_may_act``."""
    return rules.OfficerFacts(
        id=officer.pk,
        name=officer.name,
        body_id=officer.body_id,
        is_auxiliary=officer.is_auxiliary,
        is_active=officer.status == Officer.Status.ACTIVE,
        certificate=certificate_facts_of(officer),
    )


def check_officers_may_act(officer_ids: list[int], today: dt.date | None = None) -> list[Violation]:
    """R04/R05/R15 for any enforcement act: loads the officers (one query) and applies the rule."""
    officers = list(with_current_certificate(Officer.objects.filter(pk__in=officer_ids)))
    return rules.officers_may_act([officer_facts(o) for o in officers], today or clock.today())


def _lock_certificate(actor: access.Actor, certificate_id: int) -> Certificate:
    cert = Certificate.objects.select_for_update().select_related("officer").get(pk=certificate_id)
    if not access.can_manage_body(actor, cert.officer.body_id):
        raise PermissionDenied("只有本主体负责人或系统管理员可以变更执法证状态。")
    return cert


@transaction.atomic
def revoke_certificate(certificate_id: int, *, reason: str, on: dt.date | None = None, note: str = "", actor: access.Actor) -> Certificate:
    """R04: revoke (注销) a certificate on transfer, dismissal, resignation, retirement …"""
    if reason not in Certificate.RevocationReason.values:
        raise Refused([Violation("INVALID_REASON", "请选择注销原因：调离、辞退、辞职、退休等。", "市指导意见第五部分")])
    cert = _lock_certificate(actor, certificate_id)
    if cert.status == Certificate.Status.REVOKED:
        raise Refused([Violation("WRONG_STATE", "该执法证已注销。", "")])
    cert.status = Certificate.Status.REVOKED
    cert.revocation_reason = reason
    cert.status_changed_on = on or clock.today()
    cert.status_note = note
    cert.save(update_fields=["status", "revocation_reason", "status_changed_on", "status_note"])
    return cert


@transaction.atomic
def suspend_certificate(certificate_id: int, *, note: str, on: dt.date | None = None, actor: access.Actor) -> Certificate:
    """R04: suspend (暂扣) a certificate, e.g. during an investigation of the holder."""
    cert = _lock_certificate(actor, certificate_id)
    if cert.status != Certificate.Status.VALID:
        raise Refused([Violation("WRONG_STATE", "只有状态为“有效”的执法证可以暂扣。", "")])
    cert.status = Certificate.Status.SUSPENDED
    cert.status_changed_on = on or clock.today()
    cert.status_note = note
    cert.save(update_fields=["status", "status_changed_on", "status_note"])
    return cert


@transaction.atomic
def restore_certificate(certificate_id: int, *, note: str = "", actor: access.Actor) -> Certificate:
    """Lift a suspension; a revoked certificate cannot come back (a new one is issued)."""
    cert = _lock_certificate(actor, certificate_id)
    if cert.status != Certificate.Status.SUSPENDED:
        raise Refused([Violation("WRONG_STATE", "只有暂扣的执法证可以恢复。", "")])
    cert.status = Certificate.Status.VALID
    cert.status_changed_on = clock.today()
    cert.status_note = note
    cert.save(update_fields=["status", "status_changed_on", "status_note"])
    return cert


# --- Training and assignments -------------------------------------------------------------

def _officer_for_change(actor: access.Actor, officer_id: int) -> Officer:
    officer = Officer.objects.select_for_update().get(pk=officer_id)
    if not access.can_manage_body(actor, officer.body_id):
        raise PermissionDenied("只有本主体负责人或系统管理员可以维护人员信息。")
    return officer


@transaction.atomic
def record_training(officer_id: int, *, title: str, held_on: dt.date, hours: Decimal, provider: str = "", actor: access.Actor) -> TrainingRecord:
    """R07: record a training; hours count toward the year of ``held_on``."""
    violations = []
    if not title.strip():
        violations.append(Violation("INVALID_INPUT", "请填写培训名称。", ""))
    if hours <= 0 or hours > 200:
        violations.append(Violation("INVALID_INPUT", "学时应大于0且不超过200。", ""))
    if violations:
        raise Refused(violations)
    officer = _officer_for_change(actor, officer_id)
    return TrainingRecord.objects.create(officer=officer, title=title.strip(), held_on=held_on, hours=hours, provider=provider)


@transaction.atomic
def record_assignment(officer_id: int, *, kind: str, organization: str, starts_on: dt.date, ends_on: dt.date | None = None,
                      reason: str = "", approved_by: str = "", actor: access.Actor) -> Assignment:
    """R08: record a secondment or a non-enforcement assignment; it is flagged while it runs."""
    violations = []
    if kind not in Assignment.Kind.values:
        violations.append(Violation("INVALID_INPUT", "请选择类型：借调或从事非执法工作。", ""))
    if ends_on is not None and ends_on < starts_on:
        violations.append(Violation("INVALID_INPUT", "结束日期不得早于开始日期。", ""))
    if violations:
        raise Refused(violations)
    officer = _officer_for_change(actor, officer_id)
    return Assignment.objects.create(officer=officer, kind=kind, organization=organization, starts_on=starts_on,
                                     ends_on=ends_on, reason=reason, approved_by=approved_by)


def training_hours(officer_ids, year: int) -> dict[int, Decimal]:
    """R07: training hours per officer in ``year`` (one query); officers without training map to 0."""
    totals = dict(
        TrainingRecord.objects.filter(officer_id__in=officer_ids, held_on__year=year)
        .values_list("officer_id")
        .annotate(total=Sum("hours"))
        .values_list("officer_id", "total")
    )
    return {oid: Decimal(totals.get(oid) or 0) for oid in officer_ids}


# --- Registry health (R04, R06, R07, R08) -------------------------------------------------

def health_flags(actor: access.Actor, today: dt.date | None = None, *, body_id: int | None = None,
                 jurisdiction_id: int | None = None) -> list[rules.Flag]:
    """Every registry flag in the actor's scope, optionally narrowed to a body or a jurisdiction
    subtree. A fixed number of queries whatever the size of the city."""
    if not access.can_view_health(actor):
        raise PermissionDenied("无权查看执法人员管理预警。")
    today = today or clock.today()
    config = settings.ZHIFA
    bodies = access.scope_bodies(actor, Body.objects.filter(is_active=True))
    if body_id is not None:
        bodies = bodies.filter(pk=body_id)
    if jurisdiction_id is not None:
        path = Jurisdiction.objects.filter(pk=jurisdiction_id).values_list("path", flat=True).first() or "\0"
        bodies = bodies.filter(jurisdiction__path__startswith=path)
    bodies = {b.pk: b for b in bodies.only("pk", "is_township_bureau")}
    officers = list(
        with_current_certificate(
            Officer.objects.filter(body_id__in=bodies, status=Officer.Status.ACTIVE)
        ).only("pk", "name", "body_id", "is_auxiliary", "is_legal_reviewer", "has_legal_qualification",
               "is_head", "enforcement_experience_years", "status")
    )
    flags: list[rules.Flag] = []
    reviewers = defaultdict(list)
    for o in officers:
        if o.is_legal_reviewer:
            reviewers[o.body_id].append(rules.ReviewerFacts(o.pk, o.has_legal_qualification))
    for bid in bodies:
        flags.extend(rules.body_reviewer_flags(bid, reviewers.get(bid, [])))

    enforcing = [o for o in officers if not o.is_auxiliary]
    hours = training_hours([o.pk for o in enforcing], today.year)
    required = config["TRAINING_HOURS_PER_YEAR"]
    active_assignments = defaultdict(list)
    for a in Assignment.objects.filter(officer_id__in=[o.pk for o in enforcing], starts_on__lte=today):
        if rules.assignment_active(a.starts_on, a.ends_on, today):
            active_assignments[a.officer_id].append(a)

    for o in enforcing:
        kind = rules.certificate_expiry_flag(certificate_facts_of(o), today, config["CERTIFICATE_EXPIRY_WARNING_DAYS"])
        if kind is not None:
            cert = certificate_facts_of(o)
            detail = {
                rules.FlagKind.NO_CERTIFICATE: "未持有行政执法证",
                rules.FlagKind.CERTIFICATE_EXPIRED: f"执法证{cert and cert.number}已于{cert and cert.expires_on}过期",
                rules.FlagKind.CERTIFICATE_EXPIRING: f"执法证{cert and cert.number}将于{cert and cert.expires_on}到期",
            }[kind]
            flags.append(rules.Flag(kind, o.body_id, f"{o.name}：{detail}", o.pk))
        missing = rules.training_shortfall(hours[o.pk], required)
        if missing > 0:
            flags.append(rules.Flag(rules.FlagKind.TRAINING_SHORTFALL, o.body_id,
                                    f"{o.name}：{today.year}年已培训{hours[o.pk]}学时，尚缺{missing}学时（应不少于{required}学时）", o.pk))
        if not rules.township_head_experienced(bodies[o.body_id].is_township_bureau, o.is_head, o.enforcement_experience_years,
                                               config["TOWNSHIP_HEAD_MIN_EXPERIENCE_YEARS"]):
            flags.append(rules.Flag(rules.FlagKind.HEAD_INEXPERIENCED, o.body_id,
                                    f"{o.name}：执法工作年限{o.enforcement_experience_years}年，"
                                    f"不足{config['TOWNSHIP_HEAD_MIN_EXPERIENCE_YEARS']}年", o.pk))
        for a in active_assignments.get(o.pk, []):
            flags.append(rules.Flag(rules.FlagKind.SECONDED, o.body_id,
                                    f"{o.name}：{a.get_kind_display()}至{a.organization}（自{a.starts_on}起）", o.pk))
    return flags


# --- Admission, certificates issued, assignments ended (R04, R05, R08) --------------------

def _lock_officer_for_change(actor: access.Actor, officer_id: int) -> Officer:
    """The officer row, locked; PermissionDenied unless the actor manages the officer's body."""
    return _officer_for_change(actor, officer_id)


@transaction.atomic
def issue_certificate(officer_id: int, *, number: str, issued_on: dt.date, expires_on: dt.date,
                      exam_score: Decimal | None = None, issuer: str = "", exam_passed_on: dt.date | None = None,
                      actor: access.Actor) -> Certificate:
    """R04: issue (发放) a new or renewed (换发) law enforcement certificate (行政执法证).

    The newest certificate by issue date is the officer's current one, so a renewal simply adds a
    row; the previous certificate keeps its history. Refuses, all at once: an empty or taken
    number, an expiry not after the issue date, a failed exam, auxiliary staff (R05: they never
    hold a certificate), an officer who has left."""
    officer = _lock_officer_for_change(actor, officer_id)
    number = (number or "").strip()
    violations = []
    if not number:
        violations.append(Violation("INVALID_INPUT", "请填写执法证编号。", ""))
    elif Certificate.objects.filter(number=number).exists():
        violations.append(Violation("DUPLICATE_NUMBER", f"执法证编号 {number} 已被使用，编号应唯一。", ""))
    if expires_on <= issued_on:
        violations.append(Violation("INVALID_INPUT", "有效期至应晚于发证日期。", ""))
    if exam_score is not None and (exam_score < 0 or exam_score > 100):
        violations.append(Violation("INVALID_INPUT", "考试成绩应在0至100分之间。", ""))
    if officer.is_auxiliary:
        violations.append(Violation("AUXILIARY_CANNOT_ACT", "执法辅助人员不得申领行政执法证，不能独立从事行政执法活动。",
                                    "市指导意见第五部分第3项（R05）"))
    if officer.status != Officer.Status.ACTIVE:
        violations.append(Violation("WRONG_STATE", f"{officer.name}已离岗，不能发证。", ""))
    if violations:
        raise Refused(violations)
    return Certificate.objects.create(
        officer=officer, number=number, issued_on=issued_on, expires_on=expires_on, exam_score=exam_score,
        exam_passed_on=exam_passed_on, issuer=issuer.strip(), status=Certificate.Status.VALID,
    )


@transaction.atomic
def end_assignment(assignment_id: int, *, ends_on: dt.date | None = None, actor: access.Actor) -> Assignment:
    """R08: end a secondment or non-enforcement assignment (the officer returns to enforcement)."""
    assignment = Assignment.objects.select_for_update().select_related("officer").get(pk=assignment_id)
    if not access.can_manage_body(actor, assignment.officer.body_id):
        raise PermissionDenied("只有本主体负责人或系统管理员可以维护人员信息。")
    ends_on = ends_on or clock.today()
    violations = []
    if assignment.ends_on is not None and assignment.ends_on < clock.today():
        violations.append(Violation("WRONG_STATE", f"该安排已于{assignment.ends_on}结束。", ""))
    if ends_on < assignment.starts_on:
        violations.append(Violation("INVALID_INPUT", f"结束日期不得早于开始日期{assignment.starts_on}。", ""))
    if violations:
        raise Refused(violations)
    assignment.ends_on = ends_on
    assignment.save(update_fields=["ends_on"])
    return assignment


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
        violations.append(Violation("INVALID_INPUT", "请填写姓名。", ""))
    if not body.is_active:
        violations.append(Violation("WRONG_STATE", f"{body.name}已停用，不能录用人员。", ""))
    if id_number and not (len(id_number) == 18 and id_number[:17].isdigit() and (id_number[17].isdigit() or id_number[17] == "X")):
        violations.append(Violation("INVALID_INPUT", "身份证号应为18位（最后一位可为X）。", ""))
    if staff_no and Officer.objects.filter(body=body, staff_no=staff_no).exists():
        violations.append(Violation("DUPLICATE_NUMBER", f"工号 {staff_no} 在本主体已被使用。", ""))
    if joined_on > clock.today():
        violations.append(Violation("INVALID_INPUT", "录用日期不得晚于今天。", ""))
    if violations:
        raise Refused(violations)
    return Officer.objects.create(body=body, name=name, is_auxiliary=is_auxiliary, id_number=id_number, phone=(phone or "").strip(),
                                  staff_no=staff_no, position=(position or "").strip(), joined_on=joined_on,
                                  status=Officer.Status.ACTIVE)


@transaction.atomic
def remove_officer(officer_id: int, *, reason: str, left_on: dt.date | None = None, note: str = "",
                   actor: access.Actor) -> Officer:
    """R04/R05: an officer leaves (离岗) or auxiliary staff are removed (清退): the date and reason
    are recorded, and a certificate still valid or suspended is revoked (注销) with the same reason
    in the same transaction, so nobody who left keeps a usable certificate."""
    officer = _lock_officer_for_change(actor, officer_id)
    left_on = left_on or clock.today()
    violations = []
    if reason not in Certificate.RevocationReason.values:
        violations.append(Violation("INVALID_REASON", "请选择离岗原因：调离、辞退、辞职、退休等。", "市指导意见第五部分"))
    if officer.status != Officer.Status.ACTIVE:
        violations.append(Violation("WRONG_STATE", f"{officer.name}已于{officer.left_on or '此前'}离岗。", ""))
    if actor.officer is not None and actor.officer.pk == officer.pk:
        violations.append(Violation("INVALID_INPUT", "不能为本人办理离岗，请由上级或系统管理员办理。", ""))
    if left_on > clock.today():
        violations.append(Violation("INVALID_INPUT", "离岗日期不得晚于今天。", ""))
    if violations:
        raise Refused(violations)
    label = Certificate.RevocationReason(reason).label
    officer.status = Officer.Status.LEFT
    officer.left_on = left_on
    officer.left_reason = f"{label}{'：' + note.strip() if note.strip() else ''}"[:100]
    officer.save(update_fields=["status", "left_on", "left_reason"])
    Certificate.objects.filter(officer=officer, status__in=[Certificate.Status.VALID, Certificate.Status.SUSPENDED]).update(
        status=Certificate.Status.REVOKED, revocation_reason=reason, status_changed_on=left_on,
        status_note=(f"随离岗注销。{note.strip()}")[:200],
    )
    return officer


def remove_auxiliary(officer_id: int, *, reason: str, left_on: dt.date | None = None, note: str = "",
                     actor: access.Actor) -> Officer:
    """R05: remove (清退) an auxiliary staff member; ``remove_officer`` for anyone else."""
    return remove_officer(officer_id, reason=reason, left_on=left_on, note=note, actor=actor)
