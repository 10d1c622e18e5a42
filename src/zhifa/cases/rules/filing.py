"""Guards of filing a case and of who handles it: limitation (APL art.36), competence, the state an
action needs, written reasons, recusal (art.43) and escalated handling (R23)."""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from zhifa.core import citations
from zhifa.core.violations import OUTSIDE_COMPETENCE, REASON_REQUIRED, WRONG_STATE, Violation

from .codes import ART36, ART42, ART47, ESCALATION_NOT_HIGHER, LIMITATION_EXPIRED, RECUSAL_LEAVES_TOO_FEW

# --- Filing ------------------------------------------------------------------------------------

def limitation_ends(act_date: dt.date, act_end: dt.date | None, years: int) -> dt.date:
    """The last day on which a violation may still be discovered (APL art.36): ``years`` after
    the act, or after its end where it is continuing (连续或者继续状态)."""
    start = act_end or act_date
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


def limitation_years(safety_harm: bool) -> int:
    """APL art.36: 2 years; 5 where life, health or financial safety is involved and harm resulted."""
    return 5 if safety_harm else 2


def check_limitation(act_date: dt.date, act_end: dt.date | None, safety_harm: bool, discovered_on: dt.date) -> list[Violation]:
    years = limitation_years(safety_harm)
    ends = limitation_ends(act_date, act_end, years)
    if discovered_on > ends:
        return [Violation(LIMITATION_EXPIRED, f"违法行为在{years}年内未被发现（至{ends.isoformat()}届满），不再给予行政处罚。", ART36)]
    return []


def check_competence(covers: bool, body_name: str, item_name: str) -> list[Violation]:
    if covers:
        return []
    return [Violation(OUTSIDE_COMPETENCE, f"“{item_name}”不在{body_name}的职权范围内（含赋权、委托事项），不得办理。",
                      "行政处罚法第十七条至第二十条、第三十八条")]


def check_state(state: str, allowed: Iterable[str], action_label: str, state_label: str) -> list[Violation]:
    if state in set(allowed):
        return []
    return [Violation(WRONG_STATE, f"案件当前处于“{state_label}”阶段，不能{action_label}。", ART47)]


def check_reason(reason: str, what: str, basis: str) -> list[Violation]:
    return [] if (reason or "").strip() else [Violation(REASON_REQUIRED, f"{what}应当写明理由。", basis)]


# --- Recusal, escalation ------------------------------------------------------------------------

def check_recusal(remaining_valid: int) -> list[Violation]:
    """APL art.43: the head decides recusal; the case keeps at least two certified officers."""
    if remaining_valid < 2:
        return [Violation(RECUSAL_LEAVES_TOO_FEW, "回避后本案持证执法人员少于二人，请同时指派新的承办人员。", ART42)]
    return []


def check_escalation(from_depth: int, to_depth: int, is_ancestor: bool) -> list[Violation]:
    """R23: escalated handling moves a case to a body of a higher level over its jurisdiction."""
    if to_depth >= from_depth or not is_ancestor:
        return [Violation(ESCALATION_NOT_HIGHER, "提级办理只能由上级行政区划的执法主体办理。", citations.APL_ART24_25)]
    return []
