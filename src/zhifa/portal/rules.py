"""The law of complaints and reports about enforcement (投诉举报, legal-rules §H, SAMR Order 20 as
the model; R35). Pure: no Django, no database, no clock.

- A complaint (投诉) names the complainant (name, phone, address: SAMR20 art.9); a report (举报)
  may be anonymous (art.25 ff.: only a named reporter is told of the outcome, art.31).
- The body decides whether to accept within 7 working days of receipt and tells the
  complainant (art.14); it does not accept, among others, a matter the complainant knew of more
  than 3 years before (art.15).
- The reporter's identity is never disclosed to the reported party (art.33): the body's staff
  see a complaint without it.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum

from zhifa.core import citations
from zhifa.core.violations import Violation

ACCEPTANCE_WORKING_DAYS = 7  # SAMR20 art.14
LIMITATION_YEARS = 3  # SAMR20 art.15

# Abuse resistance without a captcha service (issue #19): at most this many filings per address
# per hour, and these sizes.
FILINGS_PER_ADDRESS_PER_HOUR = 5
MAX_SUBJECT = 100
MAX_FACTS = 2000
MAX_REQUEST = 500
MAX_ANSWER = 2000

# A tracking code: "TS" and 12 characters of an alphabet without look-alikes (0/O, 1/I/L).
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 12
_TRACKING = re.compile(rf"^TS[{TRACKING_ALPHABET}]{{{TRACKING_LENGTH}}}$")

# Violation codes
WRONG_STATE = "COMPLAINT_WRONG_STATE"
REASON_REQUIRED = "REASON_REQUIRED"
NOT_HANDLER = "COMPLAINT_NOT_HANDLER"
IDENTITY_REQUIRED = "COMPLAINANT_IDENTITY_REQUIRED"


class Kind(str, Enum):
    COMPLAINT = "complaint"
    REPORT = "report"

    @property
    def label(self) -> str:
        return {"complaint": "投诉", "report": "举报"}[self.value]


class State(str, Enum):
    RECEIVED = "received"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    HANDLED = "handled"
    ANSWERED = "answered"
    ABUSIVE = "abusive"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    State.RECEIVED: "已登记，待决定是否受理",
    State.ACCEPTED: "已受理，正在处理",
    State.REJECTED: "不予受理",
    State.HANDLED: "已处理，待答复",
    State.ANSWERED: "已答复（办结）",
    State.ABUSIVE: "已标记为滥用，不予处理",
}


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: tuple[State, ...]
    target: State
    needs_text: bool  # a reason, a handling note or the answer


ACTIONS = {
    "accept": Action("accept", "受理", (State.RECEIVED,), State.ACCEPTED, False),
    "reject": Action("reject", "不予受理", (State.RECEIVED,), State.REJECTED, True),
    "handle": Action("handle", "记录处理情况", (State.ACCEPTED,), State.HANDLED, True),
    "answer": Action("answer", "答复", (State.HANDLED,), State.ANSWERED, True),
    "mark_abusive": Action("mark_abusive", "标记为滥用", (State.RECEIVED, State.ACCEPTED), State.ABUSIVE, True),
}


def allowed_actions(state: State) -> list[str]:
    return [name for name, action in ACTIONS.items() if state in action.sources]


def check_action(state: State, name: str, text: str) -> list[Violation]:
    """Every reason the action ``name`` may not be taken on a complaint in ``state``."""
    action = ACTIONS[name]
    found = []
    if state not in action.sources:
        found.append(Violation(WRONG_STATE, f"投诉举报当前状态为“{state.label}”，不能{action.label}。", citations.SAMR20_ART14))
    if action.needs_text and not (text or "").strip():
        what = {"reject": "不予受理的理由", "handle": "处理情况", "answer": "答复内容", "mark_abusive": "标记为滥用的理由"}[name]
        found.append(Violation(REASON_REQUIRED, f"请填写{what}。", citations.SAMR20_ART14))
    return found


def check_identity(kind: Kind, anonymous: bool, name: str, phone: str) -> list[Violation]:
    """A complaint names its complainant (SAMR20 art.9); only a report may be anonymous."""
    if kind == Kind.COMPLAINT and (anonymous or not name.strip() or not phone.strip()):
        return [Violation(IDENTITY_REQUIRED, "投诉须填写投诉人姓名和联系电话；不愿留名的请选择“举报”。", citations.SAMR20_ART9)]
    return []


def limitation_passed(known_on: dt.date | None, received_on: dt.date) -> bool:
    """Whether the complainant knew of the matter more than 3 years before filing (SAMR20 art.15).
    Unknown → not passed (the reading that protects the complainant)."""
    if known_on is None:
        return False
    try:
        limit = known_on.replace(year=known_on.year + LIMITATION_YEARS)
    except ValueError:  # 29 February
        limit = known_on.replace(year=known_on.year + LIMITATION_YEARS, day=28)
    return received_on > limit


def valid_tracking_code(code: str) -> bool:
    return bool(_TRACKING.match(code or ""))


# --- Complaint findings (处理结论) -------------------------------------------------------------
# A handled complaint records whether it was upheld (成立 / 部分成立 / 不成立): the annual
# assessment counts the upheld ones (seed G §十四: problems found are verified and count in the
# year-end assessment), not the merely accepted ones.
FINDINGS = {"upheld": "成立", "partly_upheld": "部分成立", "not_upheld": "不成立"}
UPHELD_FINDINGS = ("upheld", "partly_upheld")
FINDING_REQUIRED = "COMPLAINT_FINDING_REQUIRED"
FINDING_BASIS = f"{citations.CITY_GUIDANCE}第（十四）项"


def check_finding(action: str, finding: str) -> list[Violation]:
    """Handling a complaint (记录处理情况) states its finding; no other action takes one."""
    if action == "handle" and finding not in FINDINGS:
        return [Violation(FINDING_REQUIRED, "记录处理情况时须认定投诉举报是否成立（成立、部分成立或不成立）。", FINDING_BASIS)]
    return []


# --- Ratings of an enforcement act by its party (行政执法评议) -----------------------------------
# The party of an act (a decided case, a concluded inspection) rates it once with the act's code
# (行政行为码) printed on the document it was served; seed D §六 (公众参与评价行政执法), APL art.75.
RATING_BASIS = f"{citations.CITY_DECISION}第六部分；{citations.APL_ART75}"
RATING_LEVELS = {"satisfied": "满意", "basic": "基本满意", "dissatisfied": "不满意"}
RATING_ASPECTS = {"attitude": "执法态度", "procedure": "程序规范", "rights": "告知权利", "integrity": "廉洁自律",
                  "efficiency": "办事效率"}
MAX_RATING_REASONS = 1000
RATING_REASONS_REQUIRED = "RATING_REASONS_REQUIRED"
ACT_ALREADY_RATED = "ACT_ALREADY_RATED"
ACT_NOT_CONCLUDED = "ACT_NOT_CONCLUDED"
ACT_CODE_INVALID = "ACT_CODE_INVALID"


def check_rating(level: str, aspects: list[str], reasons: str) -> list[Violation]:
    """A rating short of 满意 says why: the reasons and at least one aspect found wanting."""
    if level == "satisfied":
        return []
    found = []
    if len((reasons or "").strip()) < 5:
        found.append(Violation(RATING_REASONS_REQUIRED, "评议为“基本满意”或“不满意”的，请写明理由（至少 5 个字）。", RATING_BASIS))
    if not aspects:
        found.append(Violation(RATING_REASONS_REQUIRED, "请至少选择一个需要改进的方面。", RATING_BASIS))
    return found


def satisfaction_rate(satisfied: int, basic: int, total: int) -> float | None:
    """满意率: (满意 + 基本满意) ÷ 评议件数 × 100, one decimal; ``None`` without ratings."""
    return round((satisfied + basic) * 100 / total, 1) if total else None


# --- Filed work plans (执法计划备案, R42) ---------------------------------------------------------
# Each body draws up its plans and procedures and files them with the office of the city's
# rule-of-law leading group (seed G §十二); the supervision office accepts or returns them; the
# portal shows the accepted ones.
PLAN_BASIS = f"{citations.CITY_GUIDANCE}第（十二）项"
PLAN_KINDS = {"annual_plan": "年度行政执法计划", "work_plan": "文明执法与规范执法工作方案", "procedure": "执法操作流程"}
PLAN_STATES = {"filed": "已报送，待审查", "accepted": "已备案", "returned": "已退回"}
PLAN_WRONG_STATE = "PLAN_WRONG_STATE"
MAX_PLAN_CONTENT = 20000


def check_plan_review(state: str, decision: str, reason: str) -> list[Violation]:
    found = []
    if state != "filed":
        found.append(Violation(PLAN_WRONG_STATE, f"该计划当前状态为“{PLAN_STATES.get(state, state)}”，不能再审查。", PLAN_BASIS))
    if decision == "return" and not (reason or "").strip():
        found.append(Violation(REASON_REQUIRED, "退回的，请写明理由。", PLAN_BASIS))
    return found


# --- Law-popularisation articles (普法, 谁执法谁普法) -------------------------------------------
# A body's officer writes, its head or legal reviewer — another person — reviews before
# publication (seed D §五).
ARTICLE_BASIS = f"{citations.CITY_DECISION}第五部分"
ARTICLE_STATES = {"submitted": "待审核", "published": "已发布", "returned": "已退回", "withdrawn": "已撤下"}
ARTICLE_WRONG_STATE = "ARTICLE_WRONG_STATE"
ARTICLE_SELF_REVIEW = "ARTICLE_SELF_REVIEW"
MAX_ARTICLE = 20000
ARTICLE_ACTIONS = {"publish": ("submitted", "published"), "return": ("submitted", "returned"),
                   "withdraw": ("published", "withdrawn")}


def check_article_review(state: str, action: str, reason: str, *, author_id: int | None, reviewer_id: int | None) -> list[Violation]:
    found = []
    source, _ = ARTICLE_ACTIONS[action]
    if state != source:
        found.append(Violation(ARTICLE_WRONG_STATE, f"该文章当前状态为“{ARTICLE_STATES.get(state, state)}”，不能执行此操作。", ARTICLE_BASIS))
    if action == "publish" and author_id is not None and author_id == reviewer_id:
        found.append(Violation(ARTICLE_SELF_REVIEW, "作者不能审核发布自己撰写的文章。", ARTICLE_BASIS))
    if action in ("return", "withdraw") and not (reason or "").strip():
        found.append(Violation(REASON_REQUIRED, "请写明退回或撤下的理由。", ARTICLE_BASIS))
    return found


# --- Contact points and special supervisors (企业联系点、特邀行政执法监督员) ---------------------
CONTACT_BASIS = f"{citations.CITY_DECISION}第六部分"
CONTACT_KINDS = {"enterprise": "行政执法监督企业联系点", "supervisor": "特邀行政执法监督员"}
CONTACT_TERM_INVALID = "CONTACT_TERM_INVALID"
CONTACT_SCOPE = "CONTACT_SCOPE"
MAX_CONTACT_TERM_YEARS = 5


def check_contact(kind: str, has_body: bool, term_start: dt.date, term_end: dt.date) -> list[Violation]:
    """An enterprise contact point belongs to a body, a special supervisor to a jurisdiction; the
    term runs forward and at most five years (the city's appointments are for a fixed term)."""
    found = []
    if kind == "enterprise" and not has_body:
        found.append(Violation(CONTACT_SCOPE, "企业联系点须确定所联系的执法主体。", CONTACT_BASIS))
    if term_end < term_start or (term_end - term_start).days > 366 * MAX_CONTACT_TERM_YEARS:
        found.append(Violation(CONTACT_TERM_INVALID, f"聘期须自起始日至终止日，且不超过 {MAX_CONTACT_TERM_YEARS} 年。", CONTACT_BASIS))
    return found
