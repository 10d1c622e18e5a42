"""Results (检查结果, R28, R30): an assigned inspector records an inspection's result, the body
publishes (公示) a task's results, and a finding becomes a case (检查发现转立案). Each act is
appended to the draw's full-process record (``draw:<id>``): a draw's record is the whole story
of its inspections; a task's publication is one entry, however many results it publishes."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from zhifa.core import clock, ledger
from zhifa.core.usecase import use_case
from zhifa.core.violations import INVALID_INPUT, Refused, Violation, refuse_if_any
from zhifa.core.workdays import add_working_days
from zhifa.registry import access
from zhifa.registry.models import Officer

from .. import rules
from ..config import publish_working_days
from ..inputs import ResultInput
from ..models import Inspection, Task
from ..permissions import (
    certificate_violations,
    is_assigned,
    may_open_case,
    require_manage,
)
from ..selectors import PROBLEM_OUTCOMES
from .draw import _stream


class ResultIncomplete(Refused):
    """A result that does not answer what an inspection must (``rules.result_problems``): every
    check point, a description of each point found 不符合, an outcome agreeing with them. Each
    problem keeps its field, so that the API answers 422 with field messages and the page puts
    the message next to the point."""

    def __init__(self, problems: list[rules.ResultProblem]):
        self.problems = problems
        super().__init__([Violation(INVALID_INPUT, p.message) for p in problems])


@use_case
@transaction.atomic
def record_result(*, inspection_id: int, data: ResultInput, actor: access.Actor) -> Inspection:
    """Record the result of a drawn inspection (检查结果录入). Only inspections of a revealed draw
    exist (R30); only one of its assigned inspectors (or the administrator) records it."""
    inspection = Inspection.objects.select_for_update().select_related("task", "draw").filter(pk=inspection_id).first()
    if inspection is None:
        raise Http404
    if not is_assigned(actor, inspection.inspector_ids):
        raise Refused([Violation(rules.NOT_ASSIGNED_INSPECTOR, "只有抽取选派的检查人员可以录入该检查结果", rules.BASIS_DOUBLE_RANDOM)])
    checklist = [p for item in inspection.task.items.all() for p in item.checklist]
    problems = rules.result_problems(checklist, data.answers, data.outcome)
    if problems:  # what the form must say, before the rules (the API: 422, like any malformed input)
        raise ResultIncomplete(problems)
    found = certificate_violations(actor, data.inspected_on)  # R04: on the day of the inspection
    if inspection.published_on:
        found.append(Violation(rules.WRONG_STATE, "检查结果已公示，不得修改"))
    if data.outcome not in Inspection.Outcome.values:
        found.append(Violation(INVALID_INPUT, f"检查结果「{data.outcome}」无效"))
    today = clock.today()
    if data.inspected_on > today:
        found.append(Violation(rules.PERIOD_INVALID, "检查日期不能晚于今天"))
    if data.inspected_on < inspection.planned_on:
        found.append(Violation(rules.PERIOD_INVALID, "检查日期不能早于抽取日期"))
    if data.outcome in (Inspection.Outcome.RECTIFY, Inspection.Outcome.CASE, Inspection.Outcome.CORRECTED) and not data.findings.strip():
        found.append(Violation(rules.FINDINGS_REQUIRED, "发现问题的，请填写发现的问题"))
    if data.outcome == Inspection.Outcome.CASE and not (data.case_number.strip() or data.case_id):
        found.append(Violation(rules.CASE_REQUIRED, "立案查处的，请填写立案案号"))
    if found:
        raise Refused(found)
    inspection.inspected_on = data.inspected_on
    inspection.outcome = data.outcome
    inspection.answers = [{"point": str(a.get("point", ""))[:200], "ok": bool(a.get("ok")), "note": str(a.get("note", "") or "").strip()[:500]}
                          for a in data.answers if a.get("ok") is not None]
    inspection.findings = data.findings.strip()
    inspection.case_number = data.case_number.strip()[:60]
    inspection.case_id = data.case_id
    inspection.recorded_by = actor.officer
    inspection.publish_due = add_working_days(data.inspected_on, publish_working_days()).date
    inspection.save()
    ledger.append(_stream(inspection.draw), "result", {
        "inspection": inspection.pk, "entity": inspection.entity_id, "inspected_on": inspection.inspected_on,
        "outcome": inspection.outcome, "case_number": inspection.case_number,
    }, actor=actor)
    return inspection


@use_case
@transaction.atomic
def publish_results(*, task_id: int, actor: access.Actor) -> int:
    """Publish (公示) every recorded, unpublished result of a task; returns how many. One record
    entry for the publication (``draw:<id>``, ``publish``), however many results it publishes;
    nothing is written when there is nothing to publish."""
    task = Task.objects.select_for_update().select_related("plan").filter(pk=task_id).first()
    if task is None:
        raise Http404
    require_manage(actor, task.plan.body_id)
    today = clock.today()
    refuse_if_any(certificate_violations(actor, today))  # R04: publication is the head's act
    pending = Inspection.objects.filter(draw__task=task, published_on__isnull=True).exclude(outcome="")
    if not hasattr(task, "draw") or not pending.exists():  # no draw, or nothing recorded since the last publication
        return 0
    count = pending.update(published_on=today)
    ledger.append(_stream(task.draw), "publish", {"task": task.pk, "published": count, "on": today}, actor=actor)
    return count


@use_case
def open_case_from_inspection(inspection_id: int, *, item_code: str, act_date: dt.date, facts: str = "",
                              actor: access.Actor):
    """Open a case (案源登记) from an inspection's finding (检查发现): the entity becomes the party
    (organisation, name, credit code, address), the clue names the inspection, task and draw, and
    the inspection is linked to the case — all in one transaction (R30). Only the inspection's
    assigned inspectors, the task body's head or the administrator; refused when the inspection
    found no problem or already has a case."""
    from zhifa.cases import (
        services as case_services,  # cases sits beside inspections; imported late
    )

    with transaction.atomic():
        inspection = (Inspection.objects.select_for_update().select_related("task__plan", "draw", "entity")
                      .filter(pk=inspection_id).first())
        if inspection is None:
            raise Http404
        body_id = inspection.task.plan.body_id
        assigned = set(inspection.inspector_ids)
        if not may_open_case(actor, inspection):
            raise PermissionDenied("仅抽取选派的检查人员、该执法主体负责人或系统管理员可以据检查发现登记案源。")
        found = certificate_violations(actor, clock.today())  # R04
        if inspection.outcome not in PROBLEM_OUTCOMES or not inspection.findings.strip():
            found.append(Violation(rules.NO_FINDING, "该检查未录入发现的问题，不能据此登记案源", rules.BASIS_DOUBLE_RANDOM))
        if inspection.case_id or inspection.case_number:
            found.append(Violation(rules.CASE_EXISTS, f"该检查已转立案（{inspection.case_number or inspection.case_id}），不得重复登记"))
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
        }, actor=actor)
        return case
