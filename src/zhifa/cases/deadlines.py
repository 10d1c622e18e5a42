"""Deadlines of a case (办案期限), all from the one working-day calendar (legal-rules §0).

APL periods of 2, 3, 5 and 7 days and ACL periods of ten days or less are working days
(APL art.85, ACL art.69): ``schedule.add_working_days``. Every other period is in calendar days
and, if its last day is a rest day, ends on the next working day: ``schedule.add_calendar_days``.
Each result carries ``provisional`` when a year it touches has no official schedule yet.

``case_deadlines(case, schedule, today, pauses, seizures)`` is a pure function of what it is
handed (the caller loads the pauses and seizures once, for a page of cases), so the list API
stays at a constant number of queries.

The legal periods' own rules live here too, pure like ``rules`` (no Django, no clock — checked by
``tests/cases/test_deadlines.py``): the 90-day clock's pauses and extensions (APL art.60), the
filing period and its one extension, the seizure period (ACL art.25) and the emergency measure's
24 hours (ACL art.19), the hand-over of money collected on the spot (APL art.71), the
court-enforcement window (ACL art.53) and the late fee counted by the days past a due date
(APL arts.72, 73).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Sequence

from zhifa.core.calendar import Due, Schedule
from zhifa.core.violations import Violation

from .rules import (
    ACL19, ACL25, ACL53, ART60, COLLECTIVE_DISCUSSION_REQUIRED, COURT_APPLICATION_WINDOW, DECISION_DEADLINE_PASSED,
    DEFAULT_POLICY, EXTENSION_NOT_ALLOWED, PAUSE_OVERLAP, SEIZURE_APPROVAL_LATE, SEIZURE_PERIOD_EXCEEDED, CasePolicy,
    check_reason,
)

# --- Legal periods: pure rules (no Django, no clock) -------------------------------------------
# The 90-day clock (办案期限, APL art.60): pauses not counted and extensions; the seizure period
# (ACL art.25); the late fee counted by the days past a due date (APL arts.72, 73).

@dataclass(frozen=True)
class Interval:
    start: dt.date
    end: dt.date | None  # None: still running


def overlaps(a: Interval, b: Interval) -> bool:
    a_end = a.end or dt.date.max
    b_end = b.end or dt.date.max
    return a.start <= b_end and b.start <= a_end


def check_pause(existing: Sequence[Interval], new: Interval) -> list[Violation]:
    """APL art.60: stopped intervals (testing, appraisal, hearing, notice) never overlap, and a
    new one cannot start while another is running."""
    if new.end is not None and new.end < new.start:
        return [Violation(PAUSE_OVERLAP, "中止期间的结束日期早于开始日期。", ART60)]
    for other in existing:
        if overlaps(other, new):
            return [Violation(PAUSE_OVERLAP,
                              f"与已登记的不计入办案期限的期间（{other.start.isoformat()}起）重叠，同一天不能重复扣除。", ART60)]
    return []


def paused_days(pauses: Iterable[Interval], until: dt.date) -> int:
    """Days not counted in the decision period: each pause from its start day to its end day
    (or ``until`` — today — while still running), inclusive of both; intervals never overlap."""
    total = 0
    for p in pauses:
        end = p.end if p.end is not None else until
        if end >= p.start:
            total += (end - p.start).days + 1
    return total


def check_extension(reason: str, approved: bool, extensions_so_far: int, collective_held: bool) -> list[Violation]:
    """APL art.60: an extension needs the head's approval and a reason; a further one needs
    collective discussion of the body's heads (SAMR procedure rules art.64)."""
    out = check_reason(reason, "延长办案期限", ART60)
    if not approved:
        out.append(Violation(EXTENSION_NOT_ALLOWED, "延长办案期限应当经行政机关负责人批准。", ART60))
    if extensions_so_far >= 1 and not collective_held:
        out.append(Violation(COLLECTIVE_DISCUSSION_REQUIRED, "再次延长办案期限应当经行政机关负责人集体讨论决定。",
                             f"{ART60}；《市场监督管理行政处罚程序规定》第六十四条"))
    return out


def seizure_due(seized_on: dt.date, extended: bool, testing_days: int, policy: CasePolicy = DEFAULT_POLICY) -> dt.date:
    """The last day of a seizure: 30 days, +30 with approval, testing time excluded (ACL art.25)."""
    days = policy.seizure_days + (policy.seizure_extension_days if extended else 0) + testing_days
    return seized_on + dt.timedelta(days=days)


def days_within(intervals: Iterable[Interval], after: dt.date, until: dt.date) -> int:
    """Days of (``after``, ``until``] covered by ``intervals`` (an open one runs to ``until``);
    intervals never overlap."""
    total = 0
    for i in intervals:
        start = max(i.start, after + dt.timedelta(days=1))
        end = min(i.end or until, until)
        if end >= start:
            total += (end - start).days + 1
    return total


def late_fee(fine: Decimal, due: dt.date, on: dt.date, paused: int = 0) -> Decimal:
    """APL art.72 (1): 3% of the fine per day overdue, never more than the fine (ACL art.45)."""
    days = max(0, (on - due).days - paused)
    fee = (fine * Decimal("0.03") * days).quantize(Decimal("0.01"))  # APL art.72: 3% a day
    return min(fee, fine)  # ACL art.45: the surcharge never exceeds the principal


def late_fee_excluding(fine: Decimal, due: dt.date, on: dt.date, remedies: Iterable[Interval]) -> Decimal:
    """APL art.72 (1) with art.73 ¶3: the late fee is not counted while the party's reconsideration
    or litigation runs."""
    return late_fee(fine, due, on, days_within(remedies, due, on))


def check_filing_extension(extended: bool, due: dt.date, today: dt.date, reason: str, basis: str) -> list[Violation]:
    """Sector rules (e.g. SAMR procedure rules art.18): a clue is filed or not within 15 working
    days; with the head's approval the period is extended once, by 15 more, before it runs out."""
    out = check_reason(reason, "延长立案期限", basis)
    if extended:
        out.append(Violation(EXTENSION_NOT_ALLOWED, "立案期限只能延长一次。", basis))
    elif today > due:
        out.append(Violation(EXTENSION_NOT_ALLOWED, f"立案期限已于{due.isoformat()}届满，届满后不能再批准延长。", basis))
    return out


def filing_due(schedule: Schedule, clue_received_on: dt.date, extended: bool, policy: CasePolicy = DEFAULT_POLICY,
               sector: str = "") -> Due:
    """The last day to file (or not) a clue: its sector's working days, plus the one extension
    when approved (APL art.54; sector rules, *configurable*: ``CasePolicy.filing_rule``)."""
    days, extension, _ = policy.filing_rule(sector)
    return schedule.add_working_days(clue_received_on, days + (extension if extended else 0))


# --- Periods of coercion, collection and enforcement (pure) ------------------------------------
# The seizure period (ACL art.25), the emergency measure's 24 hours (ACL art.19), the hand-over of
# money collected on the spot (APL art.71) and the court-enforcement window (ACL art.53).

def check_seizure_extension(extended: bool, due: dt.date, today: dt.date, reason: str) -> list[Violation]:
    out = check_reason(reason, "延长查封、扣押期限", ACL25)
    if extended:
        out.append(Violation(SEIZURE_PERIOD_EXCEEDED, "查封、扣押期限只能延长一次，延长期限不得超过三十日。", ACL25))
    if today > due:
        out.append(Violation(SEIZURE_PERIOD_EXCEEDED, f"查封、扣押期限已于{due.isoformat()}届满，应当解除，不能再延长。", ACL25))
    return out


def check_seizure_running(due: dt.date, today: dt.date) -> list[Violation]:
    """Acting on a seizure past its period (other than releasing it) is refused."""
    if today > due:
        return [Violation(SEIZURE_PERIOD_EXCEEDED, f"查封、扣押期限已于{due.isoformat()}届满，应当及时解除。", ACL25)]
    return []


def emergency_approval_late(seized_at: dt.datetime, now: dt.datetime, hours: int = 24) -> bool:
    """ACL art.19: the emergency measure is reported and approved within 24 hours."""
    return now > seized_at + dt.timedelta(hours=hours)


def check_emergency_approval(seized_at: dt.datetime | None, now: dt.datetime, approve: bool, hours: int = 24) -> list[Violation]:
    """Approving afterwards is possible only within the 24 hours (ACL art.19); later the measure
    must be released (refusing approval releases it at once)."""
    if approve and seized_at is not None and emergency_approval_late(seized_at, now, hours):
        return [Violation(SEIZURE_APPROVAL_LATE,
                          f"情况紧急当场实施的行政强制措施，应当在{hours}小时内向行政机关负责人报告并补办批准手续；已超过{hours}小时，不能补办批准，应当立即解除。",
                          ACL19)]
    return []


def handover_late(collected_on: dt.date, due: dt.date, handed_over_on: dt.date) -> bool:
    """APL art.71: collected money reaches the body within 2 (working) days."""
    return handed_over_on > due


def check_court_window(opens: dt.date, closes: dt.date, today: dt.date) -> list[Violation]:
    """ACL art.53: a body without its own enforcement power applies to the court within three
    months after the party's periods to apply for reconsideration (60 days) and to sue (6 months)
    have run out — not before (the party may still seek a remedy), not after."""
    if today < opens:
        return [Violation(COURT_APPLICATION_WINDOW,
                          f"当事人申请行政复议、提起行政诉讼的法定期限届满后方可申请人民法院强制执行（最早{opens.isoformat()}）。", ACL53)]
    if today > closes:
        return [Violation(COURT_APPLICATION_WINDOW,
                          f"申请人民法院强制执行应当自复议、诉讼期限届满之日起三个月内提出，已于{closes.isoformat()}届满。", ACL53)]
    return []


KIND_LABELS = {
    "filing": "立案期限",
    "review": "法制审核期限",
    "court_last": "申请法院强制执行截止日（复议、诉讼期限届满后三个月）",
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


def decision_due(schedule: Schedule, filed_on: dt.date, pauses: Iterable[Interval], extension_days: int,
                 today: dt.date, policy: CasePolicy = DEFAULT_POLICY) -> Due:
    """APL art.60: 90 calendar days from filing, plus the days of every pause (testing, appraisal,
    hearing, notice — never overlapping) and approved extensions; a rest-day end moves on."""
    days = policy.decision_days + extension_days + paused_days(pauses, today)
    return schedule.add_calendar_days(filed_on, days)


def check_decision_deadline(due: dt.date, decided_on: dt.date) -> list[Violation]:
    """APL art.60: a penalty decision within the decision period — 90 days from filing, the paused
    intervals not counted, plus the approved extensions (``decision_due``). The decision's own date
    is what counts: a decision dated after the last day is refused."""
    if decided_on <= due:
        return []
    return [Violation(DECISION_DEADLINE_PASSED,
                      f"作出行政处罚决定的期限（扣除中止期间、加上经批准的延长期限）已于{due.isoformat()}届满；"
                      "期满前未经批准延长的，不得再作出行政处罚决定。", ART60)]


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the last day of a shorter month): a period of months ends on
    the day with the number of the day it started from (Civil Code art.202)."""
    month0 = start.month - 1 + months
    year, month = start.year + month0 // 12, month0 % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def court_window(schedule: Schedule, served_on: dt.date, remedies_ended: Iterable[dt.date] = (),
                 policy: CasePolicy = DEFAULT_POLICY) -> tuple[Due, dt.date]:
    """ACL art.53: the days on which the body may apply to the court — from the day after the
    party's remedy periods have run out (reconsideration 60 days, ARL art.20; litigation 6 months,
    ALL art.46; from service; a remedy that ended gives the party 15 more days to sue, ALL art.45)
    through three months after. The reading that protects the party: the remedy period, when it
    ends on a rest day, runs to the next working day; the body's own three months do not."""
    litigation = schedule.add_calendar_days(add_months(served_on, policy.litigation_months), 0)
    reconsideration = schedule.add_calendar_days(served_on, policy.reconsideration_days)
    ends = [litigation.date, reconsideration.date]
    ends += [schedule.add_calendar_days(e, policy.litigation_after_remedy_days).date for e in remedies_ended]
    periods_end = max(ends)
    opens = Due(periods_end + dt.timedelta(days=1), litigation.provisional or reconsideration.provisional)
    return opens, add_months(periods_end, policy.court_application_months)


def case_deadlines(case, schedule: Schedule, today: dt.date, pauses: Iterable[Interval] = (),
                   seizures: Iterable = (), policy: CasePolicy = DEFAULT_POLICY) -> list[Deadline]:
    """Every period running on ``case`` today, most urgent first."""
    out: list[Deadline] = []
    state = case.state
    if state == "source" and case.procedure == "normal":
        # APL art.54 (sector rules: 15 working days from the clue, +15 once with approval). *configurable*
        sector = case.body.sector if policy.filing_by_sector else ""  # the body is read only when the data differ by sector
        out.append(_make("filing", filing_due(schedule, case.clue_received_on, case.filing_extended_on is not None, policy, sector), today))
    if case.review_status == "pending" and case.review_requested_on:
        # The legal review's own period (data per body, *configurable*).
        days = policy.review_days(case.body.code if policy.review_by_body else "")
        out.append(_make("review", schedule.add_working_days(case.review_requested_on, days), today))
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
        # ACL arts.53–54: ten working days after the reminder, and not before the party's remedy
        # periods have run out; then three months (remedies that ended are the service's to add).
        after_reminder = schedule.add_working_days(case.reminded_on, policy.reminder_working_days)
        opens, closes = court_window(schedule, case.served_on or case.decided_on, (), policy)
        out.append(_make("court", max(after_reminder, opens, key=lambda d: d.date), today))
        out.append(_make("court_last", Due(closes, opens.provisional), today))
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
