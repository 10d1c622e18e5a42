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
