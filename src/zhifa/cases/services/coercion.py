"""Coercive measures (行政强制措施): preservation of evidence (先行登记保存, APL art.56) and seizure
(查封、扣押, ACL arts.18–28) — extension, testing time, release, emergency approval afterwards.
"""
from __future__ import annotations

import datetime as dt
from contextlib import contextmanager


from zhifa.catalog import rules as cat
from zhifa.core import citations
from zhifa.core import clock, workdays
from zhifa.core.usecase import use_case
from zhifa.core.violations import INVALID_INPUT, Violation
from zhifa.registry import access

from .. import deadlines, paperwork, rules, workflow
from ..models import Case, Seizure
from ..selectors import policy
from ._core import (
    _act, action, _av_guard, _officer_ids, _officers_ok, _require, _seizure, _seizure_number, _set_and_record,
)


@contextmanager
def _seizure_act(case_id: int, code: str, seizure_id: int, actor: access.Actor):
    """An act on one seizure of the case (``_act``): yields ``(case, act, seizure)``, the seizure
    locked too."""
    with _act(case_id, code, actor) as (case, act):
        yield case, act, _seizure(case, seizure_id)


def _seizure_due(s: Seizure) -> dt.date:
    """ACL art.25: the last day of a seizure — 30 days from the decision, 30 more once extended,
    the testing time (检测鉴定期间) not counted."""
    pol = policy()
    days = pol.seizure_days + (pol.seizure_extension_days if s.extended_on else 0) + s.testing_days
    return workdays.add_calendar_days(s.decided_on, days).date


def _not_released(s: Seizure) -> list[Violation]:
    return _require(not s.released_on, rules.WRONG_STATE, "该查封扣押已解除。", rules.ACL25)


@action("preserve")
@use_case
def preserve_evidence(case_id: int, *, items: list[str], actor: access.Actor) -> Case:
    """先行登记保存 (APL art.56): head approval; decide within 7 working days."""
    today = clock.today()
    with _act(case_id, "preserve", actor) as (case, act):
        act.v += _officers_ok(_officer_ids(case), today, case)
        act.refuse()
        case.preserved_on, case.preservation_decided_on = today, None
        due = workdays.add_working_days(today, policy().preservation_working_days)
        doc = paperwork.issue(case, "preservation_notice", actor=actor, extra={"items": items})
        return act.commit({"items": items, "decide_by": due.date, "document": "preservation_notice", **paperwork.record(doc)},
                          fields=["preserved_on", "preservation_decided_on"])


@action("decide_preservation")
@use_case
def decide_preservation(case_id: int, *, measure: str, actor: access.Actor) -> Case:
    today = clock.today()
    return _set_and_record(case_id, "decide_preservation", actor, {"preservation_decided_on": today}, {"measure": measure},
                           checks=lambda case: _require(case.preserved_on is not None, rules.WRONG_STATE,
                                                        "本案没有待处理的先行登记保存。", citations.APL_ART56))


@action("seize")
@use_case
def seize(case_id: int, *, kind: str, items: list[dict], emergency: bool = False, approved: bool = True,
          actor: access.Actor) -> Seizure:
    """查封、扣押 (ACL arts.18, 19, 23–25): approval beforehand (or reported within 24 hours in an
    emergency), two officers, the item list handed over on the spot, 30 days."""
    today = clock.today()
    with _act(case_id, "seize", actor) as (case, act):
        act.v += _officers_ok(_officer_ids(case), today, case)
        act.v += _av_guard(case, kind, cat.ACT_KIND_LABELS.get(kind, "查封扣押"))
        if not items:
            act.v.append(Violation(rules.SEIZURE_LIST_REQUIRED, "查封、扣押应当当场制作并交付财物清单。", citations.ACL_ART24))
        if not approved and not emergency:
            act.v.append(Violation(rules.APPROVAL_REQUIRED, "实施行政强制措施前须向行政机关负责人报告并经批准。", citations.ACL_ART18))
        act.refuse()
        due = workdays.add_calendar_days(today, policy().seizure_days)
        seizure = Seizure.objects.create(case=case, kind=kind, items=items, decided_on=today, emergency=emergency,
                                         approved_on=today if approved else None, due=due.date, seized_at=clock.now())
        case.has_open_seizures = True  # the deadlines of the commit read it (``_due_items``)
        decision_doc = paperwork.issue(case, "seizure_decision", actor=actor, extra={
            "measure": seizure.get_kind_display(), "items": items, "period": paperwork.seizure_period(today, seizure.due),
            "seizure_id": seizure.pk})
        list_doc = paperwork.issue(case, "property_list", actor=actor,
                                   extra={"related_number": decision_doc.number, "items": items, "seizure_id": seizure.pk})
        payload = {"seizure_id": seizure.pk, "kind": kind, "items": items, "due": due.date, "emergency": emergency,
                   "document": "coercive_measure_decision", **paperwork.record(decision_doc, list_doc)}
        if emergency and not approved:
            payload["report_by"] = (clock.now() + dt.timedelta(hours=24)).isoformat()  # ACL art.19: within 24 hours
        act.commit(payload, fields=[])
        return seizure


@action("extend_seizure")
@use_case
def extend_seizure(case_id: int, *, seizure_id: int, reason: str, actor: access.Actor) -> Seizure:
    """ACL art.25: one extension of ≤ 30 days, approved, notified in writing."""
    today = clock.today()
    with _seizure_act(case_id, "extend_seizure", seizure_id, actor) as (case, act, s):
        act.v += _not_released(s)
        act.v += deadlines.check_seizure_extension(s.extended_on is not None, s.due, today, reason)
        act.refuse()
        s.extended_on = today
        s.due = _seizure_due(s)
        s.save(update_fields=["extended_on", "due"])
        doc = paperwork.issue(case, "seizure_extension_decision", actor=actor, extra={
            "original_number": _seizure_number(case, s), "original_date": s.decided_on.isoformat(), "measure": s.get_kind_display(),
            "reason": reason, "extended_until": s.due.isoformat(), "seizure_id": s.pk})
        act.commit({"seizure_id": s.pk, "reason": reason, "due": s.due, "document": "coercive_measure_extension",
                    **paperwork.record(doc)}, fields=[])
        return s


@action("record_testing")
@use_case
def record_testing(case_id: int, *, seizure_id: int, days: int, actor: access.Actor) -> Seizure:
    """ACL art.25 ¶3: testing time is excluded from the seizure period (and told to the party)."""
    today = clock.today()
    with _seizure_act(case_id, "record_testing", seizure_id, actor) as (case, act, s):
        act.v += deadlines.check_seizure_running(s.due, today)
        if days <= 0:
            act.v.append(Violation(INVALID_INPUT, "检测鉴定期间应为正数天。", rules.ACL25))
        act.refuse()
        s.testing_days += days
        s.due = _seizure_due(s)
        s.save(update_fields=["testing_days", "due"])
        doc = paperwork.issue(case, "testing_period_notice", actor=actor, extra={
            "original_number": _seizure_number(case, s), "testing_period": f"{days}日", "seizure_id": s.pk})
        act.commit({"seizure_id": s.pk, "days": days, "due": s.due, "document": "testing_period_notice",
                    **paperwork.record(doc)}, fields=[])
        return s


@action("release_seizure")
@use_case
def release_seizure(case_id: int, *, seizure_id: int, actor: access.Actor) -> Seizure:
    today = clock.today()
    with _seizure_act(case_id, "release_seizure", seizure_id, actor) as (case, act, s):
        act.v += _not_released(s)
        act.refuse()
        s.released_on = today
        s.save(update_fields=["released_on"])
        doc = paperwork.issue(case, "seizure_release_decision", actor=actor, extra={
            "original_number": _seizure_number(case, s), "measure": s.get_kind_display(), "items": s.items, "seizure_id": s.pk,
            "reason": "案件已作出处理决定" if case.state in workflow.AFTER_DECISION else "不再需要采取查封、扣押措施"})
        act.commit({"seizure_id": s.pk, "released_on": today, "overdue": today > s.due,
                    "document": "coercive_measure_release", **paperwork.record(doc)}, fields=[])
        return s


@action("approve_seizure")
@use_case
def approve_seizure(case_id: int, *, seizure_id: int, approve: bool = True, reason: str = "", actor: access.Actor) -> Seizure:
    """补办批准 (ACL art.19): an emergency seizure is reported and approved within 24 hours; later
    approval is refused (the measure must be released); refusing approval releases it at once."""
    now, today = clock.now(), clock.today()
    with _seizure_act(case_id, "approve_seizure", seizure_id, actor) as (_case, act, s):
        if s.released_on or not s.emergency or s.approved_on:
            act.v.append(Violation(rules.WRONG_STATE, "该查封、扣押不是待补办批准的紧急措施。", rules.ACL19))
        act.v += deadlines.check_emergency_approval(s.seized_at, now, approve, policy().emergency_report_hours)
        if not approve:
            act.v += rules.check_reason(reason, "不予批准", rules.ACL19)
        act.refuse()
        late = bool(s.seized_at and deadlines.emergency_approval_late(s.seized_at, now, policy().emergency_report_hours))
        if approve:
            s.approved_on = today
        else:
            s.released_on = today  # ACL art.19: the head finds it should not be taken — release at once
        s.save(update_fields=["approved_on", "released_on"])
        act.commit({"seizure_id": s.pk, "approved": approve, "reason": reason, "late": late,
                    "seized_at": s.seized_at, "basis": rules.ACL19}, fields=[])
        return s
