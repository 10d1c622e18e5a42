"""An inspection's finding as the start of a criminal transfer (检查发现涉嫌犯罪的移送, Order 310
art.3: an agency that finds a suspected crime "in the course of enforcement" transfers it — an
inspection is enforcement as much as a case is).

``transfers`` and ``inspections`` are sibling apps (neither imports the other): ``transfers``
reads the finding through ``settings.ZHIFA["TRANSFER_FINDING_SOURCE"]``, this module's
``finding``, as plain data. Read only; the inspection is not changed by a transfer (its own record
keeps the finding, the transfer's record names the inspection)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zhifa.registry import access

from .models import Inspection
from .selectors import PROBLEM_OUTCOMES, visible_tasks


@dataclass(frozen=True)
class Finding:
    inspection_id: int
    body_id: int
    party_name: str
    party_id_code: str
    party_address: str
    findings: str
    has_problem: bool  # a problem outcome with the findings written down
    inspected_on: dt.date | None
    inspector_ids: tuple[int, ...]
    case_id: int | None  # when the finding became a case already
    cause: str  # 案由 as the transfer's documents print it
    reference: str  # where the matter comes from, as the transfer's record and pages name it


def finding(inspection_id: int, actor: access.Actor) -> Finding | None:
    """The finding of ``inspection_id`` if the actor may see its task (``visible_tasks``), else None."""
    i = (Inspection.objects.select_related("task", "task__plan", "entity")
         .filter(pk=inspection_id, task__in=visible_tasks(actor).values("pk")).first())
    if i is None:
        return None
    return Finding(
        inspection_id=i.pk, body_id=i.task.plan.body_id, party_name=i.entity.name, party_id_code=i.entity.credit_code,
        party_address=i.entity.address, findings=i.findings.strip(),
        has_problem=i.outcome in PROBLEM_OUTCOMES and bool(i.findings.strip()), inspected_on=i.inspected_on,
        inspector_ids=tuple(i.inspector_ids or ()), case_id=i.case_id,
        cause=f"在“{i.task.title}”检查中发现的违法行为",
        reference=(f"双随机抽查检查记录 #{i.pk}（任务“{i.task.title}”，抽取 #{i.draw_id}，"
                   f"检查日期 {i.inspected_on.isoformat() if i.inspected_on else '未填'}）"))
