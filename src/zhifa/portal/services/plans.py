"""Filed work plans (执法计划备案, R42; seed G §十二): the body's head files its annual
enforcement plan, its work plan or its procedures; the supervision office over the body's
jurisdiction accepts (备案) or returns them with the reason. Each act recorded on ``plan:<id>``;
the portal shows the accepted plans."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from zhifa.core import clock, ledger
from zhifa.core.usecase import use_case
from zhifa.core.violations import Refused
from zhifa.registry.access import Actor

from .. import permissions, rules
from ..inputs import PlanIn, ReviewIn
from ..models import WorkPlan

NOT_HEAD = "只有执法主体负责人可以报送备案。"
NOT_SUPERVISOR = "只有本区划的执法监督机构可以审查备案。"


@use_case
def file_plan(data: PlanIn, *, actor: Actor) -> WorkPlan:
    """报送备案: the head of a body files a plan of its own body."""
    officer = actor.officer
    if officer is None or not officer.is_head:
        raise PermissionDenied(NOT_HEAD)
    with transaction.atomic():
        plan = WorkPlan.objects.create(body_id=officer.body_id, kind=data.kind, year=data.year, title=data.title,
                                       content=data.content, filed_by=officer, filed_on=clock.today())
        ledger.append(f"plan:{plan.pk}", "file_plan", {
            "label": f"报送备案：{rules.PLAN_KINDS[data.kind]}", "body_id": officer.body_id, "year": data.year,
            "title": data.title, "content": data.content, "basis": rules.PLAN_BASIS}, actor=actor)
    return plan


@use_case
def review_plan(plan_id: int, data: ReviewIn, *, actor: Actor) -> WorkPlan:
    """予以备案 (``accept``) or 退回 (``return``, with the reason): the supervision office."""
    if data.decision not in ("accept", "return"):
        raise Http404("没有这个操作。")
    with transaction.atomic():
        plan = WorkPlan.objects.select_for_update().select_related("body__jurisdiction").filter(pk=plan_id).first()
        if plan is None or not permissions.by_scope(actor, WorkPlan.objects.filter(pk=plan_id)).exists():
            raise Http404("没有这份备案。")
        if not permissions.supervises(actor, plan.body.jurisdiction.path):
            raise PermissionDenied(NOT_SUPERVISOR)
        refused = rules.check_plan_review(plan.state, data.decision, data.reason)
        if refused:
            raise Refused(refused)
        plan.state = "accepted" if data.decision == "accept" else "returned"
        plan.reviewed_on, plan.review_reason = clock.today(), data.reason
        plan.save(update_fields=["state", "reviewed_on", "review_reason"])
        ledger.append(f"plan:{plan.pk}", f"{data.decision}_plan", {
            "label": "予以备案" if data.decision == "accept" else "退回备案", "reason": data.reason,
            "basis": rules.PLAN_BASIS}, actor=actor)
    return plan
