"""Enterprise contact points (行政执法监督企业联系点) and special supervisors (特邀行政执法监督员),
seed D §六: registered with their term — a contact point of a body by its head or the
supervision office, a special supervisor of a jurisdiction by the supervision office — each with
a channel code of its own to file complaints and reports through (``file_complaint``); ended
early with the reason. Recorded on ``contact:<id>``."""
from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from zhifa.core import clock, ledger
from zhifa.core.usecase import use_case
from zhifa.core.violations import Refused, Violation
from zhifa.registry.access import Actor
from zhifa.registry.models import Body, Jurisdiction

from .. import permissions, rules
from ..inputs import ContactIn, ReviewIn
from ..models import ContactPoint

NOT_ALLOWED = "企业联系点由执法主体负责人或执法监督机构登记；特邀监督员由执法监督机构登记。"


def _channel_code() -> str:
    return "LX" + "".join(secrets.choice(rules.TRACKING_ALPHABET) for _ in range(10))


def _scope(actor: Actor, data: ContactIn) -> tuple[Body | None, Jurisdiction]:
    """The body and jurisdiction the contact is registered for, or ``PermissionDenied``."""
    body = Body.objects.select_related("jurisdiction").filter(pk=data.body_id).first() if data.body_id else None
    if data.body_id and body is None:
        raise Refused([Violation(rules.CONTACT_SCOPE, "没有这个执法主体。", rules.CONTACT_BASIS)])
    if body is not None:
        own_head = actor.officer is not None and actor.officer.is_head and actor.officer.body_id == body.pk
        if not (own_head and data.kind == "enterprise") and not permissions.supervises(actor, body.jurisdiction.path):
            raise PermissionDenied(NOT_ALLOWED)
        return body, body.jurisdiction
    if not (actor.is_admin or actor.is_supervisor):
        raise PermissionDenied(NOT_ALLOWED)
    path = actor.jurisdiction_path or ""
    jurisdiction = (Jurisdiction.objects.filter(path=path).first() if path
                    else Jurisdiction.objects.order_by("path").first())
    if jurisdiction is None:
        raise PermissionDenied(NOT_ALLOWED)
    return None, jurisdiction


@use_case
def register_contact(data: ContactIn, *, actor: Actor) -> ContactPoint:
    """登记: every violation at once (409)."""
    body, jurisdiction = _scope(actor, data)
    refused = rules.check_contact(data.kind, body is not None, data.term_start, data.term_end)
    if refused:
        raise Refused(refused)
    with transaction.atomic():
        contact = ContactPoint.objects.create(kind=data.kind, body=body, jurisdiction=jurisdiction, name=data.name,
                                              organisation=data.organisation, term_start=data.term_start,
                                              term_end=data.term_end, channel_code=_channel_code())
        ledger.append(f"contact:{contact.pk}", "register_contact", {
            "label": f"登记{rules.CONTACT_KINDS[data.kind]}", "name": data.name, "organisation": data.organisation,
            "body_id": body.pk if body else None, "jurisdiction_id": jurisdiction.pk, "term_start": data.term_start,
            "term_end": data.term_end, "basis": rules.CONTACT_BASIS}, actor=actor)
    return contact


@use_case
def end_contact(contact_id: int, data: ReviewIn, *, actor: Actor) -> ContactPoint:
    """提前终止 (解聘): with the reason; who may register it may end it."""
    with transaction.atomic():
        contact = ContactPoint.objects.select_for_update().select_related("jurisdiction").filter(pk=contact_id).first()
        if contact is None:
            raise Http404("没有这个联系点或特邀监督员。")
        own_head = (actor.officer is not None and actor.officer.is_head and contact.kind == "enterprise"
                    and actor.officer.body_id == contact.body_id)
        if not (own_head or permissions.supervises(actor, contact.jurisdiction.path)):
            raise PermissionDenied(NOT_ALLOWED)
        found = []
        if contact.ended_on is not None:
            found.append(Violation(rules.CONTACT_TERM_INVALID, "已经终止。", rules.CONTACT_BASIS))
        if not data.reason.strip():
            found.append(Violation(rules.REASON_REQUIRED, "请写明终止的理由。", rules.CONTACT_BASIS))
        if found:
            raise Refused(found)
        contact.ended_on, contact.end_reason = clock.today(), data.reason
        contact.save(update_fields=["ended_on", "end_reason"])
        ledger.append(f"contact:{contact.pk}", "end_contact", {"label": "提前终止", "reason": data.reason,
                                                               "basis": rules.CONTACT_BASIS}, actor=actor)
    return contact
