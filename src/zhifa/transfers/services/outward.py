"""Outward transfer (移送公安机关, Order 310 arts.5–12): report, the head's decision, dispatch with
the materials, the police receipt and decision, reconsideration, the procuratorate, hand-over,
closing. Each act is registered under its code (``@action``) for ``perform``."""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import Http404

from zhifa.cases import paperwork as case_paperwork
from zhifa.cases.models import Case, Pause
from zhifa.cases.selectors import visible_cases
from zhifa.core import citations as c
from zhifa.core import clock, ledger
from zhifa.core.usecase import use_case
from zhifa.core.violations import INVALID_INPUT, NOT_ASSIGNED, Violation, refuse_if_any
from zhifa.registry import access
from zhifa.registry import rules as registry_rules
from zhifa.registry.models import Body, Officer
from zhifa.registry.selectors import officer_facts, with_current_certificate

from .. import permissions, rules
from ..models import Transfer
from ..selectors import clocks_of, finding, thresholds_met
from .. import paperwork as paper
from .keys import ensure_key
from ._core import _act, _actor_name, _hold_case, _not_after_today, _not_before, _seat, _sync, action


def _team_violations(officer_ids: list[int], body_id: int, today: dt.date) -> tuple[list[Officer], list[Violation]]:
    """Art.5 ¶1: the team's officers are of the body; at least two hold a valid certificate today."""
    officers = list(with_current_certificate(Officer.objects.filter(pk__in=officer_ids, body_id=body_id)))
    v: list[Violation] = []
    foreign = sorted(set(officer_ids) - {o.pk for o in officers})
    if foreign:
        v.append(Violation(INVALID_INPUT, f"专案组成员（编号{'、'.join(map(str, foreign))}）不是本机关的执法人员。", c.O310_ART5_1))
    valid = [o for o in officers if not registry_rules.may_act(officer_facts(o), today)]
    v += rules.check_team(len(valid), len(set(officer_ids)))
    return officers, v


def _finding(inspection_id: int, actor: access.Actor):
    """The inspection's finding through the sibling app's source (settings), or 404."""
    found = finding(inspection_id, actor)
    if found is None:
        raise Http404("未找到该检查记录，或您无权查看。")
    return found


@use_case
def report_transfer(*, case_id: int | None = None, inspection_id: int | None = None, team_officer_ids: list[int],
                    suspected_offence: str = "", report: str = "", police: str = "", actor: access.Actor) -> Transfer:
    """报告移送 (art.5 ¶1): a team of two or more certified officers, named at once, reports the
    suspected crime in writing to the head; the case then may not be fined (art.11). The matter is
    a case (``case_id``) or an inspection's finding (``inspection_id``, art.3: found in the course
    of enforcement) — a finding that already became a case is transferred as that case."""
    today = clock.today()
    with transaction.atomic():
        found = None
        if inspection_id is not None:
            found = _finding(inspection_id, actor)
            case_id = found.case_id
        case = None
        if case_id is not None:
            case = visible_cases(actor).select_for_update(of=("self",)).select_related("body", "item").filter(pk=case_id).first()
            if case is None:
                raise Http404("未找到该案件，或您无权查看。")
        body_id = case.body_id if case is not None else found.body_id
        permissions.require_create(actor, body_id)
        v = permissions.check_actor(actor, today)
        officers, team_v = _team_violations(team_officer_ids, body_id, today)
        v += team_v
        if actor.officer is not None and actor.officer.pk not in {o.pk for o in officers}:
            v.append(Violation(NOT_ASSIGNED, "报告人应当是专案组成员。", c.O310_ART5_1))
        v += rules.check_reason(report, "移送涉嫌犯罪案件的书面报告", c.O310_ART5_1)
        if not (suspected_offence or "").strip():
            v.append(Violation(INVALID_INPUT, "应当写明涉嫌的罪名。", c.O310_ART3))
        if found is not None and not found.has_problem:
            v.append(Violation(rules.NO_FINDING, "该检查未录入发现的问题，不能据此报告移送。", c.O310_ART3))
        if case is not None and case.state == "archived":
            v.append(Violation(rules.WRONG_STATE, "案件已归档，不能报告移送。", c.O310_ART5_1))
        pending = Transfer.objects.filter(direction="out").exclude(state__in=rules.TERMINAL)
        if (case is not None and pending.filter(case=case).exists()) or (
                found is not None and pending.filter(inspection_id=found.inspection_id).exists()):
            v.append(Violation(rules.TRANSFER_ALREADY_PENDING, "本案（本次检查发现）已有正在办理的移送。", c.O310_ART5_1))
        refuse_if_any(v)
        body = case.body if case is not None else Body.objects.get(pk=body_id)
        t = Transfer(body=body, case=case, direction="out", state="reported", suspected_offence=suspected_offence,
                     report=report, police=police or f"{case_paperwork._seat(body)}公安局", reported_at=clock.now())
        if found is not None:
            t.inspection_id, t.source_reference, t.cause, t.findings = (found.inspection_id, found.reference[:300],
                                                                        found.cause[:300], found.findings)
            t.party_name, t.party_id_code, t.party_address = found.party_name[:120], found.party_id_code, found.party_address[:200]
        _sync(t, actor)
        t.save()
        t.team.set(officers)
        met = thresholds_met(case) if case is not None else []
        source = ({"case_id": case.pk, "case_number": case.number} if case is not None else {})
        if found is not None:
            source.update(inspection_id=found.inspection_id, source=found.reference, findings=found.findings)
        ledger.append(t.stream, "report", {
            "label": "报告移送涉嫌犯罪案件", "to": t.state, "version": t.version, **source,
            "team": sorted(o.pk for o in officers), "suspected_offence": suspected_offence, "report": report, "police": t.police,
            "thresholds_met": [{"offence": m.offence, "amount": m.amount, "source": m.source} for m in met],
            "basis": c.O310_ART5_1}, actor=actor.user, actor_name=_actor_name(actor))
        _hold_case(t, actor)
        return t


@action("approve")
@use_case
def approve(transfer_id: int, *, opinion: str = "", actor: access.Actor) -> Transfer:
    """批准移送 (art.5 ¶2): the head, within 3 days of the report; the 24 hours to dispatch start."""
    with _act(transfer_id, "approve", actor) as (t, act):
        act.refuse()
        t.head_decided_at, t.head_decision, t.head = clock.now(), "approved", actor.officer
        return act.commit({"opinion": opinion, "decided_at": t.head_decided_at})


@action("refuse")
@use_case
def refuse(transfer_id: int, *, reason: str = "", actor: access.Actor) -> Transfer:
    """不批准移送 (art.5 ¶2): the reasons are recorded; the case is free to be dealt with again."""
    with _act(transfer_id, "refuse", actor) as (t, act):
        act.v += rules.check_reason(reason, "不批准移送", c.O310_ART5_2)
        act.refuse()
        t.head_decided_at, t.head_decision, t.head, t.refusal_reason = clock.now(), "refused", actor.officer, reason
        return act.commit({"reason": reason, "decided_at": t.head_decided_at})


def _tested(case: Case | None) -> bool:
    """Art.6(4): the case had testing or appraisal (a pause of the decision period for it)."""
    return bool(case and Pause.objects.filter(case=case, kind__in=[Pause.Kind.TESTING, Pause.Kind.APPRAISAL]).exists())


@action("dispatch")
@use_case
def dispatch(transfer_id: int, *, investigation: str = "", exhibits: list[str] | None = None, test_reports: list[str] | None = None,
             others: list[str] | None = None, actor: access.Actor) -> Transfer:
    """移送 (arts.5 ¶2, 6): the team sends the case with its materials — the transfer letter, the
    investigation report and the exhibit list issued now as numbered documents, the testing or
    appraisal reports when the case had any, other materials — within 24 hours of approval
    (a late dispatch is recorded as late, never refused: sending late beats not sending)."""
    exhibits, test_reports, others = list(exhibits or []), list(test_reports or []), list(others or [])
    with _act(transfer_id, "dispatch", actor) as (t, act):
        act.v += rules.missing_materials(investigation, exhibits, _tested(t.case), test_reports)
        act.refuse()
        ensure_key(t.body, actor)  # the body's key signs the case package from now on
        docs = paper.issue_dispatch(t, investigation=investigation, exhibits=exhibits, test_reports=test_reports,
                                    others=others, actor=actor)
        t.dispatched_at = clock.now()
        clocks = clocks_of(t)
        late = next((x for x in clocks if x.kind == "dispatch" and x.status == "late"), None)
        return act.commit({"materials": [m for m in paper.material_entries(t)], "dispatched_at": t.dispatched_at,
                           "late": late is not None, **case_paperwork.record(*docs)})


@action("record_receipt")
@use_case
def record_receipt(transfer_id: int, *, received_on: dt.date | None = None, receipt_by: str = "", forwarded_to: str = "",
                   actor: access.Actor) -> Transfer:
    """公安机关回执 (art.7): the police sign the receipt; a police body without jurisdiction forwards
    the case within 24 hours (the receiving body is then recorded)."""
    with _act(transfer_id, "record_receipt", actor) as (t, act):
        day, v = _not_after_today(received_on, "接受日期")
        act.v += v + _not_before(day, rules.local(t.dispatched_at).date() if t.dispatched_at else None, "接受日期", "移送日期")
        act.refuse()
        t.received_on, t.receipt_by = day, receipt_by
        if forwarded_to:
            t.police = forwarded_to
        return act.commit({"received_on": day, "receipt_by": receipt_by, "forwarded_to": forwarded_to})


@action("record_police_decision")
@use_case
def record_police_decision(transfer_id: int, *, decision: str, notified_on: dt.date | None = None, reasons: str = "",
                           notice_number: str = "", actor: access.Actor) -> Transfer:
    """公安机关立案决定 (art.8): filed — the items are handed over within 3 days (art.12); not filed —
    with the police's written reasons, the agency may ask for reconsideration within 3 days (art.9)."""
    with _act(transfer_id, "record_police_decision", actor) as (t, act):
        day, v = _not_after_today(notified_on, "收到通知书日期")
        act.v += v + _not_before(day, t.received_on, "收到通知书日期", "公安机关接受日期")
        if decision not in ("filed", "not_filed"):
            act.v.append(Violation(INVALID_INPUT, "立案决定应为立案或者不予立案。", c.O310_ART8))
        if decision == "not_filed":
            act.v += rules.check_reason(reasons, "公安机关不予立案", c.O310_ART8)
        act.refuse()
        t.police_decision, t.police_decision_on = decision, day
        if decision == "filed":
            t.filed_on = day
        else:
            t.police_reasons = reasons
            t.first_not_filed_on = t.first_not_filed_on or day
        paper.add_external(t, "police_notice", "立案通知书" if decision == "filed" else "不予立案通知书", notice_number)
        return act.commit({"decision": decision, "notified_on": day, "reasons": reasons, "notice_number": notice_number},
                          target="filed" if decision == "filed" else "not_filed")


@action("request_reconsideration")
@use_case
def request_reconsideration(transfer_id: int, *, reason: str = "", actor: access.Actor) -> Transfer:
    """提请复议 (art.9 ¶1): within 3 days of the not-filed notice (a late request is recorded late)."""
    with _act(transfer_id, "request_reconsideration", actor) as (t, act):
        act.v += rules.check_reason(reason, "提请复议", c.O310_ART9_1)
        act.refuse()
        doc = paper.issue_letter(t, "crime_reconsideration_request", {"reason": reason}, actor)
        t.reconsideration_requested_at, t.reconsideration_reason = clock.now(), reason
        return act.commit({"reason": reason, **case_paperwork.record(doc)})


@action("record_reconsideration")
@use_case
def record_reconsideration(transfer_id: int, *, result: str, notified_on: dt.date | None = None, reasons: str = "",
                           actor: access.Actor) -> Transfer:
    """复议决定 (art.9 ¶2): the police answer within 3 days; still not filed, the agency may suggest
    supervision to the procuratorate within 3 days."""
    with _act(transfer_id, "record_reconsideration", actor) as (t, act):
        day, v = _not_after_today(notified_on, "收到复议决定日期")
        act.v += v + _not_before(day, rules.local(t.reconsideration_requested_at).date() if t.reconsideration_requested_at else None,
                                "收到复议决定日期", "提请复议日期")
        if result not in ("filed", "not_filed"):
            act.v.append(Violation(INVALID_INPUT, "复议决定应为立案或者维持不予立案。", c.O310_ART9_2))
        act.refuse()
        t.reconsideration_result, t.reconsideration_answer_on = result, day
        t.police_decision, t.police_decision_on = result, day
        if result == "filed":
            t.filed_on = day
        return act.commit({"result": result, "notified_on": day, "reasons": reasons},
                          target="filed" if result == "filed" else "reconsideration_refused")


@action("suggest_procuratorate")
@use_case
def suggest_procuratorate(transfer_id: int, *, procuratorate: str = "", reason: str = "", actor: access.Actor) -> Transfer:
    """建议立案监督 (art.9): to the procuratorate, after a refusal to file (directly, ¶1) or after the
    reconsideration (within 3 days, ¶2)."""
    with _act(transfer_id, "suggest_procuratorate", actor) as (t, act):
        act.v += rules.check_reason(reason, "建议人民检察院立案监督", c.O310_ART9_2)
        act.refuse()
        t.procuratorate = procuratorate or f"{_seat(t)}人民检察院"
        doc = paper.issue_letter(t, "crime_supervision_suggestion", {"reason": reason, "procuratorate": t.procuratorate}, actor)
        t.procuratorate_suggested_at, t.procuratorate_reason = clock.now(), reason
        return act.commit({"procuratorate": t.procuratorate, "reason": reason, **case_paperwork.record(doc)})


@action("hand_over_items")
@use_case
def hand_over_items(transfer_id: int, *, items: list[str] | None = None, handed_over_on: dt.date | None = None,
                    actor: access.Actor) -> Transfer:
    """移交 (art.12): the items and other materials of the case, within 3 days of the filing notice."""
    items = [x for x in (items or []) if (x or "").strip()]
    with _act(transfer_id, "hand_over_items", actor) as (t, act):
        day, v = _not_after_today(handed_over_on, "交接日期")
        act.v += v + _not_before(day, t.filed_on, "交接日期", "收到立案通知书日期")
        if not items:
            act.v.append(Violation(rules.TRANSFER_MATERIALS_MISSING, "应当列明移交的涉案物品和有关材料。", c.O310_ART12))
        act.refuse()
        doc = paper.issue_letter(t, "crime_handover_list", {"materials": items}, actor)
        moment = clock.now()
        t.handed_over_at = moment if day == clock.today() else dt.datetime.combine(day, dt.time(17, 0), rules.SHANGHAI)
        t.handover_items = items
        return act.commit({"items": items, "handed_over_on": day, **case_paperwork.record(doc)})


@action("close")
@use_case
def close(transfer_id: int, *, note: str = "", actor: access.Actor) -> Transfer:
    """办结: after the hand-over, after a refusal to file the agency accepts (art.10: it then deals
    with the case itself — a fine becomes possible again), after the procuratorate's supervision,
    after a refusal by the head, or (inward) after the reply."""
    with _act(transfer_id, "close", actor) as (t, act):
        if t.state in ("not_filed", "reconsideration_refused", "procuratorate") and t.police_decision == "not_filed":
            act.v += rules.check_reason(note, "公安机关不予立案后办结（依法作出处理的说明）", c.O310_ART10)
        act.refuse()
        t.closed_at, t.closing_note = clock.now(), note
        return act.commit({"note": note})

