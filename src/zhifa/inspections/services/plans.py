"""Plans and tasks (抽查计划、抽查任务, R27, R29): a body's yearly plan and its tasks — scope,
ratio or count, frequency limits, joint partners (联合抽查)."""
from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.http import Http404

from zhifa.core import clock, ledger
from zhifa.core.usecase import query, use_case
from zhifa.core.violations import INVALID_INPUT, Refused, Violation
from zhifa.registry import access
from zhifa.registry.models import Body, Jurisdiction

from .. import rules
from ..config import setting
from ..inputs import TaskInput
from ..models import Entity, InspectionItem, Plan, Task
from ..permissions import require_manage
from ._common import _too_long


@use_case
@transaction.atomic
def create_plan(*, body_id: int, year: int, title: str, note: str = "", actor: access.Actor) -> Plan:
    """编制年度抽查计划: the body's head (or the administrator) opens a plan for a year; recorded on
    ``plan:<id>``."""
    body = Body.objects.filter(pk=body_id).first()
    if body is None:
        raise Http404
    require_manage(actor, body)
    found = []
    if not title.strip():
        found.append(Violation(rules.TITLE_REQUIRED, "请填写计划名称"))
    found += _too_long(Plan, title=title.strip())
    if not 2000 <= year <= 2100:
        found.append(Violation(rules.PERIOD_INVALID, f"年度「{year}」无效"))
    if found:
        raise Refused(found)
    plan = Plan.objects.create(body=body, year=year, title=title.strip(), note=note, created_at=clock.now())
    ledger.append(f"plan:{plan.pk}", "create_plan", {"body": body.pk, "year": year, "title": plan.title, "note": note},
                  actor=actor)
    return plan


@query
def task_violations(plan: Plan, data: TaskInput, items: list[InspectionItem], partners: list[Body]) -> list[Violation]:
    """Every reason the task cannot be planned as submitted (all at once)."""
    found: list[Violation] = []
    if not data.title.strip():
        found.append(Violation(rules.TITLE_REQUIRED, "请填写任务名称"))
    if data.ends_on < data.starts_on:
        found.append(Violation(rules.PERIOD_INVALID, "结束日期早于开始日期"))
    if data.starts_on.year != plan.year or data.ends_on.year != plan.year:
        found.append(Violation(rules.PERIOD_INVALID, f"任务期间应在计划年度 {plan.year} 年内"))
    if data.kind not in Task.Kind.values:
        found.append(Violation(INVALID_INPUT, f"任务类型「{data.kind}」无效"))
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
        found.append(Violation(INVALID_INPUT, "异常/投诉对象权重应为 1–10 的整数"))
    if not items:
        found.append(Violation(rules.ITEMS_REQUIRED, "请至少选择一项抽查事项（无检查依据不得检查）", rules.BASIS_DOUBLE_RANDOM))
    allowed = {plan.body_id, *(p.pk for p in partners)}
    for item in items:
        if item.body_id not in allowed:
            found.append(Violation(rules.ITEM_OUTSIDE_BODIES, f"抽查事项「{item.name}」不属于本计划主体或联合抽查部门"))
    if plan.body_id in {p.pk for p in partners}:
        found.append(Violation(INVALID_INPUT, "联合抽查部门不能是计划主体本身"))
    grades = set(data.scope_risk_grades)
    if grades - set(Entity.Grade.values):
        found.append(Violation(INVALID_INPUT, "风险等级范围只能由 A、B、C、D 组成"))
    if data.scope_tag and data.scope_tag not in Task.Tag.values:
        found.append(Violation(INVALID_INPUT, f"标签范围「{data.scope_tag}」无效"))
    return found


@use_case
@transaction.atomic
def create_task(*, plan_id: int, data: TaskInput, actor: access.Actor) -> Task:
    """新增抽查任务: a task of the plan (scope, ratio or count, frequency limits, partners), checked
    all at once (``task_violations``); recorded on ``task:<id>``."""
    plan = Plan.objects.select_for_update().select_related("body").filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    require_manage(actor, plan.body)
    items = list(InspectionItem.objects.filter(pk__in=data.item_ids, is_active=True))
    partners = list(Body.objects.filter(pk__in=data.partner_ids, is_active=True))
    violations = task_violations(plan, data, items, partners)
    if len(items) != len(set(data.item_ids)):
        violations.append(Violation(rules.ITEMS_REQUIRED, "所选抽查事项不存在或已停用"))
    if len(partners) != len(set(data.partner_ids)):
        violations.append(Violation(INVALID_INPUT, "所选联合抽查部门不存在或已停用"))
    if data.scope_jurisdiction_id and not Jurisdiction.objects.filter(pk=data.scope_jurisdiction_id).exists():
        violations.append(Violation(INVALID_INPUT, "区域范围不存在"))
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
    ledger.append(f"task:{task.pk}", "create_task", {
        "plan": plan.pk, "title": task.title, "kind": task.kind, "starts_on": task.starts_on, "ends_on": task.ends_on,
        "items": sorted(item.code for item in items), "partners": sorted(p.pk for p in partners),
        "scope": {"industry": task.scope_industry, "jurisdiction": task.scope_jurisdiction_id,
                  "risk_grades": task.scope_risk_grades, "tag": task.scope_tag},
        "ratio_percent": task.ratio_percent, "sample_count": task.sample_count,
        "inspectors_per_entity": task.inspectors_per_entity, "flagged_weight": task.flagged_weight,
        "max_per_year": task.max_per_year, "min_gap_days": task.min_gap_days,
    }, actor=actor)
    return task
