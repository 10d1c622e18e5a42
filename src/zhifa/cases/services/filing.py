"""Registration (案源登记) and filing (立案): a clue becomes a case, or is declined; a simple-procedure
case (简易程序) is opened on the spot.
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import Http404

from zhifa.catalog.models import Item
from zhifa.catalog.services import item_version_on
from zhifa.core import citations
from zhifa.core import clock, ledger, workdays
from zhifa.core.usecase import use_case
from zhifa.core.violations import INVALID_INPUT, TWO_OFFICERS_REQUIRED, Violation, refuse_if_any
from zhifa.registry import access
from zhifa.registry import services as registry
from zhifa.registry.models import Body

from .. import deadlines, paperwork, rules
from ..models import Case
from ..selectors import policy
from ..permissions import require_register
from .party import _id_type, _new_party, _party_guards
from ._core import (
    _act, _assign, action, _actor_name, _digest, _due_items, _item_and_competence, _limitation, _officer_ids, _officers_ok,
    _require_body_officers, _set_next_due,
)


def _registration_guards(body: Body, item: Item, procedure: str, act_date: dt.date, act_end_date: dt.date | None,
                         today: dt.date) -> list[Violation]:
    """A penalty item (APL art.9), plausible act dates, and for a simple-procedure case opened on
    the spot the body's competence over the item."""
    violations: list[Violation] = []
    if item.kind not in (Item.Kind.PENALTY,):
        violations.append(Violation(rules.INVALID_PENALTY, f"“{item.full_name}”不是行政处罚事项，不能据此立案处罚。", citations.APL_ART9))
    if act_date > today or (act_end_date and (act_end_date > today or act_end_date < act_date)):
        violations.append(Violation(INVALID_INPUT, "违法行为日期不得晚于今天，终了日期不得早于发生日期。", ""))
    if procedure == "simple":
        violations += _item_and_competence(body, item, today)
    return violations


@use_case
def register_source(*, item_code: str, party_kind: str, party_name: str, act_date: dt.date, procedure: str = "normal",
                    clue: str = "", source: str = "inspection", clue_received_on: dt.date | None = None,
                    party_id_code: str = "", party_address: str = "", party_phone: str = "", party_age: int | None = None,
                    party_mental_illness: bool = False, no_fault: bool = False, act_description: str = "",
                    act_end_date: dt.date | None = None, safety_harm: bool = False, officer_ids: list[int] | None = None,
                    body_id: int | None = None, party_id_type: str = "", party_legal_representative: str = "",
                    party_service_address: str = "", act_place: str = "", actor: access.Actor) -> Case:
    """Register a case source (案源登记) — or open a simple-procedure case (简易程序) on the spot.

    Any staff member of the body may register a clue; the administrator names ``body_id``."""
    body_id = body_id or actor.body_id
    require_register(actor, body_id)
    today = clock.today()
    with transaction.atomic():
        officer = actor.officer  # loaded with the body when the actor was resolved
        body = officer.body if officer is not None and officer.body_id == body_id else Body.objects.get(pk=body_id)
        # APL art.37: the version of the item in force when the act was committed; else the current one.
        item = item_version_on(item_code, act_date) or Item.objects.filter(code=item_code).first()
        if item is None:
            raise Http404("未找到该执法事项。")
        refuse_if_any(_registration_guards(body, item, procedure, act_date, act_end_date, today)
                      + _party_guards(party_kind, _id_type(party_kind, party_id_code, party_id_type), party_id_code))
        if officer_ids:
            _require_body_officers(officer_ids, body_id)
            # R04: the officers named as 承办人员 hold valid certificates (two are required when the
            # case is filed or decided on the spot, not yet at registration).
            refuse_if_any(x for x in registry.check_officers_may_act(officer_ids, today) if x.code != TWO_OFFICERS_REQUIRED)
        case = Case.objects.create(
            body=body, item=item, procedure=procedure, state="source", source=source, clue=clue,
            clue_received_on=clue_received_on or today, party_kind=party_kind, party_name=party_name,
            party_id_code=party_id_code, party_address=party_address, party_phone=party_phone, party_age=party_age,
            party_mental_illness=party_mental_illness, no_fault=no_fault, act_description=act_description,
            act_date=act_date, act_end_date=act_end_date, act_place=act_place, safety_harm=safety_harm,
        )
        case.party = _new_party(case, id_type=party_id_type, legal_representative=party_legal_representative,
                                service_address=party_service_address)
        case.number = f"{body.short_name or body.code}{'简' if procedure == 'simple' else '案'}〔{today.year}〕{case.pk}号"
        _set_next_due(case, _due_items(case, today))
        case.save(update_fields=["number", "party", "next_due", "next_due_kind", "next_due_provisional"])
        case._zhifa_officer_ids = []  # a new case: nobody assigned yet, unless named here (``_assign`` forgets it)
        ledger.know_head(case.stream, 0, ledger.GENESIS)  # a new case: its record is empty
        if officer_ids:
            _assign(case, officer_ids)
        content = {"source": case.get_source_display(), "received_on": case.clue_received_on, "clue": clue,
                   "party": {"name": party_name, "id_code": party_id_code, "address": party_address,
                             "legal_representative": party_legal_representative, "party_id": case.party_id},
                   "item": item.code, "act_date": act_date, "procedure": procedure, "officers": sorted(officer_ids or [])}
        ledger.append(case.stream, "register", {"label": "案源登记", "to": "source", "version": 1, "document": "case_source_registration",
                                                "content": content, "content_sha256": _digest(content)}, actor=actor.user,
                      actor_name=_actor_name(actor), savepoint=False)  # the registration fails whole with it
        return case


@action("file")
@use_case
def file_case(case_id: int, *, officer_ids: list[int] | None = None, opinion: str = "", actor: access.Actor) -> Case:
    """立案: the head approves; competence, limitation and two certified officers are checked."""
    today = clock.today()
    with _act(case_id, "file", actor) as (case, act):
        act.v += _item_and_competence(case.body, case.item, today)
        act.v += _limitation(case, today)
        if officer_ids:
            _require_body_officers(officer_ids, case.body_id, case)
        ids = officer_ids or _officer_ids(case)
        act.v += _officers_ok(ids, today, case)
        act.refuse()
        if officer_ids:
            _assign(case, officer_ids)
        case.filed_on = today
        content = {"case_cause": case.item.full_name, "party": case.party_name, "officers": sorted(ids), "opinion": opinion}
        doc = paperwork.issue(case, "filing_approval", actor=actor, extra={"opinion": opinion})
        return act.commit({"filed_on": today, "officers": sorted(ids), "document": "filing_approval",
                           "content_sha256": _digest(content), "content": content, **paperwork.record(doc)})


@action("extend_filing")
@use_case
def extend_filing(case_id: int, *, reason: str, actor: access.Actor) -> Case:
    """延长立案期限: the head approves the filing period's one extension, with a reason, before the
    period has run out (sector rules: 15 working days + 15; ``CasePolicy.filing_rule``)."""
    today = clock.today()
    with _act(case_id, "extend_filing", actor) as (case, act):
        pol = policy()
        sector = case.body.sector
        due = deadlines.filing_due(workdays.schedule(), case.clue_received_on, False, pol, sector).date
        act.v += deadlines.check_filing_extension(case.filing_extended_on is not None, due, today, reason, pol.filing_rule(sector)[2])
        act.refuse()
        case.filing_extended_on = today
        new_due = deadlines.filing_due(workdays.schedule(), case.clue_received_on, True, pol, sector).date
        return act.commit({"reason": reason, "due_before": due, "due": new_due}, fields=["filing_extended_on"])


@action("decline")
@use_case
def decline_case(case_id: int, *, reason: str, actor: access.Actor) -> Case:
    """不予立案, with reasons."""
    with _act(case_id, "decline", actor, rules.check_reason(reason, "不予立案", citations.APL_ART54)) as (case, act):
        case.not_filed_reason = reason
        doc = paperwork.issue(case, "non_filing_approval", actor=actor, extra={"reason": reason})
        return act.commit({"reason": reason, **paperwork.record(doc)})


@action("assign")
@use_case
def assign_officers(case_id: int, *, officer_ids: list[int], actor: access.Actor) -> Case:
    today = clock.today()
    with _act(case_id, "assign", actor) as (case, act):
        _require_body_officers(officer_ids, case.body_id, case)
        act.v += _officers_ok(officer_ids, today, case)
        act.refuse()
        _assign(case, officer_ids)
        return act.commit({"officers": sorted(officer_ids)}, fields=[])
