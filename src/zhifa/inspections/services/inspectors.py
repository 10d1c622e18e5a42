"""The inspector database (执法检查人员名录库, R26) and conflicts of interest (利益冲突申报, 回避):
an officer's inspector profile (recorded on ``officer:<id>``), declaring and ending a conflict
(recorded on ``conflict:<id>``, the officer and the entity in the payload)."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404

from zhifa.core import clock, ledger
from zhifa.core.usecase import use_case
from zhifa.core.violations import Refused, Violation
from zhifa.registry import access
from zhifa.registry.models import Officer

from .. import rules
from ..models import ConflictDeclaration, Entity, InspectorProfile
from ..permissions import may_declare_for, require_manage

NOT_INSPECTOR, CONFLICT_EXISTS, CONFLICT_ENDED = rules.NOT_INSPECTOR, rules.CONFLICT_EXISTS, rules.CONFLICT_ENDED


@use_case
@transaction.atomic
def declare_conflict(*, officer_id: int, entity_id: int, relation: str, starts_on: dt.date,
                     ends_on: dt.date | None = None, actor: access.Actor) -> ConflictDeclaration:
    """利益冲突申报: the officer themself, their head or the administrator declares it. The officer
    is locked: two overlapping declarations of the same pair cannot both pass the check."""
    officer = Officer.objects.select_for_update().filter(pk=officer_id).first()
    entity = Entity.objects.filter(pk=entity_id).first()
    if officer is None or entity is None:
        raise Http404
    if not may_declare_for(actor, officer):
        raise PermissionDenied("仅本人、所在主体负责人或系统管理员可以申报利益冲突。")
    found = []
    if officer.is_auxiliary or officer.status != Officer.Status.ACTIVE:
        found.append(Violation(NOT_INSPECTOR, f"{officer.name}不是在岗的执法人员（执法辅助人员不参加抽取），无需申报"))
    if not relation.strip():
        found.append(Violation(rules.RELATION_REQUIRED, "请填写利害关系"))
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
    declaration = ConflictDeclaration.objects.create(
        officer=officer, entity=entity, relation=relation.strip()[:100], starts_on=starts_on, ends_on=ends_on,
        declared_on=clock.today(),
    )
    ledger.append(f"conflict:{declaration.pk}", "declare_conflict", {
        "officer": officer.pk, "entity": entity.pk, "credit_code": entity.credit_code, "relation": declaration.relation,
        "starts_on": starts_on, "ends_on": ends_on,
    }, actor=actor)
    return declaration


@use_case
@transaction.atomic
def set_inspector_profile(*, officer_id: int, expertise: str, is_available: bool, note: str = "", actor: access.Actor) -> InspectorProfile:
    """An officer's entry in the inspector database: expertise, whether they may be drawn
    (``is_available``), a note — set by their body's head or the administrator."""
    officer = Officer.objects.select_for_update().filter(pk=officer_id).first()
    if officer is None:
        raise Http404
    require_manage(actor, officer.body_id)
    profile, _ = InspectorProfile.objects.update_or_create(
        officer=officer, defaults={"expertise": expertise.strip()[:200], "is_available": is_available, "note": note[:200]},
    )
    ledger.append(f"officer:{officer.pk}", "set_inspector_profile", {
        "officer": officer.pk, "expertise": profile.expertise, "is_available": is_available, "note": profile.note,
    }, actor=actor)
    return profile


@use_case
@transaction.atomic
def end_conflict(*, declaration_id: int, ends_on: dt.date, actor: access.Actor) -> ConflictDeclaration:
    """结束利益冲突申报: set the last day a declaration is in force. Only forward: a day already
    past cannot be changed (draws of those days recused the officer on its strength), and an
    ended declaration stays ended. Same people as ``declare_conflict``."""
    declaration = ConflictDeclaration.objects.select_for_update().select_related("officer").filter(pk=declaration_id).first()
    if declaration is None:
        raise Http404
    if not may_declare_for(actor, declaration.officer):
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
    ledger.append(f"conflict:{declaration.pk}", "end_conflict", {
        "officer": declaration.officer_id, "entity": declaration.entity_id, "ends_on": ends_on,
    }, actor=actor)
    return declaration
