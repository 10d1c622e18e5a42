"""Correction (纠错): self-correction of a decision (自我纠正, R24) and re-issue of a document with a
clerical error (更正重发, R16).
"""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from zhifa.core import citations
from zhifa.core import clock, ledger, workdays
from zhifa.core.usecase import use_case
from zhifa.core.violations import INVALID_INPUT, Violation, refuse_if_any
from zhifa.registry import access

from .. import paperwork, rules
from ..models import Case, Decision
from ..permissions import case_roles, check_actor
from ..selectors import policy
from ._core import (
    _act, action, _actor_name, _lock, _plain,
)


def _correction_documents(case: Case, kind: str, reason: str, kinds: list[str] | None, amount: Decimal | None,
                          actor: access.Actor) -> dict:
    """R24 on paper: a revoked decision's document is voided (it keeps its number, marked 作废);
    an amendment is a new decision document that names the one it amends."""
    from zhifa.documents import services as documents

    old = paperwork.current(case, paperwork.DECISION_KINDS)
    if kind in ("revoke", "void"):  # void: declared void (确认无效, APL art.38) — voided like a revocation
        if old is None:
            return {}
        voided = documents.void_document(old.pk, reason=f"本机关撤销该决定：{reason}", actor=actor, record=False)
        return {"voided_document": paperwork.entry(voided)}
    doc = paperwork.issue(case, "penalty_decision", actor=actor, extra={
        "kinds": list(kinds or []), "amount": amount, "reasoning": reason, "amends": old.number if old else ""})
    return paperwork.record(doc) | ({"amends_document": paperwork.entry(old)} if old else {})


@action("correct")
@use_case
def correct(case_id: int, *, kind: str, reason: str, kinds: list[str] | None = None, amount: Decimal | None = None,
            actor: access.Actor) -> Decision:
    """自我纠正 (R24): revoke or amend a decision with reasons; a published decision must be
    withdrawn within 3 working days (APL art.48). An amendment is never heavier (APL art.45)."""
    today = clock.today()
    with _act(case_id, "correct", actor) as (case, act):
        act.v += rules.check_reason(reason, "撤销或者变更决定", "行政处罚法第四十八条；行政复议法")
        if kind not in ("revoke", "amend", "void"):
            act.v.append(Violation(INVALID_INPUT, "纠正方式应为撤销或者变更。", rules.ART47))
        if kind == "amend":
            kinds = list(kinds or [])
            act.v += rules.check_penalty_kinds(kinds, amount)
            if (amount or 0) > (case.decision_amount or 0) or any(k not in (case.decision_kinds or []) for k in kinds):
                act.v.append(Violation(rules.PENALTY_ABOVE_NOTICE, "变更决定不得加重原处罚；需加重的应当重新调查、告知。", rules.ART45))
        act.refuse()
        withdraw_by = workdays.add_working_days(today, 3)  # APL art.48: withdraw publication within 3 working days
        decision = Decision.objects.create(case=case, kind=kind, outcome="penalty" if kind == "amend" else "revoked",
                                           kinds=kinds or [], amount=amount if kind == "amend" else None, decided_on=today,
                                           reasoning=reason, content=_plain({"reason": reason, "withdraw_publication_by": withdraw_by.date}))
        docs = _correction_documents(case, kind, reason, kinds, amount, actor)
        if case.published_on:  # APL art.48 ¶2: withdraw the published decision within 3 working days
            case.withdrawal_due = workdays.add_working_days(today, policy().withdrawal_working_days).date
        if kind == "amend" and case.outcome == "penalty" and (case.procedure == "normal" or policy().publish_simple_procedure):
            case.publication_due = workdays.add_working_days(today, policy().publication_rule(case.body.sector)[0]).date
        if kind in ("revoke", "void"):  # void: 确认无效 (APL art.38)
            case.decision_kinds, case.decision_amount, case.payment_due = [], None, None
            target = "closed" if case.state != "closed" else None
            if target:
                case.closed_on = today
        else:
            case.decision_kinds, case.decision_amount = kinds, amount
            target = "executed" if case.state == "served" and case.paid_amount >= (amount or 0) else None
        act.commit({"decision_id": decision.pk, "kind": kind, "reason": reason, "kinds": kinds, "amount": amount,
                    "withdraw_publication_by": withdraw_by.date, **docs}, target=target)
        return decision


def _merge(data: dict, corrections: dict) -> dict:
    merged = dict(data)
    for key, value in corrections.items():
        merged[key] = _merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged


@use_case
def reissue_case_document(case_id: int, document_id: int, *, corrections: dict, reason: str, actor: access.Actor):
    """更正重发: correct a clerical error in one of the case's documents — a new version with the
    same number, the old one kept as superseded — and record it. A decision can be corrected this
    way only before it is served; afterwards a change is a self-correction (``correct``, R24)."""
    from zhifa.documents import services as documents
    from zhifa.documents.models import Document

    with transaction.atomic():
        case = _lock(case_id, actor)
        if "officer" not in case_roles(actor, case):
            raise PermissionDenied("只有本主体持证执法人员可以更正本案文书。")
        old = Document.objects.filter(subject=case.stream, pk=document_id).first()
        if old is None:
            raise Http404("本案没有该文书。")
        v = check_actor(actor, case, "officer", "更正本案文书", clock.today())  # R04 and 承办
        v += rules.check_reason(reason, "更正文书", citations.APL_ART48)
        if old.status != Document.Status.ISSUED:
            v.append(Violation(rules.WRONG_STATE, f"该文书状态为“{old.get_status_display()}”，只有有效的文书可以更正。", ""))
        if old.kind in paperwork.DECISION_KINDS and case.state != "decided":
            v.append(Violation(rules.WRONG_STATE, "决定书已送达或者已执行，不能更正重发；请通过自我纠正撤销或者变更决定。", citations.APL_ART48))
        bad = sorted(k for k in corrections if k in ("body", "issued_on"))
        if bad:
            v.append(Violation(INVALID_INPUT, f"不能更正{'、'.join(bad)}（由系统填写）。", ""))
        refuse_if_any(v)
        new = documents.reissue_document(old.pk, data=_merge(old.data, corrections), actor=actor, record=False)
        ledger.append(case.stream, "reissue_document", {"label": "更正文书", "reason": reason, "corrections": corrections,
                                                        "superseded": paperwork.entry(old), "version": case.version,
                                                        **paperwork.record(new)},
                      actor=actor.user, actor_name=_actor_name(actor))
        return new
