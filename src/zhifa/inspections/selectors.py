"""The scoped queries of double random, one public (双随机、一公开) that the API and the pages
share — plans, tasks, my inspections, the inspector database, conflicts, statistics — so that
each filter is written once. Reads only; scoped through ``registry.access``."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from zhifa.core import clock
from zhifa.registry import access
from zhifa.registry import rules as registry_rules
from zhifa.registry import services as registry_services
from zhifa.registry.models import Certificate, Officer
from zhifa.registry.rules import CertificateState

from . import rules
from .config import joint_floor_percent
from .models import (
    ConflictDeclaration,
    Draw,
    Entity,
    Inspection,
    InspectionItem,
    Plan,
    Task,
)


def _with_partners(qs: QuerySet, actor: access.Actor, body: str, partners: str) -> QuerySet:
    """``qs`` scoped to what the actor sees as staff (``access.body_filter`` on ``body``: own body,
    supervised subtree, everything for the administrator), and the joint tasks their body is a
    partner of (联合抽查, through ``partners``)."""
    condition = access.body_filter(actor, body)
    if condition is None:
        return qs
    if actor.body_id is not None:
        condition |= Q(**{partners: actor.body_id})
    return qs.filter(condition).distinct()


def visible_plans(actor: access.Actor) -> QuerySet[Plan]:
    """Plans the actor may see as staff: own body's, joint tasks' partners', supervised subtree's."""
    return _with_partners(Plan.objects.select_related("body"), actor, "body", "tasks__partners")


def visible_tasks(actor: access.Actor) -> QuerySet[Task]:
    """Tasks the actor may see as staff, like ``visible_plans``: of their body's plans, of the
    supervised subtree's, and the joint tasks their body is a partner of."""
    return _with_partners(Task.objects.select_related("plan", "plan__body"), actor, "plan__body", "partners")


def assigned_inspections(actor: access.Actor) -> QuerySet[Inspection]:
    """我的检查: the inspections the actor's officer record was drawn for (R28) in tasks of their
    body, those still to be recorded first (by the end of their task's period), then the
    recorded ones, newest first.
    Served by the GIN index on ``inspector_ids`` on PostgreSQL; empty for a user who is not an
    officer."""
    if actor.officer is None:
        return Inspection.objects.none()
    recorded = Case(When(outcome="", then=Value(0)), default=Value(1))
    # an officer since moved to another body no longer acts for the task's body: not listed
    # (the results page refuses them too); the other drawn inspector records the result
    return (Inspection.objects.filter(inspector_ids__includes=actor.officer.pk, task__in=visible_tasks(actor).values("pk"))
            .select_related("task", "task__plan__body", "entity")
            .annotate(recorded=recorded)
            .order_by("recorded", "task__ends_on", "-inspected_on", "task_id", "rank"))


def inspector_pool(body_ids: Iterable[int], today: dt.date) -> list[Officer]:
    """Officers who may be drawn (执法检查人员名录库), by id (``inspector_pool_ids``)."""
    return list(Officer.objects.filter(pk__in=inspector_pool_ids(body_ids, today)).order_by("id"))


def inspector_pool_ids(body_ids: Iterable[int], today: dt.date, through: dt.date | None = None) -> list[int]:
    """Ids of the officers who may be drawn: active, not auxiliary, latest certificate valid today
    (R04, R05 — ``registry.rules.certificate_state``), available in the inspector database. One
    query over certificates, ordered so the latest comes first per officer.

    ``through``: a later day the certificate must still be valid on — the draw's scheduled day,
    when the commitment is published before it (a certificate valid on both days is valid on
    every day between: it runs from its issue to its expiry)."""
    rows = (
        Certificate.objects.filter(
            officer__body_id__in=list(body_ids), officer__status=Officer.Status.ACTIVE, officer__is_auxiliary=False,
        ).exclude(officer__inspector_profile__is_available=False)
        .order_by("officer_id", "-issued_on", "-id")
        .values_list("officer_id", "number", "status", "issued_on", "expires_on")
    )
    valid: list[int] = []
    last = None
    for officer_id, number, status, issued_on, expires_on in rows.iterator(chunk_size=5000):
        if officer_id == last:
            continue
        last = officer_id
        facts = registry_rules.CertificateFacts(number, status, issued_on, expires_on)
        if all(registry_rules.certificate_state(facts, day) == CertificateState.VALID for day in (today, through or today)):
            valid.append(officer_id)
    return valid


def attach_inspectors(inspections: Iterable[Inspection]) -> list[Inspection]:
    """The inspections with ``inspectors`` set (their ``Officer`` rows in assignment order): one
    query for all of them, like a prefetch."""
    rows = list(inspections)
    officers = Officer.objects.in_bulk({pk for i in rows for pk in i.inspector_ids})
    for inspection in rows:
        inspection.inspectors = [officers[pk] for pk in inspection.inspector_ids if pk in officers]
    return rows


def stored_result_document(draw: Draw) -> str:
    """The result as stored in the database, in the canonical result format."""
    rows = Inspection.objects.filter(draw=draw).order_by("rank").values_list("rank", "entity__credit_code", "inspector_ids")
    return "".join(f"{rank},{code},{'|'.join(map(str, officers))}\n" for rank, code, officers in rows.iterator(chunk_size=5000))


def overdue_publications(qs: QuerySet[Inspection] | None = None, today: dt.date | None = None) -> QuerySet[Inspection]:
    """Recorded results not published by their deadline (公示超期)."""
    today = today or clock.today()
    qs = qs if qs is not None else Inspection.objects.all()
    return qs.filter(published_on__isnull=True, publish_due__lt=today).exclude(outcome="")


# --- Statistics (R27–R29) -------------------------------------------------------------------------

PROBLEM_OUTCOMES = (Inspection.Outcome.CORRECTED, Inspection.Outcome.RECTIFY, Inspection.Outcome.CASE)


def plan_statistics(plan: Plan) -> dict:
    """Coverage, problem rate, overdue publications, the body's joint share and its joint quota by
    quarter (R29) for one plan."""
    agg = Inspection.objects.filter(draw__task__plan=plan).aggregate(  # through the draw's index
        drawn=Count("id"),
        recorded=Count("id", filter=~Q(outcome="")),
        problems=Count("id", filter=Q(outcome__in=PROBLEM_OUTCOMES)),
        published=Count("id", filter=Q(published_on__isnull=False)),
        overdue=Count("id", filter=Q(published_on__isnull=True, publish_due__lt=clock.today()) & ~Q(outcome="")),
    )
    drawn, recorded = agg["drawn"], agg["recorded"]
    quota = joint_quota_of(plan.body_id, plan.year)
    return {
        **agg,
        "tasks": plan.tasks.count(),
        "coverage": (Decimal(recorded) / drawn).quantize(Decimal("0.0001")) if drawn else Decimal(0),
        "problem_rate": (Decimal(agg["problems"]) / recorded).quantize(Decimal("0.0001")) if recorded else Decimal(0),
        # the body's year, counted once: the share against the floor and the quota by quarter
        "joint": rules.joint_share(quota.total, quota.joint),
        "joint_quota": quota,
    }


PENDING = ""  # an inspection drawn but not yet recorded (待检查): its outcome is empty


@dataclass
class TaskProgress:
    """One task's inspections for the plan page's charts (任务进度): drawn, recorded, published,
    with a problem found, and how many of each outcome (``PENDING`` for not yet recorded)."""

    drawn: int = 0
    recorded: int = 0
    published: int = 0
    problems: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)

    @property
    def problem_rate(self) -> Decimal:
        """Problems among recorded results (问题发现率), like ``plan_statistics``."""
        return (Decimal(self.problems) / self.recorded).quantize(Decimal("0.0001")) if self.recorded else Decimal(0)

    def add(self, outcome: str, n: int, published: int) -> None:
        self.drawn += n
        self.recorded += n if outcome != PENDING else 0
        self.problems += n if outcome in PROBLEM_OUTCOMES else 0
        self.published += published
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + n


def plan_progress(plan: Plan | int) -> tuple[dict[int, TaskProgress], TaskProgress]:
    """Each task's ``TaskProgress`` (tasks without inspections are absent) and the plan's total,
    from one aggregate query grouped by task and outcome — as many rows as tasks × outcomes,
    whatever the number of inspections."""
    rows = (
        Inspection.objects.filter(draw__task__plan=plan).order_by().values_list("task_id", "outcome")
        .annotate(n=Count("id"), published=Count("id", filter=Q(published_on__isnull=False)))
    )
    tasks: dict[int, TaskProgress] = {}
    total = TaskProgress()
    for task_id, outcome, n, published in rows:
        tasks.setdefault(task_id, TaskProgress()).add(outcome, n, published)
        total.add(outcome, n, published)
    return tasks, total


def joint_share_of(body_id: int, year: int) -> rules.JointShare:
    """A body's joint tasks of a year (as planner or partner) against all its tasks (R29)."""
    own = Task.objects.filter(plan__body_id=body_id, plan__year=year)
    total = own.count() + Task.objects.filter(partners=body_id, plan__year=year).count()
    joint = own.filter(partners__isnull=False).distinct().count() + Task.objects.filter(partners=body_id, plan__year=year).count()
    return rules.joint_share(total, joint)


def joint_quota_of(body_id: int, year: int) -> rules.JointQuota:
    """A body's joint-inspection quota for a year (R29): its tasks and joint tasks per quarter (as
    planner, and as partner of another body's joint task — counted as in ``joint_share_of``), the
    required joint tasks (``config.joint_floor_percent``) allotted to the quarters by the largest
    remainder (``rules.joint_quota``). Two queries."""
    tasks, joint = [0] * 4, [0] * 4
    own = (Task.objects.filter(plan__body_id=body_id, plan__year=year).annotate(n_partners=Count("partners"))
           .values_list("starts_on", "n_partners"))
    partnered = Task.objects.filter(partners=body_id, plan__year=year).values_list("starts_on", flat=True)
    for starts_on, n_partners in own:
        q = rules.quarter_of(starts_on.month)
        tasks[q] += 1
        joint[q] += n_partners > 0
    for starts_on in partnered:
        q = rules.quarter_of(starts_on.month)
        tasks[q] += 1
        joint[q] += 1
    return rules.joint_quota(tasks, joint, joint_floor_percent())


def joint_shares(year: int, body_ids: Iterable[int] | None = None) -> dict[int, rules.JointShare]:
    """Joint shares of many bodies in three queries."""
    own_total = dict(Task.objects.filter(plan__year=year).values("plan__body_id").annotate(n=Count("id")).values_list("plan__body_id", "n"))
    own_joint = dict(
        Task.objects.filter(plan__year=year, partners__isnull=False).values("plan__body_id")
        .annotate(n=Count("id", distinct=True)).values_list("plan__body_id", "n")
    )
    partner = dict(
        Task.partners.through.objects.filter(task__plan__year=year).values("body_id").annotate(n=Count("id")).values_list("body_id", "n")
    )
    ids = set(body_ids) if body_ids is not None else set(own_total) | set(partner)
    return {b: rules.joint_share(own_total.get(b, 0) + partner.get(b, 0), own_joint.get(b, 0) + partner.get(b, 0)) for b in ids}


def valid_certificate_q(today: dt.date) -> Q:
    """``registry.rules.certificate_state(...) == VALID`` on the annotations of
    ``registry.services.with_current_certificate``, as a filter (R04)."""
    return Q(cert_status=Certificate.Status.VALID, cert_issued_on__lte=today, cert_expires_on__gte=today)


def _in_force_q(today: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}starts_on__lte": today}) & (Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": today}))


def inspector_directory(actor: access.Actor, today: dt.date, *, eligible_only: bool = True, counts: bool = True) -> QuerySet[Officer]:
    """执法检查人员名录库 as a list: the active officers of the bodies the actor may see, each with
    the latest certificate (``cert_*``), the profile, and with ``counts`` the open (unrecorded)
    inspections assigned (``open_inspections``) and the conflicts declared in force today
    (``conflicts_in_force``) — one query per page. ``eligible_only``: only those ``inspector_pool``
    may draw, availability aside (not auxiliary, certificate valid today).

    The counts are subqueries per officer, and PostgreSQL computes a row's output before skipping
    it for an ``OFFSET``: page 50 of a city's 5,000 officers counted 2,500 officers' inspections
    (12 s). A list that does not sort by them pages without (``counts=False``) and counts its page
    alone (``count_directory_page``)."""
    qs = registry_services.with_current_certificate(
        access.staff_officers(actor).filter(status=Officer.Status.ACTIVE)
    ).select_related("body", "inspector_profile")
    if counts:
        qs = qs.annotate(**_directory_counts(today))
    if eligible_only:
        qs = qs.filter(valid_certificate_q(today), is_auxiliary=False)
    return qs


def _directory_counts(today: dt.date) -> dict:
    open_inspections = (Inspection.objects.filter(inspector_ids__includes=OuterRef("pk"), outcome="")
                        .order_by().annotate(n=Func("pk", function="COUNT")).values("n"))
    conflicts = (ConflictDeclaration.objects.filter(_in_force_q(today), officer=OuterRef("pk"))
                 .order_by().values("officer").annotate(n=Count("pk")).values("n"))
    return {"open_inspections": Coalesce(Subquery(open_inspections, output_field=IntegerField()), 0),
            "conflicts_in_force": Coalesce(Subquery(conflicts, output_field=IntegerField()), 0)}


def count_directory_page(officers: Iterable[Officer], today: dt.date) -> list[Officer]:
    """The officers of a directory page with ``open_inspections`` and ``conflicts_in_force`` set:
    one query for the page."""
    rows = list(officers)
    counted = (Officer.objects.filter(pk__in=[o.pk for o in rows]).annotate(**_directory_counts(today))
               .values_list("pk", "open_inspections", "conflicts_in_force"))
    found = {pk: (n_open, n_conflicts) for pk, n_open, n_conflicts in counted}
    for officer in rows:
        officer.open_inspections, officer.conflicts_in_force = found.get(officer.pk, (0, 0))
    return rows


def ineligibility(officer: Officer, today: dt.date) -> str:
    """Why an active officer cannot be drawn at all ("" if they can): auxiliary staff (R05) or no
    certificate valid today (R04). Uses the ``with_current_certificate`` annotations."""
    if officer.is_auxiliary:
        return "执法辅助人员，不得独立执法，不参加抽取"
    facts = registry_services.certificate_facts_of(officer)
    state = registry_rules.certificate_state(facts, today)
    if state == CertificateState.NONE:
        return "未取得行政执法证"
    if state == CertificateState.EXPIRED:
        if today < facts.issued_on:
            return f"执法证自 {facts.issued_on:%Y-%m-%d} 起生效"
        return f"执法证已于 {facts.expires_on:%Y-%m-%d} 过期"
    if state == CertificateState.SUSPENDED:
        return "执法证暂扣中"
    if state == CertificateState.REVOKED:
        return "执法证已注销或吊销"
    return ""


def decorate_directory(officers, actor: access.Actor, today: dt.date) -> list:
    """Certificate state, the reason an officer cannot be drawn, the profile and whether the
    actor may edit it — no query (the directory query carries everything)."""
    rows = list(officers)
    for o in rows:
        facts = registry_services.certificate_facts_of(o)
        o.cert_state = registry_rules.certificate_state(facts, today)
        o.cert_expires = facts.expires_on if facts else None
        o.reason = ineligibility(o, today)
        o.profile = getattr(o, "inspector_profile", None)
        o.available = o.profile is None or o.profile.is_available
        o.can_edit = access.can_manage_body(actor, o.body_id)
    return rows


def visible_conflicts(actor: access.Actor) -> QuerySet[ConflictDeclaration]:
    """Declarations the actor may see: own body's, a supervisor's subtree, all for the administrator."""
    qs = ConflictDeclaration.objects.select_related("officer__body", "entity")
    return access.scope(actor, qs, "officer__body")


def declarable_officers(actor: access.Actor) -> QuerySet[Officer]:
    """Whom the actor may declare a conflict for: themself (an officer who may be drawn), their
    body's officers (its head), anyone (the administrator). Auxiliary staff are never drawn."""
    qs = Officer.objects.filter(status=Officer.Status.ACTIVE, is_auxiliary=False).select_related("body")
    if actor.is_admin:
        return qs
    condition = Q(pk__in=[])
    if actor.officer is not None:
        condition |= Q(pk=actor.officer.pk)
    if actor.body_id is not None and access.can_manage_body(actor, actor.body_id):
        condition |= Q(body_id=actor.body_id)
    return qs.filter(condition)


# --- The lists that the API and the pages share (one filter each) ---------------------------------

def items(*, q: str | None = None, body: int | None = None) -> QuerySet[InspectionItem]:
    """抽查事项清单: the active items, by name or code (``q``) and body, in body and code order."""
    qs = InspectionItem.objects.select_related("body").filter(is_active=True)
    text = (q or "").strip()
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(code__icontains=text))
    if body:
        qs = qs.filter(body_id=body)
    return qs.order_by("body_id", "code", "id")


ENTITY_TAGS = {
    "abnormal": Q(is_abnormal=True),
    "complaints": Q(complaint_count__gt=0),
    "violations": Q(violation_count__gt=0),
}


def entities(*, q: str | None = None, industry: str | None = None, industry_contains: bool = False,
             township: int | None = None, risk: str | None = None, tag: str | None = None) -> QuerySet[Entity]:
    """检查对象名录库 in credit code order: a unified social credit code (18 letters and digits)
    finds its entity, other text a part of the name; ``industry`` exactly, or — the page, where a
    clerk types a word (餐饮 finds 餐饮服务 too) — as a part with ``industry_contains``; township,
    risk grade, tag (``ENTITY_TAGS``)."""
    qs = Entity.objects.all()
    text = (q or "").strip()
    if text:
        qs = qs.filter(credit_code=text.upper()) if len(text) == 18 and text.isalnum() else qs.filter(name__icontains=text)
    industry = (industry or "").strip()
    if industry:
        qs = qs.filter(industry__icontains=industry) if industry_contains else qs.filter(industry=industry)
    if township:
        qs = qs.filter(township_id=township)
    if risk in Entity.Grade.values:
        qs = qs.filter(risk_grade=risk)
    if tag in ENTITY_TAGS:
        qs = qs.filter(ENTITY_TAGS[tag])
    return qs.order_by("credit_code")


def plans(actor: access.Actor, *, year: int | None = None, body: int | None = None) -> QuerySet[Plan]:
    """The plans the actor may see (``visible_plans``) of a year and a body."""
    qs = visible_plans(actor)
    if year:
        qs = qs.filter(year=year)
    if body:
        qs = qs.filter(body_id=body)
    return qs


MINE_STATUSES = ("pending", "recorded", "all")


def my_inspections(actor: access.Actor, status: str = "pending") -> QuerySet[Inspection]:
    """我的检查 (``assigned_inspections``): ``pending`` 待录入, ``recorded`` 已录入 or ``all``."""
    qs = assigned_inspections(actor)
    if status == "pending":
        return qs.filter(outcome="")
    if status == "recorded":
        return qs.exclude(outcome="")
    return qs


def my_inspection_counts(actor: access.Actor) -> dict[str, int]:
    """How many of the actor's inspections are in each of ``MINE_STATUSES``: one query."""
    counts = assigned_inspections(actor).order_by().aggregate(all=Count("pk"), pending=Count("pk", filter=Q(outcome="")))
    counts["recorded"] = counts["all"] - counts["pending"]
    return counts


def filter_directory(qs: QuerySet[Officer], *, q: str | None = None, body=None, available: str | None = None) -> QuerySet[Officer]:
    """The inspector database (``inspector_directory``) by name or staff number, body, and
    availability (``yes``: may be drawn, ``no``: resting)."""
    text = (q or "").strip()
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(staff_no__icontains=text))
    if body:
        qs = qs.filter(body=body)
    if available == "yes":
        qs = qs.exclude(inspector_profile__is_available=False)
    elif available == "no":
        qs = qs.filter(inspector_profile__is_available=False)
    return qs


def directory_totals(everyone: QuerySet[Officer], today: dt.date) -> dict[str, int]:
    """The directory's three totals: in the pool, eligible but resting, never drawn."""
    pool = Q(is_auxiliary=False) & valid_certificate_q(today)
    return everyone.order_by().aggregate(
        pool=Count("pk", filter=pool & ~Q(inspector_profile__is_available=False)),
        resting=Count("pk", filter=pool & Q(inspector_profile__is_available=False)),
        other=Count("pk", filter=~pool),
    )


def conflicts(actor: access.Actor, *, q: str | None = None, body=None, state: str | None = None,
              officer_id: int | None = None, today: dt.date | None = None) -> QuerySet[ConflictDeclaration]:
    """The declarations the actor may see (``visible_conflicts``) by officer or entity name or
    credit code, the officer's body, the state on ``today`` (``in_force``, ``future``, ``ended``)
    and the officer."""
    qs = visible_conflicts(actor)
    text = (q or "").strip()
    if text:
        qs = qs.filter(Q(officer__name__icontains=text) | Q(entity__name__icontains=text) | Q(entity__credit_code=text.upper()))
    if body:
        qs = qs.filter(officer__body=body)
    today = today or clock.today()
    if state == "in_force":
        qs = qs.filter(_in_force_q(today))
    elif state == "future":
        qs = qs.filter(starts_on__gt=today)
    elif state == "ended":
        qs = qs.filter(ends_on__lt=today)
    if officer_id is not None:
        qs = qs.filter(officer_id=officer_id)
    return qs
