"""Registry reads (R01–R08): the scoped queries that the API and the pages share, and the
queries that turn rows into rule input (certificate state, officer facts, training hours, health
flags). Nothing here writes; ``services`` re-exports the names its callers import from there.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery, Sum

from zhifa.core import clock
from zhifa.core.violations import Violation

from . import access, rules
from .models import Assignment, Body, Certificate, Jurisdiction, Officer, TrainingRecord


# --- Certificates as rule input -----------------------------------------------------------

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
    """Every registry flag (管理预警) in the actor's scope, optionally narrowed to a body or a
    jurisdiction subtree. A fixed number of queries whatever the size of the city."""
    if not access.can_view_health(actor):
        raise PermissionDenied("无权查看执法人员管理预警。")
    today = today or clock.today()
    bodies = _health_bodies(actor, body_id, jurisdiction_id)
    officers = list(
        with_current_certificate(
            Officer.objects.filter(body_id__in=bodies, status=Officer.Status.ACTIVE)
        ).only("pk", "name", "body_id", "is_auxiliary", "is_legal_reviewer", "has_legal_qualification",
               "is_head", "enforcement_experience_years", "status")
    )
    flags = _reviewer_flags(bodies, officers)
    enforcing = [o for o in officers if not o.is_auxiliary]
    hours = training_hours([o.pk for o in enforcing], today.year)
    active_assignments = _active_assignments(enforcing, today)
    for o in enforcing:
        flags.extend(_officer_flags(o, bodies[o.body_id], hours[o.pk], active_assignments.get(o.pk, []), today))
    return flags


def _health_bodies(actor: access.Actor, body_id: int | None, jurisdiction_id: int | None) -> dict[int, Body]:
    bodies = access.scope_bodies(actor, Body.objects.filter(is_active=True))
    if body_id is not None:
        bodies = bodies.filter(pk=body_id)
    if jurisdiction_id is not None:
        path = Jurisdiction.objects.filter(pk=jurisdiction_id).values_list("path", flat=True).first() or "\0"
        bodies = bodies.filter(jurisdiction__path__startswith=path)
    return {b.pk: b for b in bodies.only("pk", "is_township_bureau")}


def _reviewer_flags(bodies: dict[int, Body], officers: list[Officer]) -> list[rules.Flag]:
    """R06: each body needs a qualified legal reviewer (法制审核人员)."""
    reviewers = defaultdict(list)
    for o in officers:
        if o.is_legal_reviewer:
            reviewers[o.body_id].append(rules.ReviewerFacts(o.pk, o.has_legal_qualification))
    flags: list[rules.Flag] = []
    for bid in bodies:
        flags.extend(rules.body_reviewer_flags(bid, reviewers.get(bid, [])))
    return flags


def _active_assignments(officers: list[Officer], today: dt.date) -> dict[int, list[Assignment]]:
    active = defaultdict(list)
    for a in Assignment.objects.filter(officer_id__in=[o.pk for o in officers], starts_on__lte=today):
        if rules.assignment_active(a.starts_on, a.ends_on, today):
            active[a.officer_id].append(a)
    return active


def _officer_flags(o: Officer, body: Body, hours: Decimal, assignments: list[Assignment], today: dt.date) -> list[rules.Flag]:
    """One enforcing officer's flags: certificate (R04), training (R07), township head (R06),
    secondment (R08)."""
    config = settings.ZHIFA
    flags: list[rules.Flag] = []
    cert = certificate_facts_of(o)
    kind = rules.certificate_expiry_flag(cert, today, config["CERTIFICATE_EXPIRY_WARNING_DAYS"])
    if kind is not None:
        detail = {
            rules.FlagKind.NO_CERTIFICATE: "未持有行政执法证",
            rules.FlagKind.CERTIFICATE_EXPIRED: f"执法证{cert and cert.number}已于{cert and cert.expires_on}过期",
            rules.FlagKind.CERTIFICATE_EXPIRING: f"执法证{cert and cert.number}将于{cert and cert.expires_on}到期",
        }[kind]
        flags.append(rules.Flag(kind, o.body_id, f"{o.name}：{detail}", o.pk))
    required = config["TRAINING_HOURS_PER_YEAR"]
    missing = rules.training_shortfall(hours, required)
    if missing > 0:
        flags.append(rules.Flag(rules.FlagKind.TRAINING_SHORTFALL, o.body_id,
                                f"{o.name}：{today.year}年已培训{hours}学时，尚缺{missing}学时（应不少于{required}学时）", o.pk))
    minimum = config["TOWNSHIP_HEAD_MIN_EXPERIENCE_YEARS"]
    if not rules.township_head_experienced(body.is_township_bureau, o.is_head, o.enforcement_experience_years, minimum):
        flags.append(rules.Flag(rules.FlagKind.HEAD_INEXPERIENCED, o.body_id,
                                f"{o.name}：执法工作年限{o.enforcement_experience_years}年，不足{minimum}年", o.pk))
    for a in assignments:
        flags.append(rules.Flag(rules.FlagKind.SECONDED, o.body_id,
                                f"{o.name}：{a.get_kind_display()}至{a.organization}（自{a.starts_on}起）", o.pk))
    return flags
