"""Accountability, exemption and fault tolerance (问责、免责、容错纠错, R39): records referencing
their source, the persons concerned and the finding; exemption proposed and approved by different
people, with a ground from ``accountability_grounds.toml``; every step on ``accountability:<id>``."""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from django.db import transaction
from django.db.models import Count
from django.http import Http404

from zhifa.core import clock, ledger
from zhifa.core.usecase import query, use_case
from zhifa.core.violations import INVALID_INPUT, Refused, Violation
from zhifa.registry import access
from zhifa.registry.models import Body, Officer

from .. import inputs, permissions
from ..models import AccountabilityRecord, Evaluation, SupervisionNotice
from ..permissions import actor_name
from ..rules import accountability as rules
from ..rules.codes import BASIS_ACCOUNTABILITY

GROUNDS_FILE = Path(__file__).resolve().parent.parent / "accountability_grounds.toml"


@query
@lru_cache(maxsize=1)
def grounds() -> dict:
    return tomllib.loads(GROUNDS_FILE.read_text(encoding="utf-8"))


@query
def records_in_scope(actor: access.Actor):
    qs = AccountabilityRecord.objects.select_related("body")
    if actor.is_admin:
        return qs
    if not actor.jurisdiction_path:
        return qs.none()
    return qs.filter(body__jurisdiction__path__startswith=actor.jurisdiction_path)


@query
def report(actor: access.Actor) -> dict:
    """"Corrected, exempted, held accountable" (and still open), counted in the actor's scope."""
    counts = dict(records_in_scope(actor).values_list("state").annotate(n=Count("id")).order_by())
    return {state: counts.get(state, 0) for state in rules.STATE_LABELS}


@use_case
def open_record(data: inputs.AccountabilityIn, *, actor: access.Actor) -> AccountabilityRecord:
    permissions.require_office(actor, "登记问责事项")
    body = access.scope_bodies(actor, Body.objects.all()).filter(pk=data.body_id).first()
    found = []
    if body is None:
        raise Refused([Violation(INVALID_INPUT, "所涉主体应在本监督机构所辖范围内。", BASIS_ACCOUNTABILITY)])
    officers = list(Officer.objects.filter(pk__in=data.officer_ids, body=body))
    if len(officers) != len(set(data.officer_ids)):
        found.append(Violation(INVALID_INPUT, "涉及人员应为该主体的人员。", BASIS_ACCOUNTABILITY))
    evaluation = Evaluation.objects.filter(pk=data.evaluation_id, body=body).first() if data.evaluation_id else None
    notice = SupervisionNotice.objects.filter(pk=data.notice_id, body=body).first() if data.notice_id else None
    if (data.evaluation_id and evaluation is None) or (data.notice_id and notice is None):
        found.append(Violation(INVALID_INPUT, "所涉评查或监督通知书不存在或不属于该主体。", BASIS_ACCOUNTABILITY))
    if data.source == "evaluation" and evaluation is None or data.source == "notice" and notice is None:
        found.append(Violation(INVALID_INPUT, "请注明来源的评查或监督通知书。", BASIS_ACCOUNTABILITY))
    if found:
        raise Refused(found)
    with transaction.atomic():
        record = AccountabilityRecord.objects.create(body=body, source=data.source, evaluation=evaluation, notice=notice,
                                                     source_ref=data.source_ref, finding=data.finding, opened_on=clock.today())
        record.persons.set(officers)
        ledger.append(record.stream, "open", {"label": "登记问责事项", "body_id": body.pk, "source": data.source,
                                              "evaluation_id": data.evaluation_id, "notice_id": data.notice_id,
                                              "source_ref": data.source_ref, "persons": sorted(o.pk for o in officers),
                                              "finding": data.finding}, actor=actor, actor_name=actor_name(actor))
        return record


@use_case
def act_on_record(record_id: int, action: str, data: inputs.AccountabilityActionIn, *, actor: access.Actor) -> AccountabilityRecord:
    """One decision: propose an exemption (a ground of the list), approve or reject it (another
    person), record the correction, or hold accountable."""
    if action not in rules.ACTIONS:
        raise Http404("没有这个办理环节。")
    permissions.require_office(actor, rules.ACTION_LABELS[action])
    user = ledger.user_of(actor)
    with transaction.atomic():
        record = records_in_scope(actor).select_for_update(of=("self",)).filter(pk=record_id).first()
        if record is None:
            raise Http404("没有这条问责记录，或您无权查看。")
        refused = rules.check(action, record.state, text=data.text, ground=data.ground or "", grounds=tuple(grounds()),
                              proposer_id=record.proposed_by_id, actor_id=getattr(user, "pk", None))
        if refused:
            raise Refused(refused)
        record.state = rules.ACTIONS[action][1]
        if action == "propose_exemption":
            record.ground, record.proposed_by = data.ground, user
        elif action == "reject_exemption":
            record.ground, record.proposed_by = "", None
        else:
            record.decided_by, record.decided_on, record.outcome_text = user, clock.today(), data.text
        record.save()
        ledger.append(record.stream, action, {"label": rules.ACTION_LABELS[action], "to": record.state, "text": data.text,
                                              "ground": data.ground or ""}, actor=actor, actor_name=actor_name(actor))
        return record
