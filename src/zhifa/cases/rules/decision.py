"""Guards before the decision: the pre-decision notice, statement and defence, the hearing (APL
arts.44–45, 62–64), legal review (art.58, R18), the benchmark (R19), audio-video records (R13/R17), the
on-scene formalities (R15) and the party's online defence."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Sequence

from zhifa.catalog.rules import PenaltyKind
from zhifa.core.violations import INVALID_INPUT, WRONG_STATE, Violation

from .codes import (
    ART33_3, ART44, ART44_62, ART45, ART52, ART55, ART57, ART58, ART63, ART64, AV_RECORD_REQUIRED,
    COLLECTIVE_DISCUSSION_REQUIRED, CREDENTIALS_NOT_SHOWN, DEFENCE_PERIOD_OPEN, EDUCATION_REQUIRED, GUOBAN_2018_118,
    HEARING_CHAIR_IS_INVESTIGATOR, HEARING_NOT_APPLICABLE, HEARING_NOTICE_TOO_SHORT, HEARING_PERIOD_OPEN,
    HEARING_REQUEST_LATE, HEARING_REQUIRED, LEGAL_REVIEW_FAILED, LEGAL_REVIEW_REQUIRED, NOTICE_REQUIRED,
    OUTSIDE_BENCHMARK_WITHOUT_REASON, PENALTY_ABOVE_NOTICE, R19, RENOTICE_NEEDS_NEW_FACTS, REVIEWER_IS_INVESTIGATOR,
    REVIEWER_NOT_QUALIFIED, RIGHTS_NOT_TOLD, ZERO,
)
from .policy import money

# --- Notice, defence, hearing ----------------------------------------------------------------

@dataclass(frozen=True)
class NoticeFacts:
    """The pre-decision notice currently in force (事先告知) and what came of it."""

    served_on: dt.date
    kinds: tuple[str, ...]
    amount: Decimal | None
    defence_due: dt.date
    hearing_due: dt.date | None  # None: no hearing right
    defence_done: bool = False  # statement heard or waived (陈述申辩或者放弃)
    hearing_status: str = "none"  # none / requested / scheduled / held / waived / withdrawn


def check_renotice(old: NoticeFacts | None, kinds: Sequence[str], amount: Decimal | None, new_facts: bool) -> list[Violation]:
    """APL art.45: defence never makes the penalty heavier; a heavier proposal after a notice
    needs new facts or evidence (and restarts the periods with a new notice)."""
    if old is None:
        return []
    heavier = (amount or ZERO) > (old.amount or ZERO) or _heavier_kinds(kinds, old.kinds)
    if heavier and not new_facts:
        return [Violation(RENOTICE_NEEDS_NEW_FACTS,
                          "重新告知的处罚重于原告知内容，只能基于新的事实或者证据；不得因当事人陈述申辩而加重处罚。", ART45)]
    return []


def _heavier_kinds(kinds: Sequence[str], noticed: Sequence[str]) -> bool:
    """A kind not in the notice makes the proposal heavier (a new kind is a new penalty)."""
    return any(k not in noticed for k in kinds)


def check_hearing_request(notice: NoticeFacts | None, today: dt.date) -> list[Violation]:
    """APL art.64 (1): request within 5 working days of the notice, only where the right exists."""
    if notice is None:
        return [Violation(NOTICE_REQUIRED, "尚未送达行政处罚告知书，不能申请听证。", ART44_62)]
    if notice.hearing_due is None:
        return [Violation(HEARING_NOT_APPLICABLE, "拟作出的处罚不属于听证范围。", ART63)]
    if today > notice.hearing_due:
        return [Violation(HEARING_REQUEST_LATE, f"听证申请期限已于{notice.hearing_due.isoformat()}届满。", ART64)]
    return []


def check_hearing_schedule(chair_id: int, officer_ids: Iterable[int], notified_on: dt.date, earliest: dt.date,
                           hearing_on: dt.date) -> list[Violation]:
    """APL art.64: the chair is not an investigator; notice at least 7 (working) days before."""
    out = []
    if chair_id in set(officer_ids):
        out.append(Violation(HEARING_CHAIR_IS_INVESTIGATOR, "听证主持人不得由本案调查人员担任。", f"{ART64}第（四）项"))
    if hearing_on < earliest:
        out.append(Violation(HEARING_NOTICE_TOO_SHORT,
                             f"应当在举行听证的七个工作日前通知当事人，{notified_on.isoformat()}通知的最早可于{earliest.isoformat()}举行。",
                             f"{ART64}第（二）项"))
    return out


def check_before_decision(
    *,
    kinds: Sequence[str],
    amount: Decimal | None,
    notice: NoticeFacts | None,
    today: dt.date,
    review_needed: bool,
    review_result: str | None,
    review_reasons: Sequence[str] = (),
    collective_needed: bool = False,
    collective_held: bool = False,
) -> list[Violation]:
    """Everything that must be true before a penalty decision under the normal procedure (普通程序)."""
    out: list[Violation] = []
    penalising = bool(kinds)
    if penalising and notice is None:
        out.append(Violation(NOTICE_REQUIRED, "作出行政处罚决定之前，应当告知当事人拟作出的处罚内容及事实、理由、依据和陈述、申辩、听证权利。", ART44_62))
    if penalising and notice is not None:
        if not notice.defence_done and today <= notice.defence_due:
            out.append(Violation(DEFENCE_PERIOD_OPEN,
                                 f"当事人陈述申辩期限至{notice.defence_due.isoformat()}，期满或者当事人放弃前不得作出决定。", ART44_62))
        if notice.hearing_due is not None and notice.hearing_status == "none" and today <= notice.hearing_due:
            out.append(Violation(HEARING_PERIOD_OPEN,
                                 f"当事人申请听证的期限至{notice.hearing_due.isoformat()}，期满或者当事人放弃前不得作出决定。", ART64))
        if notice.hearing_status in ("requested", "scheduled"):
            out.append(Violation(HEARING_REQUIRED, "当事人已申请听证，应当组织听证后再作出决定。", ART63))
        if (amount or ZERO) > (notice.amount or ZERO) or any(k not in notice.kinds for k in kinds):
            out.append(Violation(PENALTY_ABOVE_NOTICE,
                                 f"决定的处罚（{money(amount)}）不得重于告知的处罚（{money(notice.amount)}、{'、'.join(PenaltyKind(k).label for k in notice.kinds if k in PenaltyKind._value2member_map_)}）。",
                                 ART45))
    if review_needed and review_result is None:
        why = "；".join(review_reasons)
        out.append(Violation(LEGAL_REVIEW_REQUIRED, "本案应当进行法制审核，未经法制审核或者审核未通过的，不得作出决定。" + (f"（{why}）" if why else ""), ART58))
    if review_needed and review_result == "fail":
        out.append(Violation(LEGAL_REVIEW_FAILED, "法制审核未通过，不得作出决定；请根据审核意见整改后重新提交审核。", ART58))
    if collective_needed and not collective_held:
        out.append(Violation(COLLECTIVE_DISCUSSION_REQUIRED, "情节复杂或者重大违法行为给予行政处罚，应当由行政机关负责人集体讨论决定。", ART57))
    return out


def check_benchmark(amount: Decimal | None, low: Decimal | None, high: Decimal | None, reason: str) -> list[Violation]:
    """R19: a fine outside the benchmark range of the grade that applies needs a written reason."""
    if amount is None or (low is None and high is None):
        return []
    outside = (low is not None and amount < low) or (high is not None and amount > high)
    if outside and not (reason or "").strip():
        return [Violation(OUTSIDE_BENCHMARK_WITHOUT_REASON,
                          f"罚款{money(amount)}超出裁量基准范围（{money(low) if low is not None else '—'}至{money(high) if high is not None else '—'}），应当在决定书中说明理由。",
                          R19)]
    return []


def check_reviewer(reviewer_id: int, officer_ids: Iterable[int], is_reviewer: bool, qualified: bool, first_time: bool) -> list[Violation]:
    """R18: a legal reviewer is never one of the case's investigators; first-time reviewers hold
    the national legal qualification (APL art.58 ¶2)."""
    out = []
    if reviewer_id in set(officer_ids):
        out.append(Violation(REVIEWER_IS_INVESTIGATOR, "法制审核人员不得是本案的承办（调查）人员。", ART58))
    if not is_reviewer:
        out.append(Violation(REVIEWER_NOT_QUALIFIED, "该人员不是法制审核人员。", ART58))
    elif first_time and not qualified:
        out.append(Violation(REVIEWER_NOT_QUALIFIED, "初次从事法制审核的人员应当通过国家统一法律职业资格考试取得法律职业资格。", f"{ART58}第二款"))
    return out


def check_av_record(level: str, has_av: bool, act_label: str, basis: str) -> list[Violation]:
    """R13/R17: acts on the recording catalogue with level ``must`` need an audio-video record."""
    if level == "must" and not has_av:
        return [Violation(AV_RECORD_REQUIRED, f"{act_label}应当进行全程音像记录，请先上传音像记录证据。", basis or GUOBAN_2018_118)]
    return []


# --- On-scene formalities (亮证、告知) — R15 ------------------------------------------------------

def check_formalities(credentials_shown: bool, rights_told: bool, *, on_spot: bool) -> list[Violation]:
    """R15: showing the enforcement credentials (出示执法证件, APL art.55; on the spot art.52) and
    telling the party its rights and remedies (告知权利和救济途径, APL art.44; on the spot art.52)
    are recorded acts; no decision without them."""
    out = []
    if not credentials_shown:
        out.append(Violation(CREDENTIALS_NOT_SHOWN,
                             "执法人员应当主动向当事人或者有关人员出示执法证件，请先记录亮证（出示执法证件）。",
                             ART52 if on_spot else ART55))
    if not rights_told:
        out.append(Violation(RIGHTS_NOT_TOLD,
                             "作出行政处罚决定前，应当告知当事人拟作出的处罚内容及事实、理由、依据和依法享有的陈述、申辩等权利及救济途径，请先记录告知。",
                             f"{ART44}、{ART52}" if on_spot else ART44))
    return out


def check_education(outcome: str, educated: bool) -> list[Violation]:
    """APL art.33 ¶3: a party not punished is educated (教育), and the education is recorded."""
    if outcome == "no_penalty" and not educated:
        return [Violation(EDUCATION_REQUIRED, "依法不予行政处罚的，应当对当事人进行教育，请记录教育的情况。", ART33_3)]
    return []


# --- Legal review still covers the proposal (R18) ----------------------------------------------

def review_covers(basis: dict | None, kinds: Sequence[str], amount: Decimal | None) -> bool:
    """A passed legal review counts only for the penalty it reviewed: a later change of the kinds
    or the amount (a re-notice with a higher amount …) needs a new review (APL art.58)."""
    if not basis:
        return False
    reviewed_amount = basis.get("amount")
    reviewed_amount = Decimal(str(reviewed_amount)) if reviewed_amount not in (None, "") else None
    return sorted(basis.get("kinds") or []) == sorted(kinds or []) and (reviewed_amount or ZERO) == (amount or ZERO)


# --- The party's own statement and defence, made online (当事人在线陈述申辩) --------------------

DEFENCE_PERIOD_CLOSED = "DEFENCE_PERIOD_CLOSED"
DEFENCE_ALREADY_MADE = "DEFENCE_ALREADY_MADE"
MAX_ONLINE_STATEMENT = 2000


def check_online_defence(state: str, defence_due: dt.date | None, defence_done: bool, today: dt.date,
                         statement: str) -> list[Violation]:
    """APL arts.44, 45: after the pre-decision notice the party may state and defend within the
    period the notice gives; once it has (or waived) the right, or once the period has passed,
    a further online submission is refused — the officers may still hear it in person."""
    out: list[Violation] = []
    if state != "notified" or defence_due is None:
        out.append(Violation(WRONG_STATE, "该案件当前不在陈述申辩阶段（尚未告知或者已作出决定）。", ART44_62))
    elif defence_done:
        out.append(Violation(DEFENCE_ALREADY_MADE, "已经陈述申辩或者放弃陈述申辩，不能再次在线提交。", ART44_62))
    elif today > defence_due:
        out.append(Violation(DEFENCE_PERIOD_CLOSED, f"陈述申辩期限已于{defence_due.isoformat()}届满。", ART44_62))
    text = (statement or "").strip()
    if len(text) < 2:
        out.append(Violation(INVALID_INPUT, "请填写陈述申辩的内容。", ART44_62))
    elif len(text) > MAX_ONLINE_STATEMENT:
        out.append(Violation(INVALID_INPUT, f"陈述申辩内容至多 {MAX_ONLINE_STATEMENT} 字。", ART44_62))
    return out
