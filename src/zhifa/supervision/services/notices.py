"""Supervision notices (行政执法监督通知书 / 意见书 / 案卷评查单, R32) and the rectification loop:
issue → the body responds with its rectification and evidence → the office accepts (closes) or
sends it back; a notice closes only on accepted evidence (``RECTIFICATION_EVIDENCE_REQUIRED``).
Every step is a ``NoticeStep`` and an entry on ``notice:<id>``. The kinds and response periods
(working days) are data: ``notice_kinds.toml``, overridable by ``settings.ZHIFA["NOTICE_KINDS"]``.
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from zhifa.cases.selectors import get_case
from zhifa.core import clock, ledger, workdays
from zhifa.core.usecase import query, use_case
from zhifa.core.violations import INVALID_INPUT, Refused, Violation
from zhifa.registry import access
from zhifa.registry.models import Body, Jurisdiction

from .. import inputs, permissions
from ..models import Evaluation, NoticeStep, SupervisionNotice
from ..permissions import actor_name
from ..rules import notices as rules
from ..rules.codes import BASIS_NOTICE

KINDS_FILE = Path(__file__).resolve().parent.parent / "notice_kinds.toml"


@lru_cache(maxsize=1)
def _shipped_kinds() -> dict:
    return tomllib.loads(KINDS_FILE.read_text(encoding="utf-8"))


@query
def notice_kinds() -> dict:
    """kind → {title, response_workdays}: the shipped data, overridden by settings."""
    return {**_shipped_kinds(), **((getattr(settings, "ZHIFA", {}) or {}).get("NOTICE_KINDS", {}) or {})}


@query
def notices_in_scope(actor: access.Actor):
    """Notices the actor may read: the office's jurisdiction subtree, a body's own notices, all for the administrator."""
    qs = SupervisionNotice.objects.select_related("body", "issuer")
    if actor.is_admin:
        return qs
    from django.db.models import Q

    condition = Q(pk__in=[])
    if actor.jurisdiction_path:
        condition |= Q(body__jurisdiction__path__startswith=actor.jurisdiction_path)
    if actor.body_id is not None:
        condition |= Q(body_id=actor.body_id)
    return qs.filter(condition)


@use_case
def issue_notice(data: inputs.NoticeIn, *, actor: access.Actor) -> SupervisionNotice:
    """下发: the office issues a notice to a body in its jurisdiction, with findings, basis, what to
    rectify and the response deadline (working days of its kind)."""
    permissions.require_office(actor, "下发监督通知书")
    body = access.scope_bodies(actor, Body.objects.select_related("jurisdiction")).filter(pk=data.body_id).first()
    if body is None:
        raise Refused([Violation(INVALID_INPUT, "被监督主体应在本监督机构所辖范围内。", BASIS_NOTICE)])
    kind = notice_kinds()[data.kind]
    evaluation = None
    if data.evaluation_id:
        evaluation = Evaluation.objects.filter(pk=data.evaluation_id, body=body).first()
        if evaluation is None:
            raise Refused([Violation(INVALID_INPUT, "所涉评查不存在或不属于该主体。", BASIS_NOTICE)])
    case = get_case(data.case_id, actor) if data.case_id else (evaluation.case_file.case if evaluation else None)
    if case is not None and case.body_id != body.pk:
        raise Refused([Violation(INVALID_INPUT, "所涉案件不属于该主体。", BASIS_NOTICE)])
    today = clock.today()
    issuer = Jurisdiction.objects.get(path=actor.jurisdiction_path) if actor.jurisdiction_path else body.jurisdiction
    with transaction.atomic():
        Jurisdiction.objects.select_for_update().filter(pk=issuer.pk).first()  # numbers gapless per issuer and year
        seq = SupervisionNotice.objects.filter(issuer=issuer, issued_on__year=today.year).count() + 1
        notice = SupervisionNotice.objects.create(
            kind=data.kind, title=kind["title"], number=f"{issuer.name}监督〔{today.year}〕{seq}号", body=body, issuer=issuer,
            source=data.source, evaluation=evaluation, case=case, findings=data.findings, basis=data.basis,
            rectify=data.rectify, issued_on=today, due=workdays.add_working_days(today, int(kind["response_workdays"])).date,
            issued_by=ledger.user_of(actor))
        NoticeStep.objects.create(notice=notice, action="issue", on=today, actor=ledger.user_of(actor), actor_name=actor_name(actor),
                                  text=data.rectify)
        ledger.append(notice.stream, "issue", {"label": f"下发{notice.title}", "number": notice.number, "body_id": body.pk,
                                               "source": data.source, "evaluation_id": data.evaluation_id,
                                               "case_id": case.pk if case else None, "findings": data.findings, "basis": data.basis,
                                               "rectify": data.rectify, "due": notice.due}, actor=actor, actor_name=actor_name(actor))
        return notice


@use_case
def act_on_notice(notice_id: int, action: str, data: inputs.NoticeActionIn, *, actor: access.Actor) -> SupervisionNotice:
    """One step of the loop: ``respond`` (the body: rectification and evidence), ``accept`` (the
    office: closes on the latest response's evidence) or ``send_back`` (the office, with why)."""
    if action not in rules.ACTIONS:
        raise Http404("没有这个办理环节。")
    step = rules.ACTIONS[action]
    with transaction.atomic():
        notice = notices_in_scope(actor).select_for_update(of=("self",)).filter(pk=notice_id).first()
        if notice is None:
            raise Http404("没有这份监督通知书，或您无权查看。")
        if step.side == "body" and not (actor.body_id == notice.body_id and permissions.may_bind(actor, notice.body_id)):
            raise PermissionDenied("只有被监督主体的执法人员可以反馈整改情况。")
        if step.side == "office":
            permissions.require_office(actor, step.label)
        last_response = notice.steps.filter(action="respond").order_by("-id").first()
        evidence = [e.model_dump() for e in data.evidence]
        count = len(evidence) if action == "respond" else (len(last_response.evidence) if last_response else 0)
        refused = rules.check_action(action, notice.state, evidence_count=count, text=data.text)
        if refused:
            raise Refused(refused)
        today = clock.today()
        notice.state = step.target
        if step.target == rules.CLOSED:
            notice.closed_on = today
        notice.save(update_fields=["state", "closed_on"])
        NoticeStep.objects.create(notice=notice, action=action, on=today, actor=ledger.user_of(actor), actor_name=actor_name(actor),
                                  text=data.text, evidence=evidence)
        ledger.append(notice.stream, action, {"label": step.label, "to": notice.state, "text": data.text, "evidence": evidence,
                                              "overdue": today > notice.due and action == "respond"},
                      actor=actor, actor_name=actor_name(actor))
        return notice
