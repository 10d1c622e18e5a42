"""Who may see and do what in double random, one public (双随机、一公开): the predicates that the
services, the API and the pages share (on top of ``registry.access``: roles and jurisdiction)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied

from zhifa.core.violations import Violation
from zhifa.registry import access
from zhifa.registry import rules as registry_rules
from zhifa.registry.models import Body, Officer
from zhifa.registry.selectors import officer_facts

from .models import Inspection, Task
from .selectors import visible_tasks


def require_manage(actor: access.Actor, body: Body | int) -> None:
    """Plans, tasks, draws and publication are the body's head's (or the administrator's) acts."""
    if not access.can_manage_body(actor, body):
        raise PermissionDenied("仅该执法主体负责人或系统管理员可以编制抽查计划、组织抽取和公示结果。")


def certificate_violations(actor: access.Actor, on: dt.date) -> list[Violation]:
    """R04 (APL art.42) for the acting person: the officer's own enforcement certificate (执法证)
    valid on ``on``, the act's date — ``registry.rules.may_act``, the registry's one rule
    (``CERTIFICATE_INVALID``; auxiliary staff ``AUXILIARY_CANNOT_ACT``). Empty = may act.

    Recording a result, adding or removing site photos, opening a case from a finding and
    publishing results are enforcement acts of an officer. The system administrator without an
    officer record is no officer: the services let them stand in (a correction, the demo) as
    before, and the record names the user."""
    if actor.officer is None:
        return []
    return registry_rules.may_act(officer_facts(actor.officer), on)


def is_assigned(actor: access.Actor, inspector_ids: Iterable[int]) -> bool:
    """Whether ``actor`` acts as one of an inspection's drawn inspectors: one of them, or the
    administrator. Only they record its result and its photos (R28)."""
    return actor.is_admin or (actor.officer is not None and actor.officer.pk in inspector_ids)


def may_open_case(actor: access.Actor, inspection: Inspection) -> bool:
    """Whether ``actor`` may open a case from ``inspection``'s finding: one of its assigned
    inspectors, the head of the task's body or the administrator (the page offers the form to
    them alone; ``open_case_from_inspection`` refuses anyone else)."""
    return is_assigned(actor, inspection.inspector_ids) or access.can_manage_body(actor, inspection.task.plan.body_id)


def may_report_transfer(actor: access.Actor, inspection: Inspection, problem_outcomes) -> bool:
    """Whether the page offers 报告移送涉嫌犯罪 (the transfers app; Order 310 art.3): a recorded
    problem, and a non-auxiliary officer of the task's body (``transfers`` checks the rest)."""
    officer = actor.officer
    return (inspection.outcome in problem_outcomes and bool(inspection.findings.strip()) and officer is not None
            and not officer.is_auxiliary and officer.body_id == inspection.task.plan.body_id)


def auxiliary_only(actor: access.Actor) -> bool:
    """执法辅助人员 with no other role: never drawn, never inspect (R05)."""
    return actor.has(access.Role.AUXILIARY) and not (actor.is_admin or actor.is_supervisor or actor.has(access.Role.HEAD))


def may_use_inspector_pages(actor: access.Actor) -> bool:
    """The inspector database and the conflict declarations are for officers, heads, supervisors
    and the administrator; auxiliary staff are never drawn and the public never sees them."""
    return not actor.is_public and not auxiliary_only(actor)


def insider_task_ids(actor: access.Actor, task_ids: Iterable[int]) -> set[int]:
    """Which of ``task_ids`` the actor sees from inside (a surprise draw's seed and drawn list before
    the task ends, unpublished results, photos): the planning body, partners of a joint task,
    supervisors of the subtree, the administrator — never the public or auxiliary staff. One query."""
    if actor.is_public or auxiliary_only(actor):
        return set()
    return set(visible_tasks(actor).filter(pk__in=list(task_ids)).values_list("pk", flat=True))


def may_see_task(actor: access.Actor, task: Task) -> bool:
    """Staff who may see a task's inspections and their photos (``insider_task_ids``)."""
    return task.pk in insider_task_ids(actor, [task.pk])


def may_see_photos(actor: access.Actor, inspection: Inspection, assigned: set[int] | None = None) -> bool:
    """Site photos (现场照片) are never public: the drawn inspectors and the task's insiders."""
    if actor.is_public or auxiliary_only(actor):
        return False
    if assigned is None:
        assigned = set(inspection.inspector_ids)
    return (actor.officer is not None and actor.officer.pk in assigned) or may_see_task(actor, inspection.task)


def may_declare_for(actor: access.Actor, officer: Officer) -> bool:
    """利益冲突申报: the officer themself, their body's head or the administrator (declare and end)."""
    return actor.is_admin or (actor.officer is not None and actor.officer.pk == officer.pk) or access.can_manage_body(actor, officer.body_id)
