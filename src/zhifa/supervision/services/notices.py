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

from zhifa.documents.files import TransactionFiles
from zhifa.documents.modes import IMMEDIATE, WORKER, rendering_mode

from .. import inputs, notice_document, permissions
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
            issued_by=ledger.user_of(actor), served_on=today)  # served electronically: the body's list and to-do show it
        mode = rendering_mode()
        if mode == IMMEDIATE:
            _render(notice)
        elif mode == WORKER:  # the worker makes the document after the commit (its task row commits with the notice)
            from ..tasks import render_notice

            render_notice.enqueue(notice.pk)
        NoticeStep.objects.create(notice=notice, action="issue", on=today, actor=ledger.user_of(actor), actor_name=actor_name(actor),
                                  text=data.rectify)
        ledger.append(notice.stream, "issue", {"label": f"下发{notice.title}", "number": notice.number, "body_id": body.pk,
                                               "source": data.source, "evaluation_id": data.evaluation_id,
                                               "case_id": case.pk if case else None, "findings": data.findings, "basis": data.basis,
                                               "rectify": data.rectify, "due": notice.due, "served_on": notice.served_on,
                                               "pdf_sha256": notice.pdf_sha256, "docx_sha256": notice.docx_sha256},
                      actor=actor, actor_name=actor_name(actor))
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


# --- The notice as a document (监督文书) -----------------------------------------------------------

def _render(notice: SupervisionNotice) -> None:
    """Render ``notice`` (locked or new) to PDF and DOCX and store them with their SHA-256."""
    pdf, docx = notice_document.render(notice)
    files = TransactionFiles()
    stem = f"supervision_notices/{notice.issued_on.year}/notice-{notice.pk}"
    notice.pdf, notice.pdf_sha256 = files.save(stem + ".pdf", pdf)
    notice.docx, notice.docx_sha256 = files.save(stem + ".docx", docx)
    notice.save(update_fields=["pdf", "pdf_sha256", "docx", "docx_sha256"])


@use_case(derived=True)
def ensure_notice_document(notice_id: int) -> SupervisionNotice:
    """The notice's PDF and DOCX, made once (deferred rendering: on first download), their
    SHA-256 appended to ``notice:<id>`` (``notice_rendered``)."""
    with transaction.atomic():
        notice = (SupervisionNotice.objects.select_for_update(of=("self",)).select_related("body", "issuer", "case")
                  .get(pk=notice_id))
        if notice.pdf:
            return notice
        _render(notice)
        ledger.append(notice.stream, "notice_rendered", {"label": f"生成{notice.title}文书", "pdf_sha256": notice.pdf_sha256,
                                                          "docx_sha256": notice.docx_sha256})
        return notice


# --- Escalation of overdue notices (逾期督办) -------------------------------------------------------

ESCALATION_FILE = Path(__file__).resolve().parent.parent / "notice_escalation.toml"


@query
def escalation_settings() -> dict:
    """The periods of ``notice_escalation.toml``, overridden by ``settings.ZHIFA["NOTICE_ESCALATION"]``."""
    shipped = tomllib.loads(ESCALATION_FILE.read_text(encoding="utf-8"))
    return {**shipped, **((getattr(settings, "ZHIFA", {}) or {}).get("NOTICE_ESCALATION", {}) or {})}


def _escalation_target(issuer: Jurisdiction) -> str:
    """The people's government at the office's level (O825 art.6) and the supervision office one
    level up, when there is one."""
    target = f"{issuer.name}人民政府"
    if issuer.parent_id is not None:
        target += f"、{issuer.parent.name}司法局（行政执法监督机构）"
    return target


def _escalate(notice: SupervisionNotice, step: str, today, conf: dict) -> None:
    if step == rules.REMIND:
        notice.reminded_on = today
        text = f"{notice.title}（{notice.number}）已于{notice.due:%Y-%m-%d}到期，被监督主体未报送整改情况，予以催办。"
    else:
        notice.escalated_on, notice.escalated_to = today, _escalation_target(notice.issuer)
        text = f"{notice.title}（{notice.number}）经{notice.reminded_on:%Y-%m-%d}催办仍未报送整改情况，报请{notice.escalated_to}处理。"
    notice.save(update_fields=["reminded_on", "escalated_on", "escalated_to"])
    NoticeStep.objects.create(notice=notice, action=step, on=today, actor_name="系统（逾期督办）", text=text)
    ledger.append(notice.stream, step, {"label": rules.ESCALATION_LABELS[step], "text": text, "due": notice.due,
                                        "escalated_to": notice.escalated_to, "basis": conf.get("basis", "")}, actor_name="系统")


@use_case
def sweep_overdue(today=None) -> str:
    """``zhifa sweep``: remind, then escalate, every notice left unanswered past its deadline
    (``rules.notices.escalation_step``, working days of ``notice_escalation.toml``), each step a
    ``NoticeStep`` and an entry on ``notice:<id>``. Returns the line the sweep prints."""
    today = today or clock.today()
    conf = escalation_settings()
    counts = {rules.REMIND: 0, rules.ESCALATE: 0}
    candidates = SupervisionNotice.objects.filter(state__in=(rules.ISSUED, rules.RETURNED), escalated_on__isnull=True,
                                                  due__lt=today).values_list("pk", flat=True)
    for pk in list(candidates):
        with transaction.atomic():
            notice = SupervisionNotice.objects.select_for_update(of=("self",)).select_related("issuer__parent").get(pk=pk)
            step = rules.escalation_step(notice.state, notice.due, notice.reminded_on, notice.escalated_on, today,
                                         add_workdays=lambda day, n: workdays.add_working_days(day, n).date,
                                         reminder_after=int(conf["reminder_after_workdays"]),
                                         escalate_after=int(conf["escalate_after_workdays"]))
            if step is not None:
                _escalate(notice, step, today, conf)
                counts[step] += 1
    return f"监督通知书逾期督办：催办 {counts[rules.REMIND]} 件，报请处理 {counts[rules.ESCALATE]} 件。"
