"""Supervision notices (行政执法监督通知书 / 意见书, 案卷评查单) and their rectification loop (R32).

issued (已下发) → the body responds with its rectification and evidence → responded (已反馈) →
the office accepts (→ closed, 已办结) or sends it back (→ returned, 退回整改) → the body responds
again … A notice closes only on accepted evidence (``RECTIFICATION_EVIDENCE_REQUIRED``). The kinds
and their response periods are data (``notice_kinds.toml``) until the national regulation's text
on them is confirmed (O825).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zhifa.core.violations import Violation

from .codes import BASIS_NOTICE, RECTIFICATION_EVIDENCE_REQUIRED, REASON_REQUIRED, WRONG_STATE

ISSUED, RESPONDED, RETURNED, CLOSED = "issued", "responded", "returned", "closed"
STATE_LABELS = {ISSUED: "待整改", RESPONDED: "已反馈待审核", RETURNED: "退回整改", CLOSED: "已办结"}


@dataclass(frozen=True)
class Action:
    code: str
    label: str
    sources: tuple[str, ...]
    target: str
    side: str  # "body" (the body answering) or "office" (the supervision office)


ACTIONS = {a.code: a for a in (
    Action("respond", "反馈整改情况", (ISSUED, RETURNED), RESPONDED, "body"),
    Action("accept", "验收通过并办结", (RESPONDED,), CLOSED, "office"),
    Action("send_back", "退回重新整改", (RESPONDED,), RETURNED, "office"),
)}


def check_action(code: str, state: str, *, evidence_count: int = 0, text: str = "") -> list[Violation]:
    """The guards of one step: the state; a response carries its rectification; acceptance needs
    the latest response's evidence; a send-back says why."""
    action = ACTIONS[code]
    found = []
    if state not in action.sources:
        found.append(Violation(WRONG_STATE, f"监督通知书当前为“{STATE_LABELS.get(state, state)}”，不能{action.label}。", BASIS_NOTICE))
    if code == "respond" and not text.strip():
        found.append(Violation(REASON_REQUIRED, "请填写整改情况。", BASIS_NOTICE))
    if code in ("respond", "accept") and evidence_count == 0:
        found.append(Violation(RECTIFICATION_EVIDENCE_REQUIRED, "整改须附整改证明材料，无证明材料不能办结。", BASIS_NOTICE))
    if code == "send_back" and not text.strip():
        found.append(Violation(REASON_REQUIRED, "退回整改须说明理由。", BASIS_NOTICE))
    return found


def is_overdue(state: str, due: dt.date, today: dt.date) -> bool:
    """A notice awaiting the body's response after its deadline (逾期未反馈)."""
    return state in (ISSUED, RETURNED) and today > due


REMIND, ESCALATE = "remind", "escalate"
ESCALATION_LABELS = {REMIND: "逾期催办", ESCALATE: "逾期报请处理"}


def escalation_step(state: str, due: dt.date, reminded_on: dt.date | None, escalated_on: dt.date | None, today: dt.date, *,
                    add_workdays, reminder_after: int, escalate_after: int) -> str | None:
    """The escalation an overdue notice is due for today (``notice_escalation.toml``; legal-rules
    §J, O825 art.6): none while the body may still answer or once it has; ``remind`` (催办)
    ``reminder_after`` working days after the deadline; ``escalate`` (报请本级人民政府、上级监督
    机构) ``escalate_after`` working days after the reminder; nothing after the escalation.
    ``add_workdays(date, n)`` is the working-day calendar (injected: this module stays pure)."""
    if state not in (ISSUED, RETURNED) or escalated_on is not None:
        return None
    if reminded_on is None:
        return REMIND if today >= add_workdays(due, reminder_after) else None
    return ESCALATE if today >= add_workdays(reminded_on, escalate_after) else None
