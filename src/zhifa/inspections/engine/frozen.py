"""The frozen list (冻结名单) of a task: the candidates in scope after frequency control (检查频次),
the inspector pool and the recusals (回避), as the exact bytes that are published before the draw.
Reads only; the draw (``services.draw.commit_draw``) stores what this builds."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .. import bulk, rules
from ..models import ConflictDeclaration, Entity, Inspection, Task
from ..selectors import inspector_pool_ids
from . import scan as scanning
from . import snapshot as snapshots


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


def inspection_history(candidates: QuerySet[Entity] | None, today: dt.date, limits: rules.FrequencyLimits) -> list[tuple[int, int, dt.date]]:
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


def recusal_pairs(qs: QuerySet[Entity], scoped: bool, pool_ids: set[int], today: dt.date) -> set[tuple[int, int]]:
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


def freeze(task: Task, today: dt.date, parallel: bool = False, draw_on: dt.date | None = None) -> Frozen:
    """Build the frozen list of a task (candidates after frequency control, inspector pool,
    recusals) as the published bytes. Reads only. ``parallel``: the transaction has written
    nothing yet, so the register may be read on two connections (``scan.scan``). ``draw_on``: the
    day of the draw when later than ``today`` — the inspectors' certificates must be valid then too
    (R04)."""
    limits = rules.FrequencyLimits(task.max_per_year, task.min_gap_days)
    qs = candidate_queryset(task)
    scoped = bool(task.scope_industry or task.scope_jurisdiction_id or task.scope_risk_grades or task.scope_tag)
    if bulk.is_postgres():
        with connection.cursor() as cursor:
            for statement in scanning.DRAW_SETTINGS:
                cursor.execute(statement)
    exclusions: list[tuple[int, str, str]] = []
    for pk, count, last in sorted(inspection_history(qs if scoped else None, today, limits)):
        reason = rules.frequency_exclusion(count, (today - last).days if last else None, limits)
        if reason is not None:
            exclusions.append((pk, reason[0], reason[1]))
    excluded = {pk for pk, _, _ in exclusions}
    bodies = [task.plan.body_id, *task.partners.values_list("pk", flat=True)]
    pool_ids = set(inspector_pool_ids(bodies, today, draw_on))
    pairs = recusal_pairs(qs, scoped, pool_ids, today)
    named = excluded | {entity for entity, _ in pairs}
    snapshot = None if scoped else snapshots.register_snapshot(parallel)
    if snapshot is not None:
        scan = snapshots.candidates_from(snapshot, task.flagged_weight, excluded, named)
    else:
        scan = scanning.scan(qs, task.flagged_weight, excluded, named, scoped, parallel)
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
