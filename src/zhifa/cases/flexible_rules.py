"""The law of flexible enforcement (柔性执法, R21), pure: no Django, no database, no clock.

APL art.6 and ACL art.5: education joined with punishment, non-coercive means first — the five
forms (政策辅导、说服教育、劝导示范、警示告诫、指导约谈) are enforcement acts, recorded as such.
An interview (约谈) is held by two officers holding valid certificates (APL art.42), with minutes
and a follow-up date (legal-rules.md §G). APL art.33 ¶3: a party not punished is educated, and a
no-penalty case does not close without a recorded education act. A second "first offence not
punished" (首违不罚) of the same party under the same item within the look-back (no national
figure; 1 year by default, ``ZHIFA["FIRST_OFFENCE_LOOKBACK_DAYS"]``) is flagged and needs a reason.
"""
from __future__ import annotations

import datetime as dt

from zhifa.core import citations
from zhifa.core.violations import INVALID_INPUT, REASON_REQUIRED, Violation

MINUTES_REQUIRED = "MINUTES_REQUIRED"
FOLLOW_UP_REQUIRED = "FOLLOW_UP_REQUIRED"
REPEAT_FIRST_OFFENCE = "REPEAT_FIRST_OFFENCE"
EDUCATION_REQUIRED = "EDUCATION_REQUIRED"

KINDS = {"guidance": "政策辅导", "persuasion": "说服教育", "demonstration": "劝导示范", "warning": "警示告诫", "interview": "指导约谈"}
# The document each form issues when it issues one (documents/kinds.toml).
DOCUMENTS = {"guidance": "administrative_guidance", "interview": "interview_record"}
BASIS = f"{citations.APL_ART6}；{citations.ACL_ART5}"


def check_act(kind: str, content: str, minutes: str, acted_on: dt.date, follow_up_on: dt.date | None,
              today: dt.date) -> list[Violation]:
    """The act's own content: what was done, on a past day; an interview's minutes and follow-up
    date; a follow-up after the act."""
    v = []
    if not (content or "").strip():
        v.append(Violation(REASON_REQUIRED, f"请写明{KINDS.get(kind, '柔性执法')}的内容。", BASIS))
    if acted_on > today:
        v.append(Violation(INVALID_INPUT, "实施日期不得晚于今天。", ""))
    if follow_up_on is not None and follow_up_on <= acted_on:
        v.append(Violation(INVALID_INPUT, "回访日期应当晚于实施日期。", ""))
    if kind == "interview":
        if not (minutes or "").strip():
            v.append(Violation(MINUTES_REQUIRED, "指导约谈应当制作约谈笔录。", BASIS))
        if follow_up_on is None:
            v.append(Violation(FOLLOW_UP_REQUIRED, "指导约谈应当确定回访日期。", BASIS))
    return v


def repeat_first_offence(previous: list[dt.date], acted_on: dt.date, lookback_days: int) -> dt.date | None:
    """The latest earlier first offence not punished within the look-back before ``acted_on``
    (the day itself and ``lookback_days`` before it), or None."""
    start = acted_on - dt.timedelta(days=lookback_days)
    within = [d for d in previous if start <= d <= acted_on]
    return max(within) if within else None


def check_first_offence(previous_on: dt.date | None, lookback_days: int, override_reason: str) -> list[Violation]:
    if previous_on is None or (override_reason or "").strip():
        return []
    return [Violation(REPEAT_FIRST_OFFENCE,
                      f"该当事人在{lookback_days}日内（{previous_on:%Y-%m-%d}）已就同一事项适用首违不罚，再次适用应当说明理由。",
                      f"{citations.APL_ART33_1_FULL}（首违不罚清单）")]


def check_education_before_closing(outcome: str, education_acts: int) -> list[Violation]:
    """APL art.33 ¶3: a no-penalty case closes only with a recorded education act."""
    if outcome == "no_penalty" and education_acts == 0:
        return [Violation(EDUCATION_REQUIRED, "依法不予行政处罚的，应当对当事人进行教育；请先登记教育（柔性执法）情况再结案。",
                          citations.APL_ART33_3)]
    return []
