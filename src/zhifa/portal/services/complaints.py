"""Complaints and reports (投诉举报, R35; legal-rules §H, SAMR Order 20 as the model).

``file_complaint`` is the public's act on the portal (no login): it checks the identity rule
(a complaint is named, a report may be anonymous), the per-address rate limit, computes the
acceptance deadline (7 working days, working-day calendar) and records ``complaint:<id>``.
``act_on_complaint`` is the body's act (accept, reject, handle, answer, mark abusive), by its
head or a legal reviewer, each recorded on the same stream. The complainant's identity never
enters a record entry (SAMR20 art.33): the entries say only whether the filing was named.
"""
from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from zhifa.core import clock, ledger, workdays
from zhifa.core.usecase import use_case
from zhifa.core.violations import Refused, Violation
from zhifa.registry.access import Actor
from zhifa.registry.models import Body

from .. import abuse, permissions, rules
from ..inputs import ComplaintActionIn, ComplaintIn
from ..models import Complaint, ContactPoint

PUBLIC_NAME = "社会公众（门户）"
UNKNOWN_BODY = "COMPLAINT_UNKNOWN_BODY"
UNKNOWN_CHANNEL = "CONTACT_CHANNEL_UNKNOWN"


RateLimited = abuse.RateLimited


def _tracking_code() -> str:
    return "TS" + "".join(secrets.choice(rules.TRACKING_ALPHABET) for _ in range(rules.TRACKING_LENGTH))


def _stream(complaint: Complaint) -> str:
    return f"complaint:{complaint.pk}"


@use_case
def file_complaint(data: ComplaintIn, *, source: str, actor: Actor | None = None) -> Complaint:
    """File a complaint or report (登记). Refused (409) when a complaint is unnamed (art.9) or the
    body is not a published one; ``RateLimited`` past the per-address limit."""
    now = clock.now()
    today = clock.today()
    digest = abuse.source_hash(source)
    found: list[Violation] = rules.check_identity(rules.Kind(data.kind), data.anonymous, data.reporter_name,
                                                  data.reporter_phone)
    body = Body.objects.filter(pk=data.body_id, is_published=True).first()
    if body is None:
        found.append(Violation(UNKNOWN_BODY, "请选择已公示的执法主体。", ""))
    contact = None
    if data.channel_code:
        contact = (ContactPoint.objects.filter(channel_code=data.channel_code.upper(), term_start__lte=today, term_end__gte=today,
                                               ended_on__isnull=True).first())
        if contact is None:
            found.append(Violation(UNKNOWN_CHANNEL, "专用渠道码无效或聘期已满。", rules.CONTACT_BASIS))
    if found:
        raise Refused(found)
    with transaction.atomic():
        abuse.check_rate(Complaint, digest, now, rules.FILINGS_PER_ADDRESS_PER_HOUR, "received_at", "投诉举报")
        anonymous = data.anonymous and data.kind == rules.Kind.REPORT.value
        complaint = Complaint.objects.create(
            tracking_code=_tracking_code(), kind=data.kind, body=body, act_reference=data.act_reference,
            subject=data.subject, facts=data.facts, request=data.request, known_on=data.known_on, anonymous=anonymous,
            reporter_name="" if anonymous else data.reporter_name, reporter_phone="" if anonymous else data.reporter_phone,
            reporter_address="" if anonymous else data.reporter_address,
            reporter_email="" if anonymous else data.reporter_email,
            source_hash=digest, received_at=now, received_on=today, contact=contact,
            accept_due=workdays.add_working_days(today, rules.ACCEPTANCE_WORKING_DAYS).date,
        )
        ledger.append(_stream(complaint), "file_complaint", {
            "label": f"登记{rules.Kind(data.kind).label}", "kind": data.kind, "body_id": body.pk,
            "subject": data.subject, "act_reference": data.act_reference, "named": not anonymous,
            "channel": contact.kind if contact else "public",
            "received_on": today, "accept_due": complaint.accept_due,
            "limitation_passed": rules.limitation_passed(data.known_on, today), "basis": rules.citations.SAMR20_ART14,
        }, actor=actor, actor_name=PUBLIC_NAME)
    return complaint


@use_case
def act_on_complaint(complaint_id: int, action: str, data: ComplaintActionIn, *, actor: Actor) -> Complaint:
    """受理 / 不予受理 / 处理 / 答复 / 标记滥用: the body's head or legal reviewer acts; every
    violation at once (409); recorded on ``complaint:<id>``."""
    if action not in rules.ACTIONS:
        raise Http404("没有这个操作。")
    today = clock.today()
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().filter(pk=complaint_id).first()
        if complaint is None or not permissions.visible(actor, Complaint.objects.filter(pk=complaint_id)).exists():
            raise Http404("没有这件投诉举报。")
        if not permissions.may_handle(actor, complaint.body_id):
            raise PermissionDenied(permissions.REFUSED)
        refused = rules.check_action(complaint.state_enum, action, data.text) + rules.check_finding(action, data.finding)
        if refused:
            raise Refused(refused)
        step = rules.ACTIONS[action]
        payload = {"label": step.label, "from": complaint.state, "to": step.target.value, "text": data.text}
        if action in ("accept", "reject"):
            complaint.decided_on = today
            payload.update(due=complaint.accept_due, late=today > complaint.accept_due)
        if action in ("reject", "mark_abusive"):
            complaint.state_reason = data.text
        elif action == "handle":
            complaint.handling_note, complaint.finding = data.text, data.finding
            payload.update(finding=data.finding, finding_label=rules.FINDINGS[data.finding], basis=rules.FINDING_BASIS)
        elif action == "answer":
            complaint.answer, complaint.answered_on = data.text, today
        complaint.state = step.target.value
        complaint.save()
        ledger.append(_stream(complaint), action, payload, actor=actor)
    return complaint
