"""Criminal transfer (移送涉嫌犯罪案件, R25): the pure rules of Order 310 (国务院令第310号, 2020).

No Django, no database, no clock: the services hand in ``now`` (an aware datetime), the working-day
``Schedule`` and the ``TransferPolicy``. What is here:

- the workflow table (``ACTIONS``: code, label, sources, target, role, direction);
- the clocks of Order 310 (``clocks``): hours clocks as timestamps (24 hours to dispatch after the
  head's approval, art.5 ¶2), days clocks as dates (3 days each: the head's decision art.5 ¶2,
  the police's decision art.8, the agency's request for reconsideration art.9 ¶1, the police's
  answer art.9 ¶2, the suggestion to the procuratorate art.9 ¶2, the hand-over of items art.12),
  the reply to a reverse transfer or a procuratorate's opinion (configurable, 2 months);
- the guards: the team (``TRANSFER_TEAM_TOO_SMALL``), the reasons (``REASON_REQUIRED``), the
  materials (``TRANSFER_MATERIALS_MISSING``), the state;
- the criminal thresholds of an item (``meets_threshold``) and whether a transfer blocks a fine
  (``blocks_fine``, art.11).

Counting days (legal-rules §0, §C+): Order 310 says "3日" without an art.85-style clause of the
APL, so its days are **calendar days** by default — the shorter reading, which keeps a suspected
crime from waiting (configurable to working days: ``TransferPolicy.day_kind``). The start day is
not counted and a last day on a rest day moves to the next working day (民事诉讼法第八十五条, by
analogy). The 24 hours are hours: a rest day does not stop them.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from zhifa.core import citations as c
from zhifa.core.calendar import Due, Schedule
from zhifa.core.violations import INVALID_INPUT, REASON_REQUIRED, WRONG_STATE, Violation

SHANGHAI = ZoneInfo("Asia/Shanghai")

# --- Codes (contract.md, "Violation codes added by wave 2") --------------------------------------
TRANSFER_TEAM_TOO_SMALL = "TRANSFER_TEAM_TOO_SMALL"
TRANSFER_MATERIALS_MISSING = "TRANSFER_MATERIALS_MISSING"
TRANSFER_ALREADY_PENDING = "TRANSFER_ALREADY_PENDING"
REPLY_OUTCOME_INVALID = "REPLY_OUTCOME_INVALID"
NO_FINDING = "NO_FINDING"  # the same code as inspections' (an inspection with no problem recorded)
__all__ = ["REASON_REQUIRED", "INVALID_INPUT", "WRONG_STATE"]  # re-exported for the services

# --- The policy: every number of Order 310 and what is configurable --------------------------------


@dataclass(frozen=True)
class TransferPolicy:
    """The periods of Order 310, as data with their defaults (settings ``ZHIFA["TRANSFER_POLICY"]``).

    The statutory periods are the text's; what is configurable is how days are counted (the text
    does not say; legal-rules §0 keeps calendar days, *unconfirmed*), the alert for a missing police
    receipt (art.7 sets no period for the receipt itself) and the reply periods of the inward side
    (the procuratorate's rules, *unconfirmed*; art.13 says "及时" for a reverse transfer)."""

    day_kind: str = "calendar"  # "calendar" | "working"
    head_days: int = 3  # art.5 ¶2: 自接到报告之日起3日内
    dispatch_hours: int = 24  # art.5 ¶2: 决定批准的，应当在24小时内向同级公安机关移送
    receipt_alert_days: int = 3  # art.7: no period in the text; an alert when no receipt is recorded
    police_decision_days: int = 3  # art.8: 自接受…之日起3日内
    reconsideration_request_days: int = 3  # art.9 ¶1: 自接到不予立案通知书之日起3日内
    reconsideration_answer_days: int = 3  # art.9 ¶2: 自收到…提请复议的文件之日起3日内
    procuratorate_days: int = 3  # art.9 ¶2: 自收到复议决定通知书之日起3日内
    handover_days: int = 3  # art.12: 自接到立案通知书之日起3日内
    opinion_reply_months: int = 2  # procuratorate's opinion (检察意见书): 2 months, *unconfirmed*
    reverse_reply_months: int = 2  # reverse transfer (APL art.27, O310 art.13 "及时"): same default
    soon_hours: int = 6  # an hours clock turns amber this many hours before it runs out
    soon_days: int = 1  # a days clock turns amber this many days before its last day

    def __post_init__(self) -> None:
        if self.day_kind not in ("calendar", "working"):
            raise ValueError("TRANSFER_POLICY.day_kind 只能是 calendar 或 working")


# --- The workflow table -----------------------------------------------------------------------------

STATES = {
    # outward (移送)
    "reported": "已报告负责人",
    "approved": "已批准移送",
    "refused": "不批准移送",
    "dispatched": "已移送公安机关",
    "received": "公安机关已接受",
    "filed": "公安机关已立案",
    "not_filed": "公安机关不予立案",
    "reconsideration": "提请复议中",
    "reconsideration_refused": "复议维持不予立案",
    "procuratorate": "已建议检察院立案监督",
    "handed_over": "涉案物品已移交",
    # inward (反向移送、检察意见)
    "registered": "已登记待回复",
    "replied": "已回复",
    "closed": "已办结",
}
OUT_PENDING = ("reported", "approved", "dispatched", "received", "filed", "not_filed", "reconsideration",
               "reconsideration_refused", "procuratorate", "handed_over")
TERMINAL = ("refused", "closed")
ROLES = {"team": "专案组成员", "head": "本机关负责人", "officer": "本机关持证执法人员"}


@dataclass(frozen=True)
class Action:
    code: str
    label: str
    sources: tuple[str, ...]
    target: str | None  # None: the service decides (the police decision's outcome)
    role: str  # team | head | officer
    direction: str  # out | in
    basis: str


ACTIONS = (
    Action("approve", "批准移送", ("reported",), "approved", "head", "out", c.O310_ART5_2),
    Action("refuse", "不批准移送", ("reported",), "refused", "head", "out", c.O310_ART5_2),
    Action("dispatch", "移送公安机关", ("approved",), "dispatched", "team", "out", c.O310_ART6),
    Action("record_receipt", "登记公安机关回执", ("dispatched",), "received", "team", "out", c.O310_ART7),
    Action("record_police_decision", "登记立案决定", ("received", "procuratorate"), None, "team", "out", c.O310_ART8),
    Action("request_reconsideration", "提请公安机关复议", ("not_filed",), "reconsideration", "head", "out", c.O310_ART9_1),
    Action("record_reconsideration", "登记复议决定", ("reconsideration",), None, "team", "out", c.O310_ART9_2),
    Action("suggest_procuratorate", "建议检察院立案监督", ("not_filed", "reconsideration_refused"), "procuratorate", "head", "out",
           c.O310_ART9_2),
    Action("hand_over_items", "移交涉案物品和材料", ("filed",), "handed_over", "team", "out", c.O310_ART12),
    Action("reply", "回复", ("registered",), "replied", "head", "in", c.APL_ART27),
    Action("close", "办结", ("handed_over", "not_filed", "reconsideration_refused", "procuratorate", "refused", "replied"),
           "closed", "head", "any", c.O310_ART10),
)
BY_CODE = {a.code: a for a in ACTIONS}


def state_label(state: str) -> str:
    return STATES.get(state, state)


def check_state(action: Action, state: str, direction: str) -> list[Violation]:
    """The action applies to this direction and state (``WRONG_STATE`` otherwise)."""
    if action.direction not in ("any", direction):
        side = "移送" if direction == "out" else "反向移送或检察意见"
        return [Violation(WRONG_STATE, f"{side}不能{action.label}。", action.basis)]
    if state not in action.sources:
        return [Violation(WRONG_STATE, f"当前状态为“{state_label(state)}”，不能{action.label}。", action.basis)]
    return []


def possible_actions(state: str, direction: str) -> list[str]:
    return [a.code for a in ACTIONS if state in a.sources and a.direction in ("any", direction)]


# --- Guards -------------------------------------------------------------------------------------------

def check_team(valid_officers: int, named: int) -> list[Violation]:
    """Art.5 ¶1: 2 or more enforcement officers form the team (辅助人员 and officers without a valid
    certificate do not count)."""
    if valid_officers >= 2:
        return []
    return [Violation(TRANSFER_TEAM_TOO_SMALL,
                      f"专案组应当由2名以上持有有效行政执法证的执法人员组成，当前指定{named}人，其中符合条件的{valid_officers}人。",
                      c.O310_ART5_1)]


def check_reason(text: str | None, what: str, basis: str) -> list[Violation]:
    if (text or "").strip():
        return []
    return [Violation(REASON_REQUIRED, f"{what}应当说明理由。", basis)]


# The materials of art.6, in order: (1)–(3) always, (4) when the case was tested or appraised.
MATERIALS = {
    "letter": "涉嫌犯罪案件移送书",
    "report": "涉嫌犯罪案件情况的调查报告",
    "exhibits": "涉案物品清单",
    "tests": "有关检验报告或者鉴定结论",
    "other": "其他有关涉嫌犯罪的材料",
}


def missing_materials(report: str, exhibits: list[str], tested: bool, test_reports: list[str]) -> list[Violation]:
    """Art.6: what the transfer lacks at dispatch — the report's text, the exhibit list (each item;
    "无" written out when there is none) and, when the case had testing or appraisal, the reports."""
    missing = []
    if not (report or "").strip():
        missing.append(MATERIALS["report"])
    if not [x for x in exhibits if (x or "").strip()]:
        missing.append(MATERIALS["exhibits"])
    if tested and not [x for x in test_reports if (x or "").strip()]:
        missing.append(MATERIALS["tests"])
    if not missing:
        return []
    return [Violation(TRANSFER_MATERIALS_MISSING, f"移送材料不全：缺少{'、'.join(missing)}。", c.O310_ART6)]


REPLY_OUTCOMES = {
    "penalty_case": "立案查处（行政处罚案件）",
    "no_penalty": "不予行政处罚（说明理由）",
    "reasoned_reply": "书面说明理由回复",
}


def check_reply(outcome: str, reasons: str, has_case: bool) -> list[Violation]:
    """An inward matter ends in a penalty case, a no-penalty decision with reasons or a reasoned
    reply — never "no action" (APL art.27; O310 art.13)."""
    if outcome not in REPLY_OUTCOMES:
        return [Violation(REPLY_OUTCOME_INVALID, "回复结果应为立案查处、不予行政处罚或者书面说明理由，不得不作处理。", c.APL_ART27)]
    if outcome == "penalty_case":
        return [] if has_case else [Violation(INVALID_INPUT, "立案查处的，应当关联本机关办理的案件。", c.APL_ART27)]
    return check_reason(reasons, "不予行政处罚或者书面回复", c.APL_ART27)


def blocks_fine(direction: str, state: str, police_decision: str) -> bool:
    """Art.11 ¶1: no fine in place of a transfer. An outward transfer blocks a fine on its case from
    the report until it is refused by the head, or closed after the police declined to file (art.10:
    the agency then deals with the case itself). After the police filed, the criminal court fines
    (art.11 ¶3 offsets what was paid before): the block stays."""
    if direction != "out":
        return False
    if state == "refused":
        return False
    if state == "closed":
        return police_decision != "not_filed"
    return True


# --- Thresholds -----------------------------------------------------------------------------------------

MEASURES = {"goods_value": "货值金额", "illegal_gains": "违法所得", "amount": "涉案金额（货值金额或违法所得中较高者）"}


@dataclass(frozen=True)
class Threshold:
    """A criminal threshold of an item (立案追诉标准), as data with its source."""

    id: int
    measure: str  # goods_value | illegal_gains | amount
    amount: Decimal
    offence: str
    source: str
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None


def meets_threshold(thresholds: list[Threshold], goods_value: Decimal | None, illegal_gains: Decimal | None,
                    on: dt.date) -> list[Threshold]:
    """The thresholds in force on ``on`` (the act's date) that the case's amounts reach (art.3)."""
    values = {"goods_value": goods_value, "illegal_gains": illegal_gains,
              "amount": max((v for v in (goods_value, illegal_gains) if v is not None), default=None)}
    met = []
    for t in thresholds:
        if t.effective_from and on < t.effective_from or t.effective_to and on > t.effective_to:
            continue
        value = values.get(t.measure)
        if value is not None and value >= t.amount:
            met.append(t)
    return met


# --- Clocks ----------------------------------------------------------------------------------------------

def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(SHANGHAI)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, the last day of a shorter month (民事诉讼法第八十五条: 月 by the calendar)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def days_due(schedule: Schedule, start: dt.date, n: int, policy: TransferPolicy) -> Due:
    """The last day of an Order 310 period of ``n`` days from ``start`` (start not counted)."""
    if policy.day_kind == "working":
        return schedule.add_working_days(start, n)
    return schedule.add_calendar_days(start, n)


def months_due(schedule: Schedule, start: dt.date, months: int) -> Due:
    """A period in months; a last day on a rest day moves to the next working day."""
    return schedule.add_calendar_days(start, (add_months(start, months) - start).days)


@dataclass(frozen=True)
class Clock:
    """One running or finished period. ``due`` is a datetime for an hours clock, a date otherwise.
    ``whose``: who must act (the agency or the police); ``optional``: a window the agency *may* use
    (art.9 "可以"): letting it lapse is a choice, not a breach."""

    kind: str
    label: str
    basis: str
    unit: str  # hours | days | months
    due: dt.date | dt.datetime
    done_at: dt.date | dt.datetime | None
    status: str  # running | soon | overdue | met | late | lapsed
    whose: str = "agency"
    optional: bool = False
    provisional: bool = False

    def as_dict(self) -> dict:
        return {"kind": self.kind, "label": self.label, "basis": self.basis, "unit": self.unit, "due": self.due,
                "done_at": self.done_at, "status": self.status, "whose": self.whose, "optional": self.optional,
                "provisional": self.provisional}


STATUS_LABELS = {"running": "计时中", "soon": "即将到期", "overdue": "已逾期", "met": "按时完成", "late": "逾期完成",
                 "lapsed": "期间已过（未行使）"}


@dataclass(frozen=True)
class Facts:
    """What the clocks need of a transfer (times aware, dates in Shanghai)."""

    direction: str
    state: str
    reported_at: dt.datetime | None = None
    head_decided_at: dt.datetime | None = None
    approved: bool = False
    dispatched_at: dt.datetime | None = None
    received_on: dt.date | None = None
    police_decision: str = ""  # filed | not_filed (the latest)
    police_decision_on: dt.date | None = None
    first_not_filed_on: dt.date | None = None
    reconsideration_requested_at: dt.datetime | None = None
    reconsideration_result: str = ""
    reconsideration_answer_on: dt.date | None = None
    procuratorate_suggested_at: dt.datetime | None = None
    filed_on: dt.date | None = None
    handed_over_at: dt.datetime | None = None
    inward_kind: str = ""  # reverse | opinion
    inward_received_on: dt.date | None = None
    replied_at: dt.datetime | None = None
    reply_months: int | None = None  # an inward matter's own period, when the sender set one


def _hours_status(due: dt.datetime, done: dt.datetime | None, now: dt.datetime, policy: TransferPolicy) -> str:
    if done is not None:
        return "met" if done <= due else "late"
    if now > due:
        return "overdue"
    return "soon" if now >= due - dt.timedelta(hours=policy.soon_hours) else "running"


def _days_status(due: dt.date, done: dt.date | None, today: dt.date, policy: TransferPolicy, optional: bool) -> str:
    if done is not None:
        return "met" if done <= due else "late"
    if today > due:
        return "lapsed" if optional else "overdue"
    return "soon" if (due - today).days <= policy.soon_days else "running"


def _date(moment: dt.datetime | None) -> dt.date | None:
    return local(moment).date() if moment is not None else None


def clocks(f: Facts, schedule: Schedule, now: dt.datetime, policy: TransferPolicy) -> list[Clock]:
    """Every clock of the transfer so far, in procedural order: finished ones with how they ended,
    the running ones with their status on ``now``. A clock starts only when its starting event is
    recorded; a clock whose event can no longer happen (the head refused: no dispatch) is absent."""
    today = local(now).date()
    out: list[Clock] = []

    def days(kind, label, basis, start, n, done, whose="agency", optional=False):
        due = days_due(schedule, start, n, policy)
        out.append(Clock(kind, label, basis, "days", due.date, done, _days_status(due.date, done, today, policy, optional),
                         whose, optional, due.provisional))

    if f.direction == "in":
        if f.inward_received_on is not None:
            months = f.reply_months or (policy.opinion_reply_months if f.inward_kind == "opinion" else policy.reverse_reply_months)
            due = months_due(schedule, f.inward_received_on, months)
            done = _date(f.replied_at)
            label = "回复检察意见" if f.inward_kind == "opinion" else "处理反向移送案件并回复"
            basis = c.PROCURATORATE_OPINION if f.inward_kind == "opinion" else f"{c.APL_ART27}；{c.O310_ART13}"
            out.append(Clock("reply", label, basis, "months", due.date, done, _days_status(due.date, done, today, policy, False),
                             "agency", False, due.provisional))
        return out

    if f.reported_at is not None:  # art.5 ¶2: the head decides within 3 days of the report
        days("head_decision", "负责人审批（批准或者不批准移送）", c.O310_ART5_2, _date(f.reported_at), policy.head_days,
             _date(f.head_decided_at))
    if f.approved and f.head_decided_at is not None:  # art.5 ¶2: dispatched within 24 hours of approval
        due = local(f.head_decided_at) + dt.timedelta(hours=policy.dispatch_hours)
        done = local(f.dispatched_at) if f.dispatched_at else None
        out.append(Clock("dispatch", f"批准后{policy.dispatch_hours}小时内移送公安机关", c.O310_ART5_2, "hours", due, done,
                         _hours_status(due, done, local(now), policy)))
    if f.dispatched_at is not None:  # art.7: the receipt; the text sets no period — a configurable alert
        days("receipt", "公安机关在移送书回执上签字（提醒期限，可配置）", c.O310_ART7, _date(f.dispatched_at),
             policy.receipt_alert_days, f.received_on, whose="police")
    if f.received_on is not None:  # art.8: the police decide within 3 days of accepting the case
        first = f.first_not_filed_on or (f.police_decision_on if f.police_decision else None)
        days("police_decision", "公安机关作出立案或者不予立案决定", c.O310_ART8, f.received_on, policy.police_decision_days,
             first, whose="police")
    if f.first_not_filed_on is not None:  # art.9 ¶1: the agency may ask for reconsideration within 3 days
        days("reconsideration_request", "提请公安机关复议（可选）", c.O310_ART9_1, f.first_not_filed_on,
             policy.reconsideration_request_days, _date(f.reconsideration_requested_at), optional=True)
    if f.reconsideration_requested_at is not None:  # art.9 ¶2: the police answer within 3 days
        days("reconsideration_answer", "公安机关作出复议决定", c.O310_ART9_2, _date(f.reconsideration_requested_at),
             policy.reconsideration_answer_days, f.reconsideration_answer_on, whose="police")
    if f.reconsideration_result == "not_filed" and f.reconsideration_answer_on is not None:
        # art.9 ¶2: still disagreeing, the agency suggests supervision to the procuratorate within 3 days
        days("procuratorate", "建议人民检察院立案监督（可选）", c.O310_ART9_2, f.reconsideration_answer_on,
             policy.procuratorate_days, _date(f.procuratorate_suggested_at), optional=True)
    if f.filed_on is not None:  # art.12: items and materials handed over within 3 days of the filing notice
        days("handover", "移交涉案物品和有关材料", c.O310_ART12, f.filed_on, policy.handover_days, _date(f.handed_over_at))
    return out


def running(cl: list[Clock]) -> list[Clock]:
    return [x for x in cl if x.status in ("running", "soon", "overdue")]


def is_overdue(cl: list[Clock]) -> bool:
    return any(x.status == "overdue" for x in cl)


def next_due(cl: list[Clock]) -> tuple[dt.datetime | None, str]:
    """The most urgent running duty clock as a moment (a date's end: 24:00 that day, Shanghai) and its
    kind: stored on the transfer so that the ledger sorts and filters by it in SQL."""
    best: tuple[dt.datetime, str] | None = None
    for x in running(cl):
        if x.optional:  # a window the agency may let pass (art.9 "可以") is never overdue
            continue
        moment = x.due if isinstance(x.due, dt.datetime) else dt.datetime.combine(x.due + dt.timedelta(days=1), dt.time.min, SHANGHAI)
        if best is None or moment < best[0]:
            best = (moment, x.kind)
    return (best[0], best[1]) if best else (None, "")


@dataclass(frozen=True)
class Offset:
    """Art.11 ¶2–3: what the case decided before the transfer — measures that stand and the fine
    paid, to be offset against a criminal fine."""

    standing: list[str] = field(default_factory=list)
    fine_paid: Decimal = Decimal(0)


# Art.11 ¶2: the measures decided before the transfer that stand (警告, 责令停产停业, 暂扣或者吊销许可证、执照).
STANDING_KINDS = {"warning": "警告", "suspension": "责令停产停业", "permit_suspension": "暂扣许可证件",
                  "permit_revocation": "吊销许可证件", "downgrade": "降低资质等级", "closure": "责令关闭",
                  "restrict_operation": "限制开展生产经营活动"}


def offset(kinds: list[str], paid: Decimal | None) -> Offset:
    return Offset([STANDING_KINDS[k] for k in kinds if k in STANDING_KINDS], paid or Decimal(0))
