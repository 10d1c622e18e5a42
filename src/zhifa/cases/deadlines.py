"""Deadlines of a case (办案期限), all from the one working-day calendar (legal-rules §0).

APL periods of 2, 3, 5 and 7 days and ACL periods of ten days or less are working days
(APL art.85, ACL art.69): ``schedule.add_working_days``. Every other period is in calendar days
and, if its last day is a rest day, ends on the next working day: ``schedule.add_calendar_days``.
Each result carries ``provisional`` when a year it touches has no official schedule yet.

``case_deadlines(case, schedule, today, pauses, seizures)`` is a pure function of what it is
handed (the caller loads the pauses and seizures once, for a page of cases), so the list API
stays at a constant number of queries.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

from zhifa.core.calendar import Due, Schedule

from . import rules

KIND_LABELS = {
    "filing": "立案期限",
    "preservation": "先行登记保存处理期限",
    "defence": "陈述申辩期限",
    "hearing_request": "听证申请期限",
    "hearing": "听证日期",
    "decision": "作出决定期限（90日，扣除中止期间）",
    "service": "决定书送达期限",
    "payment": "缴纳罚款期限",
    "court": "可申请法院强制执行之日",
    "seizure": "查封、扣押期限",
    "seizure_approval": "紧急措施补办批准期限（24小时）",
    "handover": "当场收缴罚款交至机关期限",
    "publication": "处罚决定公示期限",
    "withdrawal": "撤回公示信息期限",
}


@dataclass(frozen=True)
class Deadline:
    kind: str
    due: dt.date
    provisional: bool
    days_left: int
    label: str = ""

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    def as_dict(self) -> dict:
        return {"kind": self.kind, "label": self.label, "due": self.due, "days_left": self.days_left,
                "provisional": self.provisional}


def _make(kind: str, due: Due, today: dt.date) -> Deadline:
    return Deadline(kind, due.date, due.provisional, (due.date - today).days, KIND_LABELS[kind])


def decision_due(schedule: Schedule, filed_on: dt.date, pauses: Iterable[rules.Interval], extension_days: int,
                 today: dt.date, policy: rules.CasePolicy = rules.DEFAULT_POLICY) -> Due:
    """APL art.60: 90 calendar days from filing, plus the days of every pause (testing, appraisal,
    hearing, notice — never overlapping) and approved extensions; a rest-day end moves on."""
    days = policy.decision_days + extension_days + rules.paused_days(pauses, today)
    return schedule.add_calendar_days(filed_on, days)


def case_deadlines(case, schedule: Schedule, today: dt.date, pauses: Iterable[rules.Interval] = (),
                   seizures: Iterable = (), policy: rules.CasePolicy = rules.DEFAULT_POLICY) -> list[Deadline]:
    """Every period running on ``case`` today, most urgent first."""
    out: list[Deadline] = []
    state = case.state
    if state == "source" and case.procedure == "normal":
        # APL art.54 (sector rules: 15 working days from the clue). *configurable*
        out.append(_make("filing", schedule.add_working_days(case.clue_received_on, policy.filing_working_days), today))
    if case.preserved_on and not case.preservation_decided_on:
        # APL art.56: decide within 7 working days.
        out.append(_make("preservation", schedule.add_working_days(case.preserved_on, policy.preservation_working_days), today))
    if state == "notified":
        if not case.defence_done and case.defence_due:
            out.append(_make("defence", Due(case.defence_due, False), today))
        if case.hearing_due and case.hearing_status == "none":
            out.append(_make("hearing_request", Due(case.hearing_due, False), today))
    if state in ("investigating", "investigated", "reviewed", "notified") and case.filed_on:
        out.append(_make("decision", decision_due(schedule, case.filed_on, list(pauses), case.extension_days, today, policy), today))
    if state == "decided" and case.decided_on and case.outcome != "transfer":
        # APL art.61: serve within 7 (working) days.
        out.append(_make("service", schedule.add_working_days(case.decided_on, policy.service_working_days), today))
    if state == "served" and case.payment_due:
        out.append(_make("payment", Due(case.payment_due, False), today))
    if state == "served" and case.reminded_on:
        out.append(_make("court", schedule.add_working_days(case.reminded_on, policy.reminder_working_days), today))
    for s in seizures:
        if s.released_on is None:
            out.append(_make("seizure", Due(s.due, False), today))
            if s.emergency and s.approved_on is None:
                # ACL art.19: report and approve within 24 hours — shown as the day after.
                out.append(_make("seizure_approval", Due(s.decided_on + dt.timedelta(days=1), False), today))
    if case.collected_on_spot_on and not case.collection_handed_over_on:
        # APL art.71: hand the money over within 2 (working) days.
        out.append(_make("handover", schedule.add_working_days(case.collected_on_spot_on, policy.handover_working_days), today))
    if case.publication_due and not case.published_on and case.decision_kinds and case.outcome == "penalty" and not case.withdrawal_due:
        out.append(_make("publication", Due(case.publication_due, False), today))
    if case.withdrawal_due and case.published_on:
        out.append(_make("withdrawal", Due(case.withdrawal_due, False), today))
    out.sort(key=lambda d: d.due)
    return out
