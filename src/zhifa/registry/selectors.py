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
from django.db.models import BooleanField, Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from zhifa.core import clock
from zhifa.core.violations import Violation

from . import access, panels, rules
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


# --- Scoped lists shared by the API and the pages -----------------------------------------
# A filter is written once here; ``api`` and ``views`` parse their own input and call these.

# The orderings of the body list by its own columns, the same in the API and on the page (each adds
# its count columns: ``officer_count`` in the API, ``n_officers``/``n_items`` on the page).
BODY_ORDERINGS = {
    "name": ("name",),
    "code": ("code",),
    "jurisdiction": ("jurisdiction__path", "code"),
    "sector": ("sector", "code"),
}


def subtree_path(jurisdiction_id: int) -> str | None:
    """The materialized path of a jurisdiction (its subtree is every path starting with it)."""
    return Jurisdiction.objects.filter(pk=jurisdiction_id).values_list("path", flat=True).first()


def search_jurisdictions(qs: QuerySet[Jurisdiction], *, level: str | None = None,
                         parent: int | None = None) -> QuerySet[Jurisdiction]:
    """区划 filter: by level, and to a node with its whole subtree."""
    if level:
        qs = qs.filter(level=level)
    if parent is not None:
        path = subtree_path(parent)
        qs = qs.filter(path__startswith=path) if path else qs.none()
    return qs


def _count(qs: QuerySet, field: str = "body") -> Coalesce:
    """A correlated ``COUNT`` subquery of ``qs`` rows pointing at the outer row by ``field``:
    several counts per row without multiplying joins."""
    counted = qs.filter(**{field: OuterRef("pk")}).order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _item_count():
    """``n_items`` per body from the catalog's items (handed down through ``panels``), 0 without."""
    items = panels.items_of_bodies(None)
    return _count(items) if items is not None else Value(0, output_field=IntegerField())


def bodies_with_officer_count(actor: access.Actor) -> QuerySet[Body]:
    """Bodies the actor may look up (R01), with ``officer_count`` (enforcing officers in post)."""
    active = Q(officers__status=Officer.Status.ACTIVE, officers__is_auxiliary=False)
    return access.visible_bodies(actor).annotate(officer_count=Count("officers", filter=active))


def listed_bodies(actor: access.Actor) -> QuerySet[Body]:
    """执法主体名录: active bodies the actor may see, with ``n_officers`` and ``n_items``."""
    return access.visible_bodies(actor).filter(is_active=True).annotate(
        n_officers=_count(Officer.objects.filter(status=Officer.Status.ACTIVE, is_auxiliary=False)),
        n_items=_item_count(),
    )


def search_bodies(qs: QuerySet[Body], *, q: str | None = None, sector: str | None = None, kind: str | None = None,
                  jurisdiction_path: str | None = None, jurisdiction_id: int | None = None,
                  published: bool | None = None) -> QuerySet[Body]:
    """The body filter of the list page and the API: text in the name, short name or code; the
    sector and kind; a jurisdiction with its subtree (by path, or by id: an unknown id matches
    nothing); published or not."""
    if jurisdiction_id is not None:
        jurisdiction_path = subtree_path(jurisdiction_id)
        if jurisdiction_path is None:
            return qs.none()
    if q and q.strip():
        text = q.strip()
        qs = qs.filter(Q(name__icontains=text) | Q(short_name__icontains=text) | Q(code__icontains=text))
    if sector:
        qs = qs.filter(sector=sector)
    if kind:
        qs = qs.filter(kind=kind)
    if jurisdiction_path is not None:
        qs = qs.filter(jurisdiction__path__startswith=jurisdiction_path)
    if published is not None:
        qs = qs.filter(is_published=published)
    return qs


def certificate_state_q(state: str, today: dt.date) -> Q:
    """``rules.certificate_state`` as a query over the ``with_current_certificate`` annotations
    (tests check both agree): an authority's suspension or revocation wins, otherwise valid from
    the issue date through the expiry date inclusive."""
    recorded_valid = Q(cert_status=Certificate.Status.VALID)
    in_period = Q(cert_issued_on__lte=today, cert_expires_on__gte=today)
    return {
        rules.CertificateState.VALID.value: recorded_valid & in_period,
        rules.CertificateState.EXPIRED.value: recorded_valid & ~in_period,
        rules.CertificateState.SUSPENDED.value: Q(cert_status=Certificate.Status.SUSPENDED),
        rules.CertificateState.REVOKED.value: Q(cert_status=Certificate.Status.REVOKED),
        rules.CertificateState.NONE.value: Q(cert_number__isnull=True),
    }[rules.CertificateState(state).value]


def looked_up_officers(actor: access.Actor) -> QuerySet[Officer]:
    """Officers the actor may look up (亮证查询: the public ones, and everyone in scope), annotated
    with ``private_visible`` (may read private data, decided in the same query by
    ``access.body_filter``) and the latest certificate."""
    condition = access.body_filter(actor, "body")
    if condition is None:  # administrator
        qs = Officer.objects.annotate(private_visible=Value(True, output_field=BooleanField()))
    else:
        public_ids = access.public_officers().values("pk")
        qs = Officer.objects.filter(Q(pk__in=public_ids) | condition).annotate(
            private_visible=Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())
        )
    return with_current_certificate(qs.select_related("body"))


# Roles as the API names them: each officer has exactly one (head before reviewer before auxiliary).
EXCLUSIVE_ROLES = {
    "head": Q(is_head=True),
    "legal_reviewer": Q(is_head=False, is_legal_reviewer=True),
    "auxiliary": Q(is_head=False, is_legal_reviewer=False, is_auxiliary=True),
    "officer": Q(is_head=False, is_legal_reviewer=False, is_auxiliary=False),
}
# Roles as the roster page filters them: a head who reviews is found under both.
ROSTER_ROLES = {
    "officer": Q(is_auxiliary=False, is_head=False, is_legal_reviewer=False),
    "auxiliary": Q(is_auxiliary=True),
    "reviewer": Q(is_legal_reviewer=True),
    "head": Q(is_head=True),
}


def role_of(officer: Officer) -> str:
    """The one role an officer is shown with (``EXCLUSIVE_ROLES``)."""
    if officer.is_head:
        return "head"
    if officer.is_legal_reviewer:
        return "legal_reviewer"
    if officer.is_auxiliary:
        return "auxiliary"
    return "officer"


def roster(actor: access.Actor) -> QuerySet[Officer]:
    """执法人员名册: the people whose records the actor may read, with their latest certificate."""
    return with_current_certificate(access.staff_officers(actor)).select_related("body")


def search_roster(qs: QuerySet[Officer], *, today: dt.date, q: str | None = None, body=None, role: str | None = None,
                  status: str = "active", certificate_state: str | None = None) -> QuerySet[Officer]:
    """The roster page's filter: text in the name, staff number or any certificate number; body;
    role (``ROSTER_ROLES``); status (``all`` for every status); certificate state today."""
    if status != "all":
        qs = qs.filter(status=status)
    if q and q.strip():
        text = q.strip()
        qs = qs.filter(Q(name__icontains=text) | Q(staff_no__icontains=text) | Q(certificates__number__icontains=text)).distinct()
    if body:
        qs = qs.filter(body=body)
    if role in ROSTER_ROLES:
        qs = qs.filter(ROSTER_ROLES[role])
    if certificate_state:
        qs = qs.filter(certificate_state_q(certificate_state, today))
    return qs


def search_looked_up(qs: QuerySet[Officer], *, today: dt.date, body: int | None = None, q: str | None = None,
                     role: str | None = None, status: str | None = None,
                     certificate_state: str | None = None) -> QuerySet[Officer]:
    """The lookup filter (API ``/officers``): body, text in the name or current certificate
    number, role (``EXCLUSIVE_ROLES``), status, certificate state today."""
    if body is not None:
        qs = qs.filter(body_id=body)
    if q and q.strip():
        text = q.strip()
        qs = qs.filter(Q(name__icontains=text) | Q(cert_number__icontains=text))
    if role:
        qs = qs.filter(EXCLUSIVE_ROLES[role])
    if status:
        qs = qs.filter(status=status)
    if certificate_state:
        qs = qs.filter(certificate_state_q(certificate_state, today))
    return qs


def bodies_in_scope(actor: access.Actor) -> QuerySet[Body]:
    """The active bodies in the actor's scope (``access.scope_bodies``), in the tree's order: the
    choices of a page's body filter."""
    return access.scope_bodies(actor, Body.objects.filter(is_active=True)).order_by("jurisdiction__path", "code")


def health_bodies(actor: access.Actor) -> QuerySet[Body]:
    """The bodies whose flags the actor may filter by."""
    return bodies_in_scope(actor).select_related("jurisdiction")


def health_jurisdictions(actor: access.Actor) -> QuerySet[Jurisdiction] | None:
    """The jurisdictions a health view may be narrowed to (None: the actor has no subtree)."""
    if actor.is_admin:
        return Jurisdiction.objects.all()
    if actor.jurisdiction_path:
        return Jurisdiction.objects.filter(path__startswith=actor.jurisdiction_path)
    return None


def command_tree(actor: access.Actor, nodes: list[Jurisdiction]) -> tuple[list[Jurisdiction], int]:
    """R02 command view (区划与层级): ``nodes`` (a subtree, in path order) linked into a tree, each
    with the active bodies the actor may see there (``body_list``, with ``n_officers`` and
    ``n_auxiliary``) and its subtree's totals (``total_bodies``, ``total_officers``). Returns the
    roots and the number of bodies."""
    bodies = list(
        access.visible_bodies(actor)
        .filter(is_active=True, jurisdiction__in=[j.pk for j in nodes])
        .annotate(
            n_officers=_count(Officer.objects.filter(status=Officer.Status.ACTIVE, is_auxiliary=False)),
            n_auxiliary=_count(Officer.objects.filter(status=Officer.Status.ACTIVE, is_auxiliary=True)),
        )
        .order_by("jurisdiction__path", "code")
    )
    for j in nodes:
        j.children_nodes, j.body_list, j.total_bodies, j.total_officers = [], [], 0, 0
    kept = {j.pk: j for j in nodes}
    for b in bodies:
        kept[b.jurisdiction_id].body_list.append(b)
        node = kept.get(b.jurisdiction_id)
        while node is not None:  # the totals of each subtree: walk up from every body
            node.total_bodies += 1
            node.total_officers += b.n_officers
            node = kept.get(node.parent_id)
    roots = []
    for j in nodes:
        parent = kept.get(j.parent_id)
        (parent.children_nodes if parent else roots).append(j)
    return roots, len(bodies)
