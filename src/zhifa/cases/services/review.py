"""Legal review (法制审核, R18, APL art.58): request and conclusion.
"""
from __future__ import annotations


from django.core.exceptions import PermissionDenied

from zhifa.core import clock
from zhifa.core.usecase import use_case
from zhifa.core.violations import INVALID_INPUT, Refused, Violation
from zhifa.registry import access
from zhifa.registry.models import Officer

from .. import paperwork, rules
from ..models import LegalReview
from ._core import (
    _act, action, _digest, _officer_ids, _plain, _review_needed,
)


@action("request_review")
@use_case
def request_review(case_id: int, *, reviewer_id: int, actor: access.Actor) -> LegalReview:
    """Send to a legal reviewer of the body — or of its county department for a township body."""
    today = clock.today()
    with _act(case_id, "request_review", actor) as (case, act):
        reviewer = Officer.objects.filter(pk=reviewer_id, status=Officer.Status.ACTIVE).first()
        allowed_bodies = {case.body_id, case.body.parent_department_id}
        if reviewer is None or reviewer.body_id not in allowed_bodies:
            raise Refused([Violation(rules.REVIEWER_NOT_QUALIFIED, "法制审核人员应当是本主体或者其上级主管部门（提级审核）的法制审核人员。", rules.ART58)])
        if case.review_status == "pending":
            act.v.append(Violation(rules.WRONG_STATE, "本案已在法制审核中。", rules.ART58))
        first_time = not LegalReview.objects.filter(reviewer=reviewer, completed_on__isnull=False).exists()
        act.v += rules.check_reviewer(reviewer.pk, _officer_ids(case), reviewer.is_legal_reviewer, reviewer.has_legal_qualification, first_time)
        act.refuse()
        _, reasons = _review_needed(case, case.proposed_kinds, case.proposed_amount)
        review = LegalReview.objects.create(case=case, reviewer=reviewer, requested_on=today, reasons=reasons)
        case.review_status = "pending"
        case.review_requested_on = today
        act.commit({"review_id": review.pk, "reviewer_id": reviewer.pk, "reasons": reasons},
                   fields=["review_status", "review_requested_on"])
        return review


@action("complete_review")
@use_case
def complete_review(case_id: int, *, result: str, opinion: str, checklist: dict | None = None, actor: access.Actor) -> LegalReview:
    """法制审核结论: pass or fail with opinions, item by item on the checklist."""
    today = clock.today()
    with _act(case_id, "complete_review", actor) as (case, act):
        review = case.reviews.filter(completed_on__isnull=True).order_by("-id").first()
        if review is None:
            raise Refused([Violation(rules.WRONG_STATE, "本案没有待完成的法制审核。", rules.ART58)])
        if review.reviewer_id != getattr(actor.officer, "pk", None):
            raise PermissionDenied("只有被指定的法制审核人员可以作出审核结论。")
        if result not in ("pass", "fail"):
            act.v.append(Violation(INVALID_INPUT, "审核结论应为通过或者不通过。", rules.ART58))
        if result == "fail":
            act.v += rules.check_reason(opinion, "审核不通过", rules.ART58)
        act.refuse()
        checklist = {k: (checklist or {}).get(k, result == "pass") for k in LegalReview.CHECKLIST}
        review.result, review.opinion, review.checklist, review.completed_on = result, opinion, checklist, today
        review.save()
        case.review_status = result
        case.review_basis = {"kinds": list(case.proposed_kinds or []), "amount": case.proposed_amount} if result == "pass" else {}
        case.review_basis = _plain(case.review_basis)
        content = {"result": result, "opinion": opinion, "checklist": checklist, "reasons": review.reasons}
        doc = paperwork.issue(case, "legal_review_opinion", actor=actor, extra=paperwork.legal_review_data(case, review, actor),
                              body=actor.body_id if actor.body_id != case.body_id else None)  # 提级审核: the reviewer's body
        act.commit({"review_id": review.pk, **content, "document": "legal_review_opinion",
                    "content_sha256": _digest(content), **paperwork.record(doc)}, fields=["review_status"])
        return review
