"""Double random, one public: the use cases (R26–R30) — the only code that changes this app's
state — and the queries that need the rules (candidates, inspector pool, statistics).

Every write takes ``actor`` (a ``registry.access.Actor``) as a keyword, runs in one transaction,
locks what it changes, checks permissions through ``registry.access`` and writes the draw's
full-process record (``core.ledger``, stream ``draw:<id>``).
"""
from __future__ import annotations

import datetime as dt
import json
import secrets
import zlib
from contextlib import suppress
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable, NamedTuple

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Case, Count, Func, Max, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from zhifa.core import clock, ledger
from zhifa.core.violations import Refused, Violation
from zhifa.core.workdays import add_working_days
from zhifa.registry import access
from zhifa.registry import services as registry_services
from zhifa.registry import rules as registry_rules
from zhifa.registry.models import Body, Certificate, Jurisdiction, Officer
from zhifa.registry.rules import CertificateState

from . import bulk, rules
from .models import (
    ConflictDeclaration,
    Draw,
    Entity,
    Exclusion,
    FrozenList,
    Inspection,
    InspectionItem,
    InspectorProfile,
    Plan,
    RegisterSnapshot,
    RegisterVersion,
    Task,
    entity_ids_at,
    without_lines,
)


def setting(name: str, default):
    return getattr(settings, "ZHIFA", {}).get(name, default)


def publish_working_days() -> int:
    """Results are published within this many working days of the check (legal-rules §D,
    *unconfirmed nationally*, configurable: ``ZHIFA["INSPECTION_PUBLISH_WORKING_DAYS"]``)."""
    return int(setting("INSPECTION_PUBLISH_WORKING_DAYS", 20))


def _user(actor: access.Actor):
    user = getattr(actor, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def _require_manage(actor: access.Actor, body: Body | int) -> None:
    if not access.can_manage_body(actor, body):
        raise PermissionDenied("仅该执法主体负责人或系统管理员可以编制抽查计划、组织抽取和公示结果。")


def visible_plans(actor: access.Actor) -> QuerySet[Plan]:
    """Plans the actor may see as staff: own body's, joint tasks' partners', supervised subtree's."""
    qs = Plan.objects.select_related("body")
    condition = access.body_filter(actor, "body")
    if condition is None:
        return qs
    if actor.body_id is not None:
        condition |= Q(tasks__partners=actor.body_id)
    return qs.filter(condition).distinct()


def visible_tasks(actor: access.Actor) -> QuerySet[Task]:
    qs = Task.objects.select_related("plan", "plan__body")
    condition = access.body_filter(actor, "plan__body")
    if condition is None:
        return qs
    if actor.body_id is not None:
        condition |= Q(partners=actor.body_id)
    return qs.filter(condition).distinct()


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


# --- Plans and tasks (R27, R29) -------------------------------------------------------------

def _too_long(model, limits: dict[str, int] | None = None, **values: str) -> list[Violation]:
    """A violation for each text longer than its column (checked before the database refuses it),
    or than a stricter limit of ``limits``."""
    found = []
    for name, value in values.items():
        field = model._meta.get_field(name)
        limit = (limits or {}).get(name, field.max_length)
        if limit and len(value) > limit:
            found.append(Violation("TOO_LONG", f"{field.verbose_name}不超过 {limit} 个字（现有 {len(value)} 个字）"))
    return found


@transaction.atomic
def create_plan(*, body_id: int, year: int, title: str, note: str = "", actor: access.Actor) -> Plan:
    body = Body.objects.filter(pk=body_id).first()
    if body is None:
        raise Http404
    _require_manage(actor, body)
    found = []
    if not title.strip():
        found.append(Violation("TITLE_REQUIRED", "请填写计划名称"))
    found += _too_long(Plan, title=title.strip())
    if not 2000 <= year <= 2100:
        found.append(Violation(rules.PERIOD_INVALID, f"年度「{year}」无效"))
    if found:
        raise Refused(found)
    return Plan.objects.create(body=body, year=year, title=title.strip(), note=note, created_at=clock.now())


@dataclass
class TaskInput:
    """What a plan editor submits for a task."""

    title: str
    starts_on: dt.date
    ends_on: dt.date
    kind: str = Task.Kind.RANDOM
    item_ids: list[int] = field(default_factory=list)
    partner_ids: list[int] = field(default_factory=list)
    scope_industry: str = ""
    scope_jurisdiction_id: int | None = None
    scope_risk_grades: str = ""
    scope_tag: str = ""
    ratio_percent: Decimal | None = None
    sample_count: int | None = None
    inspectors_per_entity: int = 2
    flagged_weight: int = 1
    max_per_year: int | None = None
    min_gap_days: int | None = None


def task_violations(plan: Plan, data: TaskInput, items: list[InspectionItem], partners: list[Body]) -> list[Violation]:
    """Every reason the task cannot be planned as submitted (all at once)."""
    found: list[Violation] = []
    if not data.title.strip():
        found.append(Violation("TITLE_REQUIRED", "请填写任务名称"))
    if data.ends_on < data.starts_on:
        found.append(Violation(rules.PERIOD_INVALID, "结束日期早于开始日期"))
    if data.starts_on.year != plan.year or data.ends_on.year != plan.year:
        found.append(Violation(rules.PERIOD_INVALID, f"任务期间应在计划年度 {plan.year} 年内"))
    if data.kind not in Task.Kind.values:
        found.append(Violation("KIND_INVALID", f"任务类型「{data.kind}」无效"))
    if data.sample_count is None and data.ratio_percent is None:
        found.append(Violation(rules.SAMPLE_IMPOSSIBLE, "请填写抽查比例或抽取户数"))
    found += _too_long(Task, {"scope_risk_grades": len(Entity.Grade.values)},  # each grade at most once
                       title=data.title.strip(), scope_industry=data.scope_industry, scope_risk_grades=data.scope_risk_grades)
    if data.ratio_percent is not None and not (Decimal(data.ratio_percent).is_finite() and Decimal(0) < Decimal(data.ratio_percent) <= Decimal(100)):
        found.append(Violation(rules.SAMPLE_IMPOSSIBLE, f"抽查比例 {data.ratio_percent}% 无效：应大于 0 且不超过 100", rules.BASIS_DOUBLE_RANDOM))
    if data.sample_count is not None and data.sample_count < 1:
        found.append(Violation(rules.SAMPLE_IMPOSSIBLE, "抽取户数至少为 1"))
    if data.inspectors_per_entity < 2:  # legal-rules §D: at least two inspectors per entity (configurable ≥ 2)
        found.append(Violation(rules.TWO_INSPECTORS_REQUIRED, "每户检查对象至少选派 2 名执法检查人员", rules.BASIS_DOUBLE_RANDOM))
    if data.inspectors_per_entity > 10:
        found.append(Violation(rules.SAMPLE_IMPOSSIBLE, "每户检查人员不超过 10 名"))
    if not 1 <= data.flagged_weight <= 10:
        found.append(Violation("WEIGHT_INVALID", "异常/投诉对象权重应为 1–10 的整数"))
    if not items:
        found.append(Violation("ITEMS_REQUIRED", "请至少选择一项抽查事项（无检查依据不得检查）", rules.BASIS_DOUBLE_RANDOM))
    allowed = {plan.body_id, *(p.pk for p in partners)}
    for item in items:
        if item.body_id not in allowed:
            found.append(Violation("ITEM_OUTSIDE_BODIES", f"抽查事项「{item.name}」不属于本计划主体或联合抽查部门"))
    if plan.body_id in {p.pk for p in partners}:
        found.append(Violation("PARTNER_INVALID", "联合抽查部门不能是计划主体本身"))
    grades = set(data.scope_risk_grades)
    if grades - set(Entity.Grade.values):
        found.append(Violation("SCOPE_INVALID", "风险等级范围只能由 A、B、C、D 组成"))
    if data.scope_tag and data.scope_tag not in Task.Tag.values:
        found.append(Violation("SCOPE_INVALID", f"标签范围「{data.scope_tag}」无效"))
    return found


@transaction.atomic
def create_task(*, plan_id: int, data: TaskInput, actor: access.Actor) -> Task:
    plan = Plan.objects.select_for_update().select_related("body").filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    _require_manage(actor, plan.body)
    items = list(InspectionItem.objects.filter(pk__in=data.item_ids, is_active=True))
    partners = list(Body.objects.filter(pk__in=data.partner_ids, is_active=True))
    violations = task_violations(plan, data, items, partners)
    if len(items) != len(set(data.item_ids)):
        violations.append(Violation("ITEMS_REQUIRED", "所选抽查事项不存在或已停用"))
    if len(partners) != len(set(data.partner_ids)):
        violations.append(Violation("PARTNER_INVALID", "所选联合抽查部门不存在或已停用"))
    if data.scope_jurisdiction_id and not Jurisdiction.objects.filter(pk=data.scope_jurisdiction_id).exists():
        violations.append(Violation("SCOPE_INVALID", "区域范围不存在"))
    if violations:
        raise Refused(violations)
    task = Task.objects.create(
        plan=plan, title=data.title.strip(), kind=data.kind, scope_industry=data.scope_industry.strip(),
        scope_jurisdiction_id=data.scope_jurisdiction_id, scope_risk_grades="".join(sorted(set(data.scope_risk_grades))),
        scope_tag=data.scope_tag, ratio_percent=data.ratio_percent, sample_count=data.sample_count,
        inspectors_per_entity=data.inspectors_per_entity, flagged_weight=data.flagged_weight,
        max_per_year=data.max_per_year if data.max_per_year is not None else setting("INSPECTION_MAX_PER_YEAR", 2),
        min_gap_days=data.min_gap_days if data.min_gap_days is not None else setting("INSPECTION_MIN_GAP_DAYS", 90),
        starts_on=data.starts_on, ends_on=data.ends_on, created_at=clock.now(),
    )
    task.items.set(items)
    task.partners.set(partners)
    return task


# --- Inspector database (执法检查人员名录库) ---------------------------------------------------

def inspector_pool(body_ids: Iterable[int], today: dt.date) -> list[Officer]:
    """Officers who may be drawn (执法检查人员名录库), by id (``inspector_pool_ids``)."""
    return list(Officer.objects.filter(pk__in=inspector_pool_ids(body_ids, today)).order_by("id"))


def inspector_pool_ids(body_ids: Iterable[int], today: dt.date) -> list[int]:
    """Ids of the officers who may be drawn: active, not auxiliary, latest certificate valid today
    (R04, R05 — ``registry.rules.certificate_state``), available in the inspector database. One
    query over certificates, ordered so the latest comes first per officer."""
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
        if registry_rules.certificate_state(facts, today) == CertificateState.VALID:
            valid.append(officer_id)
    return valid


@transaction.atomic
def declare_conflict(*, officer_id: int, entity_id: int, relation: str, starts_on: dt.date,
                     ends_on: dt.date | None = None, actor: access.Actor) -> ConflictDeclaration:
    """利益冲突申报: the officer themself, their head or the administrator declares it."""
    officer = Officer.objects.filter(pk=officer_id).first()
    entity = Entity.objects.filter(pk=entity_id).first()
    if officer is None or entity is None:
        raise Http404
    if not (actor.is_admin or (actor.officer is not None and actor.officer.pk == officer.pk) or access.can_manage_body(actor, officer.body_id)):
        raise PermissionDenied("仅本人、所在主体负责人或系统管理员可以申报利益冲突。")
    found = []
    if officer.is_auxiliary or officer.status != Officer.Status.ACTIVE:
        found.append(Violation(NOT_INSPECTOR, f"{officer.name}不是在岗的执法人员（执法辅助人员不参加抽取），无需申报"))
    if not relation.strip():
        found.append(Violation("RELATION_REQUIRED", "请填写利害关系"))
    if ends_on is not None and ends_on < starts_on:
        found.append(Violation(rules.PERIOD_INVALID, "结束日期早于开始日期"))
    overlapping = ConflictDeclaration.objects.filter(officer=officer, entity=entity).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=ends_on)
    if overlapping.exists():
        found.append(Violation(CONFLICT_EXISTS, f"{officer.name}与「{entity.name}」在该期间已有利益冲突申报"))
    if found:
        raise Refused(found)
    return ConflictDeclaration.objects.create(
        officer=officer, entity=entity, relation=relation.strip()[:100], starts_on=starts_on, ends_on=ends_on,
        declared_on=clock.today(),
    )


@transaction.atomic
def set_inspector_profile(*, officer_id: int, expertise: str, is_available: bool, note: str = "", actor: access.Actor) -> InspectorProfile:
    officer = Officer.objects.filter(pk=officer_id).first()
    if officer is None:
        raise Http404
    _require_manage(actor, officer.body_id)
    profile, _ = InspectorProfile.objects.update_or_create(
        officer=officer, defaults={"expertise": expertise.strip()[:200], "is_available": is_available, "note": note[:200]},
    )
    return profile


# --- Candidates and the frozen list ---------------------------------------------------------

def candidate_queryset(task: Task) -> QuerySet[Entity]:
    """Entities in the task's scope (行业, 区域 with its subtree, 风险等级, 标签)."""
    qs = Entity.objects.all()
    if task.scope_industry:
        qs = qs.filter(industry=task.scope_industry)
    if task.scope_jurisdiction_id:
        qs = qs.filter(township__path__startswith=task.scope_jurisdiction.path)
    if task.scope_risk_grades:
        qs = qs.filter(risk_grade__in=list(task.scope_risk_grades))
    if task.scope_tag == Task.Tag.ABNORMAL:
        qs = qs.filter(is_abnormal=True)
    elif task.scope_tag == Task.Tag.COMPLAINTS:
        qs = qs.filter(complaint_count__gt=0)
    elif task.scope_tag == Task.Tag.VIOLATIONS:
        qs = qs.filter(violation_count__gt=0)
    return qs


def _inspection_history(candidates: QuerySet[Entity] | None, today: dt.date, limits: rules.FrequencyLimits) -> list[tuple[int, int, dt.date]]:
    """``(entity id, inspections this year, date of the last one)`` across every body, for the
    entities of ``candidates`` (``None``: all) inspected recently. One aggregate query over the
    inspections alone (the entity table, half a million rows, is not joined)."""
    year_start = dt.date(today.year, 1, 1)
    since = min(year_start, today - dt.timedelta(days=limits.min_gap_days))
    day = Coalesce("inspected_on", "planned_on")
    inspections = Inspection.objects.all() if candidates is None else Inspection.objects.filter(entity__in=candidates.values("pk"))
    rows = (
        inspections
        .annotate(day=day).filter(day__gte=since)
        .values("entity_id")
        .annotate(n=Count("id", filter=Q(day__gte=year_start, day__lte=today)), last=Max("day"))
        .values_list("entity_id", "n", "last")
    )
    return [(pk, n, dt.date.fromisoformat(last) if isinstance(last, str) else last) for pk, n, last in rows]


@dataclass
class Frozen:
    """The frozen list (its published bytes) and what the database needs besides it."""

    document: bytes
    candidate_count: int
    inspector_count: int
    sample: int
    per_entity: int
    exclusions: list[tuple[int, str, str]]  # entity id, reason code, reason
    candidate_ids: bytes  # the candidates' entity ids in list order, 8 bytes each (not published)
    snapshot: SnapshotReference | None = None  # the candidates were taken from a register snapshot


class SnapshotReference(NamedTuple):
    """A frozen list taken from a register snapshot, as it is stored (``FrozenList``): the
    snapshot's id, the positions left out of it, the weight, and the list without its candidates."""

    pk: int
    gone: list[int]
    weight: int
    outline: bytes


@dataclass
class _Scan:
    """One pass over the entities in scope, in credit code order: the candidates section
    (``rules.candidate_block``), its line count, the candidates' entity ids in the same order
    (``FrozenList.candidate_ids``) and the credit codes of the ``named`` entities."""

    block: bytes
    count: int
    ids: bytes
    codes: dict[int, str]
    gone: list[int] | None = None  # taken from a register snapshot: the positions left out of it


def _scan(qs: QuerySet[Entity], weight: int, excluded: set[int], named: set[int], scoped: bool,
          parallel: bool = False) -> _Scan:
    """The candidates (the entities of ``qs`` less ``excluded``) and the codes of ``named`` (the
    excluded and recused entities, named by code in the frozen list) in one pass. On PostgreSQL
    the database writes the section and the ids (``string_agg`` in the unique index's order —
    byte order, the column's ``"C"`` collation) and sends them in binary format: no Python object
    per candidate; the two sets are hashed array parameters. With ``parallel`` (the transaction
    has written nothing yet) a large unscoped register is read in two halves at once, the upper
    one on a twin connection with this transaction's snapshot: half the time on two cores."""
    if weight > 1:
        qs = qs.annotate(w=Case(When(Q(is_abnormal=True) | Q(complaint_count__gt=0), then=Value(weight)), default=Value(1)))
    else:
        qs = qs.annotate(w=Value(1))
    rows = qs.order_by("credit_code").values_list("credit_code", "w", "pk")
    if not bulk.is_postgres():
        rows = list(rows.iterator(chunk_size=20000))
        kept = [(code, w, pk) for code, w, pk in rows if pk not in excluded]
        return _Scan(rules.candidate_block(rules.Candidate(code, w) for code, w, _ in kept), len(kept),
                     b"".join(pk.to_bytes(8, "big") for _, _, pk in kept), {pk: code for code, _, pk in rows if pk in named})
    # The whole register is read in index order; a scope may keep few rows: the planner chooses.
    session = ["SET LOCAL max_parallel_workers_per_gather = 0", f"SET LOCAL enable_sort = {'on' if scoped else 'off'}"]
    with connection.cursor() as cursor:
        for statement in session:
            cursor.execute(statement)
    # the two sets as texts: psycopg would adapt a list of 150,000 numbers one by one in Python
    sets = [",".join(map(str, excluded)), ",".join(map(str, named))]
    middle = _middle_code() if parallel and not scoped else None
    parts = None
    if middle is not None:
        parts = bulk.fetch_binary_pair(_scan_statement(rows.filter(credit_code__lt=middle), weight, sets),
                                       _scan_statement(rows.filter(credit_code__gte=middle), weight, sets),
                                       settings=[*DRAW_SETTINGS, *session])
    if parts is None:
        parts = [bulk.fetch_binary(*_scan_statement(rows, weight, sets))]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = on")
    names = ";".join(part[3] for part in parts if part[3])
    codes = {int(pk): code for pk, code in (pair.split(",") for pair in names.split(";"))} if names else {}
    return _Scan("".join(part[1] or "" for part in parts).encode(), sum(part[0] for part in parts),
                 b"".join(part[2] or b"" for part in parts), codes)


def _scan_statement(rows: QuerySet, weight: int, sets: list[str]) -> tuple[str, list]:
    """The one-row statement of ``_scan`` over ``rows`` (code, weight, id in code order): the count,
    the candidates section, their ids, and ``id,code`` of the named, aggregated straight from the
    ordered rows when the plan guarantees their order (``_fed_in_code_order``)."""
    sql, params = rows.query.sql_with_params()

    def statement(order: str) -> str:  # concatenated, not formatted: the ORM's SQL may hold braces
        # One concatenation per line: its ending is one of two constants.
        return (
            "SELECT count(*) FILTER (WHERE NOT s.ex), "
            "string_agg(s.code || CASE WHEN s.w = 1 THEN E',1\\n' ELSE %s END, ''" + order + ") FILTER (WHERE NOT s.ex), "
            "string_agg(int8send(s.id), ''::bytea" + order + ") FILTER (WHERE NOT s.ex), "
            "string_agg(s.id || ',' || s.code, ';') FILTER (WHERE s.named) "
            "FROM (SELECT q.*, q.id = ANY(string_to_array(%s, ',')::bigint[]) AS ex, q.id = ANY(string_to_array(%s, ',')::bigint[]) AS named "
            "FROM (" + sql + ") AS q (code, w, id)) AS s"
        )

    params = [f",{weight}\n", *sets, *params]
    return statement("" if _fed_in_code_order(statement(""), params) else " ORDER BY s.code"), params


def _middle_code() -> str | None:
    """The middle credit code of the register by the planner's statistics (the histogram of
    ``pg_stats``), where the register is large enough to be worth two connections
    (``ZHIFA["DRAW_PARALLEL_MIN_ENTITIES"]``); ``None`` otherwise or without statistics."""
    (rows, bounds) = bulk.fetch_binary(
        "SELECT c.reltuples, s.histogram_bounds::text::text[] FROM pg_class c LEFT JOIN pg_stats s "
        "ON s.schemaname = current_schema() AND s.tablename = c.relname AND s.attname = 'credit_code' "
        "WHERE c.oid = %s::regclass", [Entity._meta.db_table])
    if not bounds or rows < settings.ZHIFA["DRAW_PARALLEL_MIN_ENTITIES"]:
        return None
    return bounds[len(bounds) // 2]


_ORDER_KEEPING = {"Subquery Scan", "Result"}


def _fed_in_code_order(sql: str, params: list) -> bool:
    """Whether the plan of ``sql`` feeds its aggregate straight from a forward scan of the credit
    code index, or from a sort by credit code, through nodes that keep order only. PostgreSQL
    documents that an aggregate fed by a sorted subquery with no further processing (no join)
    gets its input in that order; the plan shows that this is the case here. Otherwise the
    aggregates sort their input themselves (``ORDER BY`` in the call: always right, slower).
    One planning pass, no execution: cheaper than checking five million lines afterwards."""
    (plan,) = bulk.fetch_binary(f"EXPLAIN (FORMAT JSON) {sql}", params)
    node = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
    if node.get("Node Type") != "Aggregate" or node.get("Strategy") != "Plain":
        return False
    node = node["Plans"][0]
    while node.get("Node Type") in _ORDER_KEEPING and len(node.get("Plans", ())) == 1:
        node = node["Plans"][0]
    if node.get("Node Type") == "Sort":
        return [key.replace(" COLLATE \"C\"", "").rsplit(".", 1)[-1] for key in node.get("Sort Key", [])][:1] == ["credit_code"]
    return (node.get("Node Type") in ("Index Scan", "Index Only Scan") and node.get("Scan Direction") == "Forward"
            and node.get("Index Name") == "inspections_entity_credit_code_unique")


def _recusal_pairs(qs: QuerySet[Entity], scoped: bool, pool_ids: set[int], today: dt.date) -> set[tuple[int, int]]:
    """Recusal pairs (回避) ``(entity id, officer id)``: conflicts declared and in force today, and
    the inspectors of each entity's previous inspection (never the same inspector on the same
    entity two draws running).

    The pool filter is applied here in Python, not as an ``= ANY(pool)`` condition: with a table
    just filled by a draw (statistics not yet refreshed) the planner would put that array on the
    inner side of a nested loop, one index probe per officer per row — seconds become minutes."""
    scope = qs.values("pk")
    conflicts = ConflictDeclaration.objects.filter(entity__in=scope, starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)).values_list("entity_id", "officer_id")
    pairs = {(entity, officer) for entity, officer in conflicts if officer in pool_ids}
    if bulk.is_postgres():  # the latest inspection of each entity in one sorted pass (DISTINCT ON)
        where, params = "", []
        if scoped:
            sql, params = scope.query.sql_with_params()
            where = f"WHERE entity_id IN ({sql})"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT last.entity_id, o.officer::bigint FROM (SELECT DISTINCT ON (entity_id) entity_id, inspector_ids "
                f'FROM "{Inspection._meta.db_table}" {where} ORDER BY entity_id, planned_on DESC, id DESC) AS last, '
                "jsonb_array_elements_text(last.inspector_ids) AS o (officer)",
                params,
            )
            previous = cursor.fetchall()
    else:
        latest = Inspection.objects.filter(entity_id=OuterRef("entity_id")).order_by("-planned_on", "-id").values("pk")[:1]
        previous = [(entity, officer) for entity, officers in
                    Inspection.objects.filter(entity__in=scope, pk=Subquery(latest)).values_list("entity_id", "inspector_ids")
                    for officer in officers]
    pairs.update((entity, officer) for entity, officer in previous if officer in pool_ids)
    return pairs


# --- The register snapshot (名录快照) --------------------------------------------------------------

@dataclass
class Snapshot:
    """The whole register in credit code order (``RegisterSnapshot`` ``pk``): its candidates
    section at weight ``RegisterSnapshot.WEIGHT`` and the entity ids in the same order."""

    pk: int
    count: int
    block: bytes
    ids: bytes


def register_version() -> int:
    """The register's version as this transaction sees it (``RegisterVersion``)."""
    return RegisterVersion.objects.filter(pk=1).values_list("n", flat=True).first() or 0  # no row before the first write


def register_snapshot(parallel: bool = False) -> Snapshot | None:
    """The whole register as this transaction sees it, for a draw of every entity: the stored
    snapshot of the current register version, or — the register changed since — the register read
    now (``_scan``, on two connections with ``parallel``) and stored for the next draws. ``None``
    off PostgreSQL (no version trigger) and for a register whose credit codes are not all 18
    characters long: the draw then reads the register itself.

    The version is read before the register: a snapshot is never labelled newer than what it
    holds, so a write committed in between only makes it useless, never wrong."""
    if not bulk.is_postgres():
        return None
    version = register_version()
    pk = RegisterSnapshot.objects.filter(version=version).order_by("-pk").values_list("pk", flat=True).first()
    if pk is not None:
        with suppress(LookupError):  # removed since by a draw on a newer register (only unreferenced ones are): read it ourselves
            return Snapshot(pk, *RegisterSnapshot.data(pk))
    scan = _scan(Entity.objects.all(), RegisterSnapshot.WEIGHT, set(), set(), scoped=False, parallel=parallel)
    if len(scan.block) != RegisterSnapshot.LINE * scan.count:
        return None
    table = RegisterSnapshot._meta.db_table
    (pk,) = bulk.fetch_binary(f'INSERT INTO "{table}" (version, count, block, ids, created_at) VALUES (%s, %s, %b, %b, %s) RETURNING id',
                              [version, scan.count, scan.block, scan.ids, clock.now()])
    with connection.cursor() as cursor:  # only the newest is ever taken; older ones stay while a frozen list needs them
        cursor.execute(f'DELETE FROM "{table}" s WHERE s.id < %s AND NOT EXISTS '
                       f'(SELECT 1 FROM "{FrozenList._meta.db_table}" f WHERE f.snapshot_id = s.id)', [pk])
    RegisterSnapshot.remember(pk, (scan.count, scan.block, scan.ids))
    return Snapshot(pk, scan.count, scan.block, scan.ids)


def refresh_register_snapshot() -> str:
    """Daily (``zhifa sweep``, ``ZHIFA["SWEEP_TASKS"]``): store the snapshot of the register as it
    now is if it changed since the last one (an import, an edit), so that the next draw of the whole
    register need not read it. The line the sweep prints; nothing off PostgreSQL."""
    with transaction.atomic():
        before = RegisterSnapshot.objects.order_by("-pk").values_list("pk", flat=True).first()
        snapshot = register_snapshot(bulk.snapshot_shareable())
    if snapshot is None:
        return ""
    state = "无变化" if snapshot.pk == before else "已更新"
    return f"检查对象名录快照：{state}（版本 {register_version()}，{snapshot.count} 户）。"


def _candidates_from(snapshot: Snapshot, weight: int, excluded: set[int], named: set[int]) -> _Scan:
    """What ``_scan`` reads from the register, taken from its snapshot: the lines and ids of every
    entity but the ``excluded`` (their positions: ``_Scan.gone``), with the task's weight, and the
    codes of the ``named``. Array operations over the ids and lines (numpy): byte for byte the
    section ``_scan`` builds."""
    table = np.frombuffer(snapshot.ids, dtype=">i8")
    at = np.flatnonzero(np.isin(table, np.fromiter(named, dtype=np.int64, count=len(named))))
    line = RegisterSnapshot.LINE
    found = list(zip(at.tolist(), table[at].tolist()))
    codes = {pk: snapshot.block[line * p:line * p + 18].decode() for p, pk in found}
    gone = [p for p, pk in found if pk in excluded]
    block, ids = without_lines(snapshot.count, snapshot.block, snapshot.ids, gone, weight)
    return _Scan(block, snapshot.count - len(gone), ids, codes, gone)


# Sorts of half a million codes in memory, not on disk. No JIT: compiling costs 0.1–0.3 s, more
# than these one-pass queries can gain, and the planner decides on estimates that a table a draw
# has just filled makes wrong.
DRAW_SETTINGS = ("SET LOCAL work_mem = '128MB'", "SET LOCAL jit = off")


def freeze(task: Task, today: dt.date, parallel: bool = False) -> Frozen:
    """Build the frozen list of a task (candidates after frequency control, inspector pool,
    recusals) as the published bytes. Reads only. ``parallel``: the transaction has written
    nothing yet, so the register may be read on two connections (``_scan``)."""
    limits = rules.FrequencyLimits(task.max_per_year, task.min_gap_days)
    qs = candidate_queryset(task)
    scoped = bool(task.scope_industry or task.scope_jurisdiction_id or task.scope_risk_grades or task.scope_tag)
    if bulk.is_postgres():
        with connection.cursor() as cursor:
            for statement in DRAW_SETTINGS:
                cursor.execute(statement)
    exclusions: list[tuple[int, str, str]] = []
    for pk, count, last in sorted(_inspection_history(qs if scoped else None, today, limits)):
        reason = rules.frequency_exclusion(count, (today - last).days if last else None, limits)
        if reason is not None:
            exclusions.append((pk, reason[0], reason[1]))
    excluded = {pk for pk, _, _ in exclusions}
    bodies = [task.plan.body_id, *task.partners.values_list("pk", flat=True)]
    pool_ids = set(inspector_pool_ids(bodies, today))
    pairs = _recusal_pairs(qs, scoped, pool_ids, today)
    named = excluded | {entity for entity, _ in pairs}
    snapshot = None if scoped else register_snapshot(parallel)
    if snapshot is not None:
        scan = _candidates_from(snapshot, task.flagged_weight, excluded, named)
    else:
        scan = _scan(qs, task.flagged_weight, excluded, named, scoped, parallel)
    # an entity gone from the register since it was inspected is neither excluded nor recused
    exclusions = [row for row in exclusions if row[0] in scan.codes]
    sample = rules.sample_size(scan.count, ratio_percent=task.ratio_percent, count=task.sample_count)
    outline = rules.frozen_document_bytes(  # all but the candidates section, which goes in at ``cut``
        task=str(task.pk), sample=sample, per_entity=task.inspectors_per_entity, candidate_count=scan.count,
        candidates=b"", inspectors=[str(pk) for pk in pool_ids],
        recusals=[(scan.codes[entity], str(officer)) for entity, officer in pairs if entity in scan.codes and entity not in excluded],
        excluded=[(scan.codes[pk], reason_code) for pk, reason_code, _ in exclusions],
    )
    cut = rules.candidates_offset(outline)
    reference = None if snapshot is None else SnapshotReference(snapshot.pk, scan.gone, task.flagged_weight, outline)
    return Frozen(outline[:cut] + scan.block + outline[cut:], scan.count, len(pool_ids), sample, task.inspectors_per_entity,
                  exclusions, scan.ids, reference)


# --- The draw (R28) ---------------------------------------------------------------------------

def _stream(draw: Draw) -> str:
    return f"draw:{draw.pk}"


def _store_frozen_list(draw: Draw, frozen: Frozen) -> None:
    """Keep the frozen list's exact bytes and its candidates' entity ids (``FrozenList``). A list
    taken from a register snapshot keeps a reference to it instead of its candidates: the snapshot,
    the positions left out and the weight (``FrozenList.read_both`` puts the bytes back together) —
    a few kilobytes instead of fifteen megabytes per draw. Otherwise the bytes as they are, in
    binary format, on PostgreSQL (the columns are lz4-compressed there); zlib-compressed elsewhere."""
    table = FrozenList._meta.db_table
    if frozen.snapshot is not None:
        ref = frozen.snapshot
        bulk.execute_binary(f'INSERT INTO "{table}" (draw_id, document, candidate_ids, snapshot_id, gone, weight) VALUES (%s, %b, %b, %s, %b, %s)',
                            [draw.pk, ref.outline, b"", ref.pk, b"".join(p.to_bytes(4, "big") for p in ref.gone), ref.weight])
    elif bulk.is_postgres():
        bulk.execute_binary(f'INSERT INTO "{table}" (draw_id, document, candidate_ids) VALUES (%s, %b, %b)',
                            [draw.pk, frozen.document, frozen.candidate_ids])
    else:
        FrozenList.objects.create(draw=draw, document=zlib.compress(frozen.document, 1), candidate_ids=zlib.compress(frozen.candidate_ids, 1))


def _write_exclusions(draw: Draw, exclusions: list[tuple[int, str, str]]) -> None:
    """Write the frequency exclusions (entity id, reason code, reason). On PostgreSQL one statement:
    the ids and the index of each one's reason as two texts, the few distinct reasons as arrays —
    nothing formatted per row in Python."""
    if not bulk.is_postgres():
        bulk.insert_rows(Exclusion, ["draw_id", "entity_id", "reason_code", "reason"],
                         ((draw.pk, pk, code, reason) for pk, code, reason in exclusions))
        return
    reasons = list(dict.fromkeys((code, reason) for _, code, reason in exclusions))
    index = {pair: n for n, pair in enumerate(reasons, 1)}
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{Exclusion._meta.db_table}" (draw_id, entity_id, reason_code, reason) '
            "SELECT %s, d.entity_id, r.codes[d.k], r.texts[d.k] "
            "FROM unnest(string_to_array(%s, ',')::bigint[], string_to_array(%s, ',')::int[]) AS d (entity_id, k), "
            "(SELECT %s::text[] AS codes, %s::text[] AS texts) AS r",
            [draw.pk, ",".join(str(pk) for pk, _, _ in exclusions), ",".join(str(index[code, reason]) for _, code, reason in exclusions),
             [code for code, _ in reasons], [reason for _, reason in reasons]],
        )


@bulk.gc_paused()
@transaction.atomic
def commit_draw(*, task_id: int, scheduled_at: dt.datetime | None = None, actor: access.Actor) -> Draw:
    """Freeze the candidate list, publish its digest, a commitment to a secret seed and the time
    of the draw (公布承诺). A task is drawn once: a second commitment is refused."""
    # before the task is locked: a transaction that has written nothing may read on two connections
    parallel = bulk.snapshot_shareable()
    task = Task.objects.select_for_update().select_related("plan").filter(pk=task_id).first()
    if task is None:
        raise Http404
    _require_manage(actor, task.plan.body_id)
    if Draw.objects.filter(task=task).exists():
        raise Refused([Violation(rules.DRAW_EXISTS, "该任务已组织过抽取，不得重复抽取", rules.BASIS_DOUBLE_RANDOM)])
    now = clock.now()
    today = now.date()
    frozen = freeze(task, today, parallel)
    found = rules.sample_violations(frozen.candidate_count, frozen.sample)
    if frozen.per_entity < 2:
        found.append(Violation(rules.TWO_INSPECTORS_REQUIRED, "每户检查对象至少选派 2 名执法检查人员", rules.BASIS_DOUBLE_RANDOM))
    elif frozen.inspector_count < frozen.per_entity:
        found.append(Violation(rules.INSPECTORS_INSUFFICIENT, f"执法检查人员名录中持有效执法证、可参加抽取的人员只有 {frozen.inspector_count} 名，少于每户 {frozen.per_entity} 名", rules.BASIS_DOUBLE_RANDOM))
    if found:
        raise Refused(found)
    secret = secrets.token_hex(32)
    draw = Draw.objects.create(
        task=task, algorithm=rules.ALGORITHM, committed_at=now, scheduled_at=scheduled_at or now,
        document_digest=rules.sha256_hex(frozen.document),
        candidate_count=frozen.candidate_count, excluded_count=len(frozen.exclusions), inspector_count=frozen.inspector_count,
        sample=frozen.sample, commitment=rules.commitment_of(secret), secret=secret,
    )
    _store_frozen_list(draw, frozen)
    _write_exclusions(draw, frozen.exclusions)
    ledger.append(_stream(draw), "commit", {
        "task": task.pk, "algorithm": rules.ALGORITHM, "document_digest": draw.document_digest,
        "commitment": draw.commitment, "scheduled_at": draw.scheduled_at.isoformat(),
        "candidates": draw.candidate_count, "excluded": draw.excluded_count, "inspectors": draw.inspector_count,
        "sample": draw.sample,
    }, actor=_user(actor))
    return draw


@bulk.gc_paused()
def reveal_draw(*, draw_id: int, witness: str, witness_name: str = "", actor: access.Actor) -> Draw:
    """Run the draw: mix the secret with the witness value, select entities and inspectors, write
    the inspections and reveal the seed (公开种子). Once revealed a draw can never be redone.

    A draw the seed makes impossible (an entity drawn for which too few inspectors remain after
    recusal) is refused — and the refusal is recorded with the witness value and the seed, and the
    draw frozen: otherwise an operator could retry with other witness values until a result
    pleased them. The body plans a new task instead."""
    refused: list[Violation] = []
    with transaction.atomic():
        draw = Draw.objects.select_for_update().select_related("task", "task__plan").filter(pk=draw_id).first()
        if draw is None:
            raise Http404
        _require_manage(actor, draw.task.plan.body_id)
        found = []
        if draw.is_revealed:
            found.append(Violation(rules.DRAW_ALREADY_REVEALED, "该抽取已完成并公开种子，不得重新抽取", rules.BASIS_DOUBLE_RANDOM))
        elif draw.is_refused:
            found.append(Violation(rules.DRAW_ALREADY_REVEALED, "该抽取已因无法完成而被拒绝并公开种子，不得以其他见证值重新抽取；请另行编制抽查任务", rules.BASIS_DOUBLE_RANDOM))
        witness = (witness or "").strip()
        if not witness:
            found.append(Violation(rules.WITNESS_REQUIRED, "请由见证人现场输入见证值（任意数字或文字）"))
        elif len(witness) > 100 or "\n" in witness or "\x00" in witness:
            found.append(Violation(rules.WITNESS_REQUIRED, "见证值不超过 100 个字符，且不得换行"))
        now = clock.now()
        if now < draw.scheduled_at:
            found.append(Violation(rules.DRAW_TOO_EARLY, f"未到公布的抽取时间（{draw.scheduled_at.astimezone(clock.SHANGHAI):%Y-%m-%d %H:%M}）"))
        if found:
            raise Refused(found)
        document, ids = FrozenList.read_both(draw.pk)
        if rules.sha256_hex(document) != draw.document_digest:  # the stored list (or its snapshot) altered since the commitment
            raise Refused([Violation(rules.FROZEN_LIST_ALTERED, "冻结名单与公布承诺时的摘要不符，不得抽取；请核查数据库是否被改动",
                                     rules.BASIS_DOUBLE_RANDOM)])
        seed = rules.final_seed(draw.document_digest, draw.secret, witness)
        result = rules.draw_document(document, seed)
        draw.witness, draw.witness_name, draw.seed, draw.revealed_at = witness, witness_name.strip()[:60], seed, now
        if result.violations:
            refused = result.violations
            draw.status = Draw.Status.REFUSED
            draw.refusal = "\n".join(f"{v.code}：{v.message}" for v in refused)
        else:
            _write_result(draw, result, ids, now.date())
            draw.status = Draw.Status.REVEALED
            draw.result_digest = result.digest
        draw.save(update_fields=["status", "witness", "witness_name", "seed", "result_digest", "revealed_at", "refusal"])
        ledger.append(_stream(draw), "refuse" if refused else "reveal", {
            "task": draw.task_id, "witness": witness, "witness_name": draw.witness_name, "secret": draw.secret,
            "seed": seed, "result_digest": draw.result_digest, "drawn": len(result.assignments),
            **({"violations": [v.code for v in refused]} if refused else {}),
        }, actor=_user(actor))
    if refused:
        raise Refused(refused)
    return draw


def _entity_missing() -> Refused:
    """A frozen list without the ids of its candidates (it was frozen before they were kept and
    an entity could not be found then): the result is never written half."""
    return Refused([Violation("ENTITY_MISSING", "冻结名单中的检查对象已从名录库删除，无法写入抽取结果", rules.BASIS_DOUBLE_RANDOM)])


def _write_result(draw: Draw, result: rules.DrawResult, ids: bytes, today: dt.date) -> None:
    """Write the drawn inspections with their inspectors. The entity ids come from the frozen
    list's ids (``ids``, ``FrozenList.read_both``: kept at commit in list order): no lookup by credit
    code. On PostgreSQL one statement, the ids and the inspectors passed as two texts (each entity's
    inspectors as its JSON array, in rank order)."""
    if len(ids) < 8 * (max(result.positions, default=-1) + 1):
        raise _entity_missing()
    entity_ids = entity_ids_at(ids, result.positions)
    if 0 in entity_ids:
        raise _entity_missing()
    if bulk.is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{Inspection._meta.db_table}" '
                "(draw_id, task_id, entity_id, rank, planned_on, inspector_ids, answers, findings, outcome, case_number) "
                "SELECT %s, %s, d.entity_id, d.rank, %s, d.inspectors::jsonb, '[]'::jsonb, '', '', '' "
                "FROM unnest(string_to_array(%s, ',')::bigint[], string_to_array(%s, ';')) WITH ORDINALITY AS d (entity_id, inspectors, rank) "
                # in entity order: each index is then filled in order (the (draw, entity) one only
                # ever at its right edge), not at 24,750 random places — a third of the time
                "ORDER BY d.entity_id",
                # each inspection's inspectors as its JSON text ("[12,34]"): a cast per row, where
                # slicing them out of one array of all of them cost a fifth of the statement
                [draw.pk, draw.task_id, today, ",".join(map(str, entity_ids)),
                 ";".join(f"[{','.join(officers)}]" for _, officers in result.assignments)],
            )
        return
    bulk.insert_rows(
        Inspection, ["draw_id", "task_id", "entity_id", "rank", "planned_on", "inspector_ids", "answers", "findings", "outcome", "case_number"],
        ((draw.pk, draw.task_id, entity, rank, today, json.dumps([int(o) for o in officers]), "[]", "", "", "")
         for rank, (entity, (_, officers)) in enumerate(zip(entity_ids, result.assignments), 1)),
    )


def attach_inspectors(inspections: Iterable[Inspection]) -> list[Inspection]:
    """The inspections with ``inspectors`` set (their ``Officer`` rows in assignment order): one
    query for all of them, like a prefetch."""
    rows = list(inspections)
    officers = Officer.objects.in_bulk({pk for i in rows for pk in i.inspector_ids})
    for inspection in rows:
        inspection.inspectors = [officers[pk] for pk in inspection.inspector_ids if pk in officers]
    return rows


@dataclass
class Verification:
    """What ``verify_draw`` found: ``ok`` and one Chinese line per check."""

    ok: bool
    checks: list[tuple[str, bool]]
    result: rules.DrawResult | None = None

    def as_dict(self) -> dict:
        return {"ok": self.ok, "checks": [{"check": text, "ok": ok} for text, ok in self.checks]}


def stored_result_document(draw: Draw) -> str:
    """The result as stored in the database, in the canonical result format."""
    rows = Inspection.objects.filter(draw=draw).order_by("rank").values_list("rank", "entity__credit_code", "inspector_ids")
    return "".join(f"{rank},{code},{'|'.join(map(str, officers))}\n" for rank, code, officers in rows.iterator(chunk_size=5000))


def verify_draw(draw: Draw) -> Verification:
    """Recompute a draw from its published data (frozen list, secret, witness) with the same
    pure function as the reveal (``rules.draw_document``) and say whether it matches what was
    published and what is stored — for a refused draw, that the seed indeed made it impossible."""
    checks: list[tuple[str, bool]] = []
    document = draw.document_bytes()
    checks.append(("冻结名单与事先公布的摘要一致", rules.sha256_hex(document) == draw.document_digest))
    if not draw.is_drawn:
        checks.append(("抽取尚未进行，种子尚未公开", False))
        return Verification(False, checks)
    checks.append(("公开的秘密种子与事先公布的承诺一致", rules.commitment_of(draw.secret) == draw.commitment))
    seed = rules.final_seed(draw.document_digest, draw.secret, draw.witness)
    checks.append(("由冻结名单摘要、秘密种子和见证值重算的最终种子一致", seed == draw.seed))
    result = rules.draw_document(document, seed)
    if draw.is_refused:
        recorded = "\n".join(f"{v.code}：{v.message}" for v in result.violations)
        checks.append(("重算同样无法完成抽取，拒绝原因与记录一致", bool(result.violations) and recorded == draw.refusal))
        checks.append(("被拒绝的抽取没有写入任何检查", not Inspection.objects.filter(draw=draw).exists()))
    else:
        checks.append(("重新抽取的结果与公布的结果摘要一致", not result.violations and result.digest == draw.result_digest))
        checks.append(("数据库中的检查对象和检查人员与重算结果一致", stored_result_document(draw) == result.document()))
    chain_broken = ledger.verify(_stream(draw))
    checks.append(("抽取全过程记录的摘要链完整", chain_broken is None))
    return Verification(all(ok for _, ok in checks), checks, result)


# --- Results (R28, R30) -------------------------------------------------------------------------

@dataclass
class ResultInput:
    inspected_on: dt.date
    outcome: str
    answers: list[dict] = field(default_factory=list)
    findings: str = ""
    case_number: str = ""
    case_id: int | None = None


def is_assigned(actor: access.Actor, inspector_ids: Iterable[int]) -> bool:
    """Whether ``actor`` acts as one of an inspection's drawn inspectors: one of them, or the
    administrator. Only they record its result and its photos (R28)."""
    return actor.is_admin or (actor.officer is not None and actor.officer.pk in inspector_ids)


@transaction.atomic
def record_result(*, inspection_id: int, data: ResultInput, actor: access.Actor) -> Inspection:
    """Record the result of a drawn inspection (检查结果录入). Only inspections of a revealed draw
    exist (R30); only one of its assigned inspectors (or the administrator) records it."""
    inspection = Inspection.objects.select_for_update().select_related("task", "draw").filter(pk=inspection_id).first()
    if inspection is None:
        raise Http404
    if not is_assigned(actor, inspection.inspector_ids):
        raise Refused([Violation(rules.NOT_ASSIGNED_INSPECTOR, "只有抽取选派的检查人员可以录入该检查结果", rules.BASIS_DOUBLE_RANDOM)])
    found = []
    if inspection.published_on:
        found.append(Violation(rules.WRONG_STATE, "检查结果已公示，不得修改"))
    if data.outcome not in Inspection.Outcome.values:
        found.append(Violation("OUTCOME_INVALID", f"检查结果「{data.outcome}」无效"))
    today = clock.today()
    if data.inspected_on > today:
        found.append(Violation(rules.PERIOD_INVALID, "检查日期不能晚于今天"))
    if data.inspected_on < inspection.planned_on:
        found.append(Violation(rules.PERIOD_INVALID, "检查日期不能早于抽取日期"))
    if data.outcome in (Inspection.Outcome.RECTIFY, Inspection.Outcome.CASE, Inspection.Outcome.CORRECTED) and not data.findings.strip():
        found.append(Violation("FINDINGS_REQUIRED", "发现问题的，请填写发现的问题"))
    if data.outcome == Inspection.Outcome.CASE and not (data.case_number.strip() or data.case_id):
        found.append(Violation("CASE_REQUIRED", "立案查处的，请填写立案案号"))
    if found:
        raise Refused(found)
    inspection.inspected_on = data.inspected_on
    inspection.outcome = data.outcome
    inspection.answers = [{"point": str(a.get("point", ""))[:200], "ok": bool(a.get("ok")), "note": str(a.get("note", ""))[:500]} for a in data.answers]
    inspection.findings = data.findings.strip()
    inspection.case_number = data.case_number.strip()[:60]
    inspection.case_id = data.case_id
    inspection.recorded_by = actor.officer
    inspection.publish_due = add_working_days(data.inspected_on, publish_working_days()).date
    inspection.save()
    ledger.append(_stream(inspection.draw), "result", {
        "inspection": inspection.pk, "entity": inspection.entity_id, "inspected_on": inspection.inspected_on,
        "outcome": inspection.outcome, "case_number": inspection.case_number,
    }, actor=_user(actor))
    return inspection


@transaction.atomic
def publish_results(*, task_id: int, actor: access.Actor) -> int:
    """Publish (公示) every recorded, unpublished result of a task; returns how many."""
    task = Task.objects.select_for_update().select_related("plan").filter(pk=task_id).first()
    if task is None:
        raise Http404
    _require_manage(actor, task.plan.body_id)
    today = clock.today()
    pending = Inspection.objects.filter(draw__task=task, published_on__isnull=True).exclude(outcome="")
    count = pending.update(published_on=today)
    if count and hasattr(task, "draw"):
        ledger.append(_stream(task.draw), "publish", {"task": task.pk, "published": count, "on": today}, actor=_user(actor))
    return count


def overdue_publications(qs: QuerySet[Inspection] | None = None, today: dt.date | None = None) -> QuerySet[Inspection]:
    """Recorded results not published by their deadline (公示超期)."""
    today = today or clock.today()
    qs = qs if qs is not None else Inspection.objects.all()
    return qs.filter(published_on__isnull=True, publish_due__lt=today).exclude(outcome="")


# --- Statistics (R27–R29) -------------------------------------------------------------------------

PROBLEM_OUTCOMES = (Inspection.Outcome.CORRECTED, Inspection.Outcome.RECTIFY, Inspection.Outcome.CASE)


def plan_statistics(plan: Plan) -> dict:
    """Coverage, problem rate, overdue publications and the body's joint share for one plan."""
    agg = Inspection.objects.filter(draw__task__plan=plan).aggregate(  # through the draw's index
        drawn=Count("id"),
        recorded=Count("id", filter=~Q(outcome="")),
        problems=Count("id", filter=Q(outcome__in=PROBLEM_OUTCOMES)),
        published=Count("id", filter=Q(published_on__isnull=False)),
        overdue=Count("id", filter=Q(published_on__isnull=True, publish_due__lt=clock.today()) & ~Q(outcome="")),
    )
    drawn, recorded = agg["drawn"], agg["recorded"]
    return {
        **agg,
        "tasks": plan.tasks.count(),
        "coverage": (Decimal(recorded) / drawn).quantize(Decimal("0.0001")) if drawn else Decimal(0),
        "problem_rate": (Decimal(agg["problems"]) / recorded).quantize(Decimal("0.0001")) if recorded else Decimal(0),
        "joint": joint_share_of(plan.body_id, plan.year),
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


def disclosed(draw: Draw, today: dt.date | None = None) -> bool:
    """Whether the public may see the seed and who was drawn. At once for announced tasks; for a
    surprise inspection (飞行检查) only after the task's period, or the seed would tell every
    entity in advance that it is to be inspected (the frozen list, the commitment and the result
    digest are public from the start, so the draw stays verifiable afterwards)."""
    if not draw.is_drawn:
        return False
    return draw.task.kind != Task.Kind.SURPRISE or (today or clock.today()) > draw.task.ends_on


def published_draw(draw: Draw, *, withhold: bool = False) -> dict:
    """What is public about a draw: before the reveal only the commitment; after it the secret,
    the witness, the seed and the result digest too — unless ``withhold`` (a surprise inspection
    not yet ``disclosed``), when the seed and what leads to it stay back until the task ends."""
    data = {
        "id": draw.pk, "task": draw.task_id, "algorithm": draw.algorithm, "status": draw.status,
        "committed_at": draw.committed_at.isoformat(), "scheduled_at": draw.scheduled_at.isoformat(),
        "document_digest": draw.document_digest, "commitment": draw.commitment,
        "candidate_count": draw.candidate_count, "excluded_count": draw.excluded_count,
        "inspector_count": draw.inspector_count, "sample": draw.sample,
    }
    if draw.is_drawn:
        data.update(result_digest=draw.result_digest, revealed_at=draw.revealed_at.isoformat())
        if withhold:
            data["disclosed_after"] = draw.task.ends_on.isoformat()
        else:
            data.update(secret=draw.secret, witness=draw.witness, witness_name=draw.witness_name, seed=draw.seed)
    if draw.is_refused and not withhold:
        data["refusal"] = draw.refusal
    return data


# --- Opening a case from a finding (检查发现转立案, R30) --------------------------------------



def may_open_case(actor: access.Actor, inspection: Inspection) -> bool:
    """Whether ``actor`` may open a case from ``inspection``'s finding: one of its assigned
    inspectors, the head of the task's body or the administrator (the page offers the form to
    them alone; ``open_case_from_inspection`` refuses anyone else)."""
    return is_assigned(actor, inspection.inspector_ids) or access.can_manage_body(actor, inspection.task.plan.body_id)


def open_case_from_inspection(inspection_id: int, *, item_code: str, act_date: dt.date, facts: str = "",
                              actor: access.Actor):
    """Open a case (案源登记) from an inspection's finding (检查发现): the entity becomes the party
    (organisation, name, credit code, address), the clue names the inspection, task and draw, and
    the inspection is linked to the case — all in one transaction (R30). Only the inspection's
    assigned inspectors, the task body's head or the administrator; refused when the inspection
    found no problem or already has a case."""
    from zhifa.cases import services as case_services  # cases sits beside inspections; imported late

    with transaction.atomic():
        inspection = (Inspection.objects.select_for_update().select_related("task__plan", "draw", "entity")
                      .filter(pk=inspection_id).first())
        if inspection is None:
            raise Http404
        body_id = inspection.task.plan.body_id
        assigned = set(inspection.inspector_ids)
        if not may_open_case(actor, inspection):
            raise PermissionDenied("仅抽取选派的检查人员、该执法主体负责人或系统管理员可以据检查发现登记案源。")
        found = []
        if inspection.outcome not in PROBLEM_OUTCOMES or not inspection.findings.strip():
            found.append(Violation("NO_FINDING", "该检查未录入发现的问题，不能据此登记案源", rules.BASIS_DOUBLE_RANDOM))
        if inspection.case_id or inspection.case_number:
            found.append(Violation("CASE_EXISTS", f"该检查已转立案（{inspection.case_number or inspection.case_id}），不得重复登记"))
        if found:
            raise Refused(found)
        entity = inspection.entity
        case_body = body_id if actor.is_admin or actor.body_id is None else actor.body_id
        officer_ids = list(Officer.objects.filter(pk__in=assigned, body_id=case_body).order_by("pk").values_list("pk", flat=True))
        clue = (f"双随机抽查发现：检查记录 #{inspection.pk}（任务「{inspection.task.title}」，抽取 #{inspection.draw_id}，"
                f"检查日期 {inspection.inspected_on or '未填'}）。发现的问题：{inspection.findings.strip()}")
        case = case_services.register_source(
            item_code=item_code, party_kind="organisation", party_name=entity.name, party_id_code=entity.credit_code,
            party_address=entity.address, act_date=act_date, source="inspection", clue=clue,
            clue_received_on=inspection.inspected_on, act_description=(facts or inspection.findings).strip(),
            officer_ids=officer_ids or None, body_id=case_body, actor=actor,
        )
        inspection.case_id = case.pk
        inspection.case_number = case.number[:60]
        fields = ["case_id", "case_number"]
        if not inspection.published_on:
            inspection.outcome = Inspection.Outcome.CASE
            fields.append("outcome")
        inspection.save(update_fields=fields)
        ledger.append(_stream(inspection.draw), "case", {
            "inspection": inspection.pk, "entity": entity.pk, "case": case.pk, "case_number": case.number,
        }, actor=_user(actor))
        return case


# --- Inspector database, conflict declarations and site photos (pages of R26, R28) ------------
# 执法检查人员名录库、利益冲突申报、现场照片. Imported here to keep this section self-contained.

import hashlib  # noqa: E402
import io  # noqa: E402

from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.db.models import IntegerField  # noqa: E402

from .models import InspectionPhoto  # noqa: E402

NOT_INSPECTOR = "NOT_INSPECTOR"
CONFLICT_EXISTS = "CONFLICT_EXISTS"
CONFLICT_ENDED = "CONFLICT_ENDED"
PHOTO_REQUIRED = "PHOTO_REQUIRED"
PHOTO_NOT_IMAGE = "PHOTO_NOT_IMAGE"
PHOTO_TOO_LARGE = "PHOTO_TOO_LARGE"
PHOTO_EMPTY = "PHOTO_EMPTY"
PHOTO_UNREADABLE = "PHOTO_UNREADABLE"
PHOTO_DUPLICATE = "PHOTO_DUPLICATE"
PHOTO_TOO_MANY = "PHOTO_TOO_MANY"
CAPTION_TOO_LONG = "CAPTION_TOO_LONG"
# Refusals that are about the files sent, not about the law or the workflow: the API answers
# them as malformed input (422), the others as 409.
PHOTO_INPUT_CODES = frozenset({PHOTO_REQUIRED, PHOTO_NOT_IMAGE, PHOTO_TOO_LARGE, PHOTO_EMPTY, PHOTO_UNREADABLE,
                               PHOTO_DUPLICATE, CAPTION_TOO_LONG})
BASIS_CERTIFICATE = "行政处罚法第四十二条"


def _auxiliary_only(actor: access.Actor) -> bool:
    """执法辅助人员 with no other role: never drawn, never inspect (R05)."""
    return actor.has(access.Role.AUXILIARY) and not (actor.is_admin or actor.is_supervisor or actor.has(access.Role.HEAD))


def may_use_inspector_pages(actor: access.Actor) -> bool:
    """The inspector database and the conflict declarations are for officers, heads, supervisors
    and the administrator; auxiliary staff are never drawn and the public never sees them."""
    return not actor.is_public and not _auxiliary_only(actor)


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


def _may_declare_for(actor: access.Actor, officer: Officer) -> bool:
    return actor.is_admin or (actor.officer is not None and actor.officer.pk == officer.pk) or access.can_manage_body(actor, officer.body_id)


@transaction.atomic
def end_conflict(*, declaration_id: int, ends_on: dt.date, actor: access.Actor) -> ConflictDeclaration:
    """结束利益冲突申报: set the last day a declaration is in force. Only forward: a day already
    past cannot be changed (draws of those days recused the officer on its strength), and an
    ended declaration stays ended. Same people as ``declare_conflict``."""
    declaration = ConflictDeclaration.objects.select_for_update().select_related("officer").filter(pk=declaration_id).first()
    if declaration is None:
        raise Http404
    if not _may_declare_for(actor, declaration.officer):
        raise PermissionDenied("仅本人、所在主体负责人或系统管理员可以结束利益冲突申报。")
    today = clock.today()
    found = []
    if declaration.ends_on is not None and declaration.ends_on < today:
        found.append(Violation(CONFLICT_ENDED, f"该申报已于 {declaration.ends_on:%Y-%m-%d} 结束"))
    if ends_on < today:
        found.append(Violation(rules.PERIOD_INVALID, "结束日期不得早于今天：已经过去的日期曾用于抽取回避，不能事后改变"))
    if ends_on < declaration.starts_on:
        found.append(Violation(rules.PERIOD_INVALID, f"结束日期早于开始日期 {declaration.starts_on:%Y-%m-%d}"))
    if found:
        raise Refused(found)
    declaration.ends_on = ends_on
    declaration.save(update_fields=["ends_on"])
    return declaration


# Site photos (现场照片) -----------------------------------------------------------------------

PHOTO_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/heic": ".heic"}
PHOTO_TYPE_LABEL = "JPEG、PNG、WebP 或 HEIC"
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
THUMBNAIL_SIZE = (480, 480)


def sniff_image(head: bytes) -> str | None:
    """The image type of a file from its first bytes (magic numbers), never from its name or the
    type the client claims: JPEG, PNG, WebP, HEIC (HEIF brands); ``None`` otherwise."""
    if head[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "image/heic"
    return None


def photo_max_bytes() -> int:
    """Size limit of one photo (``ZHIFA["INSPECTION_PHOTO_MAX_BYTES"]``, default 15 MB)."""
    return int(setting("INSPECTION_PHOTO_MAX_BYTES", 15 * 1024 * 1024))


def photo_max_count() -> int:
    """Photos per inspection (``ZHIFA["INSPECTION_PHOTO_MAX_COUNT"]``, default 30)."""
    return int(setting("INSPECTION_PHOTO_MAX_COUNT", 30))


def insider_task_ids(actor: access.Actor, task_ids: Iterable[int]) -> set[int]:
    """Which of ``task_ids`` the actor sees from inside (a surprise draw's seed and drawn list before
    the task ends, unpublished results, photos): the planning body, partners of a joint task,
    supervisors of the subtree, the administrator — never the public or auxiliary staff. One query."""
    if actor.is_public or _auxiliary_only(actor):
        return set()
    return set(visible_tasks(actor).filter(pk__in=list(task_ids)).values_list("pk", flat=True))


def may_see_task(actor: access.Actor, task: Task) -> bool:
    """Staff who may see a task's inspections and their photos (``insider_task_ids``)."""
    return task.pk in insider_task_ids(actor, [task.pk])


def may_see_photos(actor: access.Actor, inspection: Inspection, assigned: set[int] | None = None) -> bool:
    if actor.is_public or _auxiliary_only(actor):
        return False
    if assigned is None:
        assigned = set(inspection.inspector_ids)
    return (actor.officer is not None and actor.officer.pk in assigned) or may_see_task(actor, inspection.task)


def photo_violations(inspection: Inspection, assigned: set[int], actor: access.Actor) -> list[Violation]:
    """Why the actor may not add or remove photos of the inspection now (all reasons)."""
    found = []
    if not is_assigned(actor, assigned):
        found.append(Violation(rules.NOT_ASSIGNED_INSPECTOR, "只有抽取选派的检查人员可以上传或删除该检查的现场照片",
                               rules.BASIS_DOUBLE_RANDOM))
    if inspection.published_on:
        found.append(Violation(rules.WRONG_STATE, f"检查结果已于 {inspection.published_on:%Y-%m-%d} 公示，现场照片不得增删"))
    return found


@dataclass
class _Checked:
    upload: object
    content_type: str
    sha256: str
    size: int
    thumbnail: bytes | None


def _thumbnail(upload, content_type: str) -> bytes | None:
    """A JPEG of at most 480×480 (EXIF orientation applied); ``None`` for HEIC, which Pillow
    cannot read without a plug-in. Raises on a file that is not a readable image."""
    if content_type == "image/heic":
        return None
    from PIL import Image, ImageOps  # loaded when a photo is uploaded

    upload.seek(0)
    with Image.open(upload) as image:
        image.draft("RGB", (THUMBNAIL_SIZE[0] * 2, THUMBNAIL_SIZE[1] * 2))  # JPEG: decode at a smaller scale
        image = ImageOps.exif_transpose(image)
        image.thumbnail(THUMBNAIL_SIZE)
        if image.mode not in ("RGB", "L"):
            try:  # transparency on white
                rgba = image.convert("RGBA")
                background = Image.new("RGB", image.size, "white")
                background.paste(rgba, mask=rgba.getchannel("A"))
                image = background
            except (ValueError, OSError):
                image = image.convert("RGB")
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80, optimize=True)
    upload.seek(0)
    return out.getvalue()


def _display_name(upload, n: int) -> str:
    name = str(getattr(upload, "name", "") or "").replace("\x00", "")[:60]
    return f"第 {n} 张（{name}）" if name else f"第 {n} 张"


def _check_uploads(uploads: list, existing: set[str]) -> tuple[list[_Checked], list[Violation]]:
    """Read every upload once, in chunks (SHA-256, size, magic bytes), and make its thumbnail;
    every problem of every file at once."""
    limit = photo_max_bytes()
    checked, found, seen = [], [], set(existing)
    for n, upload in enumerate(uploads, 1):
        label = _display_name(upload, n)
        declared = getattr(upload, "size", None)
        if declared is not None and declared > limit:
            found.append(Violation(PHOTO_TOO_LARGE, f"{label}大小 {declared / 1048576:.1f} MB，超过每张 {limit // 1048576} MB 的上限"))
            continue
        digest, size, head = hashlib.sha256(), 0, b""
        upload.seek(0)
        for chunk in upload.chunks(1024 * 1024):
            if len(head) < 16:
                head += chunk[:16 - len(head)]
            digest.update(chunk)
            size += len(chunk)
        upload.seek(0)
        if size == 0:
            found.append(Violation(PHOTO_EMPTY, f"{label}是空文件"))
            continue
        if size > limit:
            found.append(Violation(PHOTO_TOO_LARGE, f"{label}大小 {size / 1048576:.1f} MB，超过每张 {limit // 1048576} MB 的上限"))
            continue
        content_type = sniff_image(head)
        if content_type is None:
            found.append(Violation(PHOTO_NOT_IMAGE, f"{label}不是图片：只接受 {PHOTO_TYPE_LABEL} 格式的照片"))
            continue
        sha = digest.hexdigest()
        if sha in seen:
            found.append(Violation(PHOTO_DUPLICATE, f"{label}与已上传的照片相同（SHA-256 {sha[:12]}…）"))
            continue
        seen.add(sha)
        try:
            thumb = _thumbnail(upload, content_type)
        except Exception:  # Pillow: UnidentifiedImageError, OSError, SyntaxError, DecompressionBombError …
            found.append(Violation(PHOTO_UNREADABLE, f"{label}无法识别为完整的图片，文件可能已损坏"))
            continue
        checked.append(_Checked(upload, content_type, sha, size, thumb))
    return checked, found


def add_photos(*, inspection_id: int, uploads: list, caption: str = "", actor: access.Actor) -> list[InspectionPhoto]:
    """上传现场照片: an assigned inspector (or the administrator) attaches photos to an inspection
    whose result is not yet published. Each file is read in chunks (SHA-256, size, magic bytes:
    JPEG, PNG, WebP or HEIC only, at most ``photo_max_bytes``), written to storage, and its digest
    appended to the draw's full-process record (``draw:<id>``, action ``photo``). All files or
    none: any refusal lists every reason and leaves nothing stored."""
    inspection = Inspection.objects.select_related("task", "draw").filter(pk=inspection_id).first()
    if inspection is None:
        raise Http404
    assigned = set(inspection.inspector_ids)
    refuse = photo_violations(inspection, assigned, actor)
    if refuse:  # before reading any file
        raise Refused(refuse)
    caption = (caption or "").strip()
    found = []
    if not uploads:
        found.append(Violation(PHOTO_REQUIRED, "请选择要上传的照片"))
    if len(caption) > 100:
        found.append(Violation(CAPTION_TOO_LONG, "照片说明不超过 100 字"))
    existing = set(inspection.photos.values_list("sha256", flat=True))
    if len(existing) + len(uploads) > photo_max_count():
        found.append(Violation(PHOTO_TOO_MANY, f"每次检查最多 {photo_max_count()} 张现场照片，已有 {len(existing)} 张"))
    checked, bad = _check_uploads(uploads, existing)
    if found or bad:
        raise Refused(found + bad)
    saved: list[str] = []
    try:
        # Files are written before the transaction (no lock held while a phone's photos reach the
        # disk); the transaction re-checks under the lock and a failure removes what was written.
        staged = []
        for item in checked:
            name = default_storage.save(f"inspections/{inspection.pk}/{item.sha256[:24]}{PHOTO_TYPES[item.content_type]}", item.upload)
            saved.append(name)
            thumb = ""
            if item.thumbnail:
                thumb = default_storage.save(f"inspections/{inspection.pk}/{item.sha256[:24]}-thumb.jpg", ContentFile(item.thumbnail))
                saved.append(thumb)
            staged.append((item, name, thumb))
        with transaction.atomic():
            locked = Inspection.objects.select_for_update().select_related("task", "draw").get(pk=inspection.pk)
            assigned = set(locked.inspector_ids)
            refuse = photo_violations(locked, assigned, actor)
            stored = set(locked.photos.values_list("sha256", flat=True))
            if stored & {item.sha256 for item in checked}:
                refuse.append(Violation(PHOTO_DUPLICATE, "所选照片已经上传"))
            if len(stored) + len(checked) > photo_max_count():
                refuse.append(Violation(PHOTO_TOO_MANY, f"每次检查最多 {photo_max_count()} 张现场照片，已有 {len(stored)} 张"))
            if refuse:
                raise Refused(refuse)
            now = clock.now()
            photos = []
            for item, name, thumb in staged:
                photo = InspectionPhoto.objects.create(
                    inspection=locked, file=name, thumbnail=thumb, sha256=item.sha256, size=item.size,
                    content_type=item.content_type, caption=caption, uploaded_by=actor.officer, uploaded_at=now,
                )
                ledger.append(f"draw:{locked.draw_id}", "photo", {
                    "inspection": locked.pk, "entity": locked.entity_id, "photo": photo.pk, "sha256": item.sha256,
                    "size": item.size, "content_type": item.content_type, "caption": caption,
                }, actor=_user(actor))
                photos.append(photo)
            return photos
    except BaseException:
        for name in saved:
            default_storage.delete(name)
        raise


@transaction.atomic
def remove_photo(*, photo_id: int, actor: access.Actor) -> None:
    """删除现场照片 before the result is published (assigned inspectors, the administrator); the
    removal and the digest of what was removed are appended to the draw's record."""
    photo = InspectionPhoto.objects.select_related("inspection").filter(pk=photo_id).first()
    if photo is None:
        raise Http404
    inspection = Inspection.objects.select_for_update().select_related("task").get(pk=photo.inspection_id)
    assigned = set(inspection.inspector_ids)
    if not may_see_photos(actor, inspection, assigned):
        raise Http404
    refuse = photo_violations(inspection, assigned, actor)
    if refuse:
        raise Refused(refuse)
    names = [n for n in (photo.file.name, photo.thumbnail.name) if n]
    ledger.append(f"draw:{inspection.draw_id}", "photo_removed", {
        "inspection": inspection.pk, "photo": photo.pk, "sha256": photo.sha256,
    }, actor=_user(actor))
    photo.delete()
    transaction.on_commit(lambda: [default_storage.delete(n) for n in names])
