"""Pure legal guards of the case workflow (案件办理规则, legal-rules.md §A and §B).

No Django, no database, no clock: every function takes plain values (dates, amounts, kinds,
small frozen dataclasses) and returns a list of ``Violation`` (empty = allowed) or a value.
``services`` gathers the facts, calls every guard an action needs and refuses with all of their
violations at once. Every threshold is cited beside it; thresholds that differ by sector or place
are arguments (their defaults live in ``settings.ZHIFA`` / ``CasePolicy``), never constants.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Sequence

from zhifa.core import citations
from zhifa.catalog.rules import PenaltyKind, PartyKind
from zhifa.core.violations import INVALID_INPUT, OUTSIDE_COMPETENCE, REASON_REQUIRED, WRONG_STATE, Violation

ZERO = Decimal("0")

# --- Violation codes (contract.md lists the stable ones; the rest are added as the law needs) ---
LIMITATION_EXPIRED = "LIMITATION_EXPIRED"
SIMPLE_PROCEDURE_LIMIT = "SIMPLE_PROCEDURE_LIMIT"
NOTICE_REQUIRED = "NOTICE_REQUIRED"
DEFENCE_PERIOD_OPEN = "DEFENCE_PERIOD_OPEN"
HEARING_PERIOD_OPEN = "HEARING_PERIOD_OPEN"
HEARING_REQUIRED = "HEARING_REQUIRED"
LEGAL_REVIEW_REQUIRED = "LEGAL_REVIEW_REQUIRED"
LEGAL_REVIEW_FAILED = "LEGAL_REVIEW_FAILED"
PENALTY_ABOVE_NOTICE = "PENALTY_ABOVE_NOTICE"
OUTSIDE_BENCHMARK_WITHOUT_REASON = "OUTSIDE_BENCHMARK_WITHOUT_REASON"
AV_RECORD_REQUIRED = "AV_RECORD_REQUIRED"
SEIZURE_PERIOD_EXCEEDED = "SEIZURE_PERIOD_EXCEEDED"
# added by the case workflow
REVIEWER_IS_INVESTIGATOR = "REVIEWER_IS_INVESTIGATOR"
REVIEWER_NOT_QUALIFIED = "REVIEWER_NOT_QUALIFIED"
HEARING_CHAIR_IS_INVESTIGATOR = "HEARING_CHAIR_IS_INVESTIGATOR"
HEARING_NOTICE_TOO_SHORT = "HEARING_NOTICE_TOO_SHORT"
HEARING_NOT_APPLICABLE = "HEARING_NOT_APPLICABLE"
HEARING_REQUEST_LATE = "HEARING_REQUEST_LATE"
RENOTICE_NEEDS_NEW_FACTS = "RENOTICE_NEEDS_NEW_FACTS"
DUPLICATE_FINE = "DUPLICATE_FINE"
NOT_PUNISHABLE = "NOT_PUNISHABLE"
PAUSE_OVERLAP = "PAUSE_OVERLAP"
EXTENSION_NOT_ALLOWED = "EXTENSION_NOT_ALLOWED"
COLLECTIVE_DISCUSSION_REQUIRED = "COLLECTIVE_DISCUSSION_REQUIRED"
SERVICE_CONSENT_REQUIRED = "SERVICE_CONSENT_REQUIRED"
REMINDER_REQUIRED = "REMINDER_REQUIRED"
COURT_APPLICATION_TOO_EARLY = "COURT_APPLICATION_TOO_EARLY"  # ACL art.54: ten working days after the reminder
COURT_APPLICATION_WINDOW = "COURT_APPLICATION_WINDOW"  # ACL art.53: after the remedy periods, within 3 months
ABOVE_STATUTORY_MAXIMUM = "ABOVE_STATUTORY_MAXIMUM"  # a fine above the violated provision's maximum
INVALID_PENALTY = "INVALID_PENALTY"
RECUSAL_LEAVES_TOO_FEW = "RECUSAL_LEAVES_TOO_FEW"
ESCALATION_NOT_HIGHER = "ESCALATION_NOT_HIGHER"
DECISION_DEADLINE_PASSED = "DECISION_DEADLINE_PASSED"
CREDENTIALS_NOT_SHOWN = "CREDENTIALS_NOT_SHOWN"
RIGHTS_NOT_TOLD = "RIGHTS_NOT_TOLD"
EDUCATION_REQUIRED = "EDUCATION_REQUIRED"
SEIZURE_APPROVAL_LATE = "SEIZURE_APPROVAL_LATE"
ON_SPOT_COLLECTION_NOT_ALLOWED = "ON_SPOT_COLLECTION_NOT_ALLOWED"
RECEIPT_REQUIRED = "RECEIPT_REQUIRED"
COLLECTION_NOT_HANDED_OVER = "COLLECTION_NOT_HANDED_OVER"
REMEDY_PENDING = "REMEDY_PENDING"
NOT_PUBLISHABLE = "NOT_PUBLISHABLE"
OFFICER_NOT_OF_BODY = "OFFICER_NOT_OF_BODY"  # the named officers are not of the case's body (APL art.42)
SEIZURE_LIST_REQUIRED = "SEIZURE_LIST_REQUIRED"  # ACL art.24: the list of seized things, on the spot
APPROVAL_REQUIRED = "APPROVAL_REQUIRED"  # ACL art.18: a coercive measure approved beforehand
BENCHMARK_FACTS_INVALID = "BENCHMARK_FACTS_INVALID"  # the facts do not fit the discretion benchmark (R19)
FINE_INSTEAD_OF_TRANSFER = "FINE_INSTEAD_OF_TRANSFER"  # O310 art.11: no fine while a criminal transfer is pending

# --- Citations (the strings live in core/citations.py, one format per article) ----------
APL = citations.APL
ACL = citations.ACL
ART29 = citations.APL_ART29
ART30_33 = citations.APL_ART30_33
ART36 = citations.APL_ART36
ART42 = citations.APL_ART42
ART33_3 = citations.APL_ART33_3
ART44 = citations.APL_ART44
ART48 = citations.APL_ART48
ART52 = citations.APL_ART52
ART55 = citations.APL_ART55
ART68_71 = citations.APL_ART68_71
ART71 = citations.APL_ART71
ART73 = citations.APL_ART73
ART43 = citations.APL_ART43
ART44_62 = citations.APL_ART44_62
ART45 = citations.APL_ART45
ART47 = citations.APL_ART47
ART51 = citations.APL_ART51
ART57 = citations.APL_ART57
ART58 = citations.APL_ART58
ART60 = citations.APL_ART60
ART61 = citations.APL_ART61
ART63 = citations.APL_ART63
ART64 = citations.APL_ART64
ART72 = citations.APL_ART72
R19 = citations.GUOBAN_2022_27_SHORT
ACL18 = citations.ACL_ART18
ACL19 = citations.ACL_ART19
ACL25 = citations.ACL_ART25
ACL35 = citations.ACL_ART35
ACL53 = citations.ACL_ART53
ACL54 = citations.ACL_ART54
SAMR45_ART9 = citations.SAMR45_ART9
SAMR45_ART11 = citations.SAMR45_ART11
GUOBAN_2018_118 = citations.GUOBAN_2018_118

# Penalty kinds that open the hearing right whatever the amount (APL art.63 ¶1 items 2–5).
HEARING_KINDS = frozenset({
    PenaltyKind.DOWNGRADE, PenaltyKind.PERMIT_REVOCATION, PenaltyKind.SUSPENSION, PenaltyKind.CLOSURE,
    PenaltyKind.RESTRICT_OPERATION, PenaltyKind.OCCUPATIONAL_BAR,
})
SIMPLE_KINDS = frozenset({PenaltyKind.WARNING, PenaltyKind.FINE})


@dataclass(frozen=True)
class CasePolicy:
    """The configurable numbers of the procedure (legal-rules *configurable*), with defaults.

    Built by ``services.policy()`` from ``settings.ZHIFA["CASE_POLICY"]``.
    """

    # APL art.63: "较大数额" — market regulation (SAMR hearing measures): 10,000 / 100,000 yuan.
    hearing_threshold_person: Decimal = Decimal("10000")
    hearing_threshold_organisation: Decimal = Decimal("100000")
    # Statement and defence period (陈述申辩期限) after notice. The APL sets none; sector rules do
    # (SAMR procedure rules: 5 working days). Working days (APL art.85). *configurable*
    defence_working_days: int = 5
    defence_basis: str = "行政处罚法第四十四条；《市场监督管理行政处罚程序规定》第五十七条"
    # APL art.64 (1): request a hearing within 5 days of notice — working days (APL art.85).
    hearing_request_working_days: int = 5
    # APL art.64 (2): notify the hearing at least 7 days before — working days (APL art.85).
    hearing_notice_working_days: int = 7
    # APL art.54 / SAMR: file within 15 working days of the clue (+15 with approval). *configurable*
    # — and per sector (``filing_by_sector``: (sector, days, extension days, citation)).
    filing_working_days: int = 15
    filing_extension_working_days: int = 15
    filing_basis: str = "行政处罚法第五十四条；《市场监督管理行政处罚程序规定》第十八条"
    filing_by_sector: tuple = ()
    # The legal review's own period (法制审核期限), from the request: 5 working days by default (many
    # provinces' measures: 5, complex cases 10). *configurable* per body: ``review_by_body``
    # ((body code, days), …).
    review_working_days: int = 5
    review_by_body: tuple = ()
    review_basis: str = "行政处罚法第五十八条；《重大执法决定法制审核办法》"
    # ACL art.53: the court application window opens when the party's remedy periods have run out
    # — reconsideration 60 days (ARL art.20), litigation 6 months (ALL art.46), 15 days to sue
    # after a reconsideration decision (ALL art.45) — and lasts 3 months.
    reconsideration_days: int = 60
    litigation_months: int = 6
    litigation_after_remedy_days: int = 15
    court_application_months: int = 3
    # APL art.56: decide on preserved evidence within 7 days — working days (APL art.85).
    preservation_working_days: int = 7
    # APL art.60: decide within 90 days of filing (calendar days). *configurable* by sector.
    decision_days: int = 90
    # Length of one approved extension of the decision period (SAMR: 30 days). *configurable*
    extension_days: int = 30
    # APL art.61: serve within 7 days (working days, APL art.85).
    service_working_days: int = 7
    # APL art.67: pay within 15 days of service (calendar days).
    payment_days: int = 15
    # ACL art.25: seizure ≤ 30 days, one extension ≤ 30 days (calendar days, > 10 so ACL art.69 n/a).
    seizure_days: int = 30
    seizure_extension_days: int = 30
    # ACL art.54: court application at least 10 days after the reminder (working days, ACL art.69).
    reminder_working_days: int = 10
    # ACL art.19: an emergency measure is reported to the head and approved within 24 hours.
    emergency_report_hours: int = 24
    # APL art.71: money collected on the spot is handed over within 2 days (working days, art.85).
    handover_working_days: int = 2
    # Publication of penalty decisions (行政处罚信息公示): 3S — within 7 working days of the decision;
    # sector rules override it (SAMR45 art.9: market regulation 20 working days). *configurable*
    publication_working_days: int = 7
    publication_basis: str = ""  # filled from GUOBAN_2018_118 below
    publication_by_sector: tuple = (("market", 20, SAMR45_ART9),)
    # Simple-procedure decisions are not published by default (SAMR45 art.2: 适用普通程序). *configurable*
    publish_simple_procedure: bool = False
    # APL art.48 ¶2 / SAMR45 art.11: withdraw a published decision within 3 (working) days once it is
    # changed, revoked, declared unlawful or void.
    withdrawal_working_days: int = 3

    def filing_rule(self, sector: str) -> tuple[int, int, str]:
        """Working days to file a clue of a body of ``sector``, of its one extension, and the citation."""
        for code, days, extension, basis in self.filing_by_sector:
            if code == sector:
                return int(days), int(extension), basis
        return self.filing_working_days, self.filing_extension_working_days, self.filing_basis

    def review_days(self, body_code: str) -> int:
        """Working days of the legal review (法制审核) for a body (by its code)."""
        for code, days in self.review_by_body:
            if code == body_code:
                return int(days)
        return self.review_working_days

    def publication_rule(self, sector: str) -> tuple[int, str]:
        """Working days to publish a penalty decision of a body of ``sector``, and the citation."""
        for code, days, basis in self.publication_by_sector:
            if code == sector:
                return int(days), basis
        return self.publication_working_days, self.publication_basis or GUOBAN_2018_118


DEFAULT_POLICY = CasePolicy()


def money(value) -> str:
    return f"{Decimal(value or 0):,.2f}元"


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


# --- Penalties -----------------------------------------------------------------------------------

def check_penalty_kinds(kinds: Sequence[str], amount: Decimal | None) -> list[Violation]:
    """The kinds are APL art.9's closed list; a fine names its amount and only a fine has one."""
    out: list[Violation] = []
    known = {k.value for k in PenaltyKind}
    unknown = [k for k in kinds if k not in known]
    if unknown:
        out.append(Violation(INVALID_PENALTY, f"处罚种类不在行政处罚法第九条所列范围内：{'、'.join(unknown)}。", citations.APL_ART9))
    if not kinds:
        out.append(Violation(INVALID_PENALTY, "请至少选择一种处罚种类。", citations.APL_ART9))
    has_fine = PenaltyKind.FINE.value in kinds
    if has_fine and (amount is None or amount <= ZERO):
        out.append(Violation(INVALID_PENALTY, "罚款应当写明金额（大于零）。", citations.APL_ART9))
    if amount is not None and amount < ZERO:
        out.append(Violation(INVALID_PENALTY, "金额不得为负数。", citations.APL_ART9))
    return out


def check_simple_procedure(party_kind: PartyKind, kinds: Sequence[str], amount: Decimal | None) -> list[Violation]:
    """APL art.51: on the spot only a warning, or a fine ≤ 200 yuan (person) / ≤ 3,000 yuan
    (organisation)."""
    limit = Decimal("200") if party_kind is PartyKind.PERSON else Decimal("3000")  # APL art.51
    out: list[Violation] = []
    other = [k for k in kinds if k not in {k.value for k in SIMPLE_KINDS}]
    if other:
        out.append(Violation(SIMPLE_PROCEDURE_LIMIT, "简易程序只能给予警告或者罚款，其他处罚种类应当适用普通程序。", ART51))
    if PenaltyKind.FINE.value in kinds and amount is not None and amount > limit:
        out.append(Violation(SIMPLE_PROCEDURE_LIMIT,
                             f"简易程序对{party_kind.label}的罚款不得超过{money(limit)}，拟罚{money(amount)}，应当适用普通程序。", ART51))
    return out


def check_punishable(age: int | None, mental_illness: bool, no_fault: bool, kinds: Sequence[str]) -> list[Violation]:
    """APL arts.30, 31, 33: no penalty for a person under 14, for a person who could not
    recognise or control his conduct, or where no fault is proven."""
    if not kinds:
        return []
    reasons = []
    if age is not None and age < 14:  # APL art.30
        reasons.append("当事人不满十四周岁")
    if mental_illness:  # APL art.31
        reasons.append("当事人系在不能辨认或者不能控制自己行为时实施违法行为的精神病人、智力残疾人")
    if no_fault:  # APL art.33 ¶2
        reasons.append("当事人有证据足以证明没有主观过错")
    if reasons:
        return [Violation(NOT_PUNISHABLE, "；".join(reasons) + "，依法不予行政处罚，应当作出不予行政处罚决定。", ART30_33)]
    return []


def acts_overlap(a_start: dt.date, a_end: dt.date | None, b_start: dt.date, b_end: dt.date | None) -> bool:
    """Whether two acts' periods (a day, or a continuing act's first to last day) share a day."""
    return a_start <= (b_end or b_start) and b_start <= (a_end or a_start)


def same_act(party_code: str, start: dt.date, end: dt.date | None, other_code: str, other_start: dt.date,
             other_end: dt.date | None) -> bool:
    """APL art.29 (一事不再罚): the same act of the same party — the same party id code and act
    periods that overlap, *whatever* body and item fined it. The reading that protects the party:
    the item (each body has its own) does not tell two acts apart; the dates of the conduct do.
    Without a party id code nothing can be matched."""
    return bool(party_code) and party_code == other_code and acts_overlap(start, end, other_start, other_end)


def check_one_fine(kinds: Sequence[str], other_fines: int) -> list[Violation]:
    """APL art.29: one act of one party is fined at most once (``other_fines``: the fines already
    decided for the same act, ``same_act``, by any body)."""
    if PenaltyKind.FINE.value in kinds and other_fines:
        return [Violation(DUPLICATE_FINE, "同一违法行为已被给予罚款处罚（含其他执法主体依据其他事项作出的罚款），不得给予两次以上罚款。", ART29)]
    return []


def check_no_fine_during_transfer(kinds: Sequence[str], transfer_pending: bool) -> list[Violation]:
    """O310 art.11 ¶1: an agency must not fine in place of a transfer. While the case's transfer of a
    suspected crime is pending (``Case.transfer_pending``, set by the transfers app), no fine;
    other kinds (warning, licence measures) stay possible (art.11 ¶2)."""
    if PenaltyKind.FINE.value in kinds and transfer_pending:
        return [Violation(FINE_INSTEAD_OF_TRANSFER, "本案涉嫌犯罪已报告或者移送公安机关，移送办理期间不得以罚款代替移送。",
                          "行政执法机关移送涉嫌犯罪案件的规定第十一条")]
    return []


def statutory_maximum(legal_max: Decimal | None, fixed: bool, base: Decimal | None) -> Decimal | None:
    """The violated provision's maximum fine in yuan: the benchmark's statutory maximum (法定最高
    罚款), in yuan for a fixed range, else a multiple of its base (illegal gains, goods value);
    ``None`` when unknown (no benchmark, or the base not established yet)."""
    if legal_max is None:
        return None
    if fixed:
        return legal_max
    return None if base is None else (base * legal_max).quantize(Decimal("0.01"))


def check_statutory_maximum(amount: Decimal | None, maximum: Decimal | None, basis: str) -> list[Violation]:
    """APL arts.4, 38: a fine above the maximum the violated provision allows has no legal basis —
    refused whatever reason is written (unlike leaving the benchmark range, R19)."""
    if amount is None or maximum is None or amount <= maximum:
        return []
    return [Violation(ABOVE_STATUTORY_MAXIMUM, f"罚款{money(amount)}超过违法行为所违反规定的法定最高罚款{money(maximum)}，无论是否说明理由均不得作出。",
                      f"{APL}第四条、第三十八条" + (f"；{basis}" if basis else ""))]


def hearing_applies(party_kind: PartyKind, kinds: Sequence[str], amount: Decimal | None, confiscation: Decimal | None,
                    policy: CasePolicy = DEFAULT_POLICY) -> bool:
    """APL art.63: the party may ask for a hearing on larger fines or confiscations (thresholds
    *configurable*), downgrade, revocation, suspension, closure, restricted operation, occupational bar."""
    if any(PenaltyKind(k) in HEARING_KINDS for k in kinds if k in {x.value for x in PenaltyKind}):
        return True
    threshold = policy.hearing_threshold_person if party_kind is PartyKind.PERSON else policy.hearing_threshold_organisation
    total = (amount or ZERO) + (confiscation or ZERO)
    return total >= threshold


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


# --- Service and execution ---------------------------------------------------------------------

def check_service(method: str, consent: bool) -> list[Violation]:
    """APL art.61: fax or e-mail service only with the party's signed consent."""
    if method in ("fax", "email") and not consent:
        return [Violation(SERVICE_CONSENT_REQUIRED, "采用传真、电子邮件等方式送达，应当事先取得当事人同意并签订确认书。", ART61)]
    return []


def check_court_application(reminded_on: dt.date | None, earliest: dt.date | None, today: dt.date) -> list[Violation]:
    """ACL arts.35, 54: enforcement only after a written reminder (催告) and at least ten working
    days after it."""
    if reminded_on is None:
        return [Violation(REMINDER_REQUIRED, "申请人民法院强制执行前，应当催告当事人履行义务。", ACL54)]
    if earliest is not None and today < earliest:
        return [Violation(COURT_APPLICATION_TOO_EARLY, f"催告书送达十个工作日后方可申请强制执行（最早{earliest.isoformat()}）。", ACL54)]
    return []


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


# --- On-the-spot collection (当场收缴, APL arts.68–71) ------------------------------------------

ON_SPOT_SMALL_LIMIT = Decimal("100")  # APL art.68 (1): a fine of 100 yuan or less
COLLECTION_GROUNDS = {
    "small": "依法给予一百元以下罚款（第六十八条第一项）",
    "hard_to_enforce": "不当场收缴事后难以执行（第六十八条第二项）",
    "remote": "边远、水上、交通不便地区，当事人到指定银行缴纳确有困难并提出（第六十九条）",
}


def check_on_spot_collection(procedure: str, ground: str, fine: Decimal | None, receipt: str) -> list[Violation]:
    """APL art.68: under the simple procedure, a fine ≤ 100 yuan or one impractical to collect
    later; art.69: remote places (either procedure) on the party's request; art.70: always with the
    province's special receipt (专用票据)."""
    out = []
    if ground not in COLLECTION_GROUNDS:
        out.append(Violation(ON_SPOT_COLLECTION_NOT_ALLOWED, "当场收缴应当符合行政处罚法第六十八条或者第六十九条规定的情形。", ART68_71))
    elif ground in ("small", "hard_to_enforce") and procedure != "simple":
        out.append(Violation(ON_SPOT_COLLECTION_NOT_ALLOWED, "依照第六十八条当场收缴罚款，仅适用于当场作出的（简易程序）处罚决定。", f"{APL}第六十八条"))
    if ground == "small" and (fine or ZERO) > ON_SPOT_SMALL_LIMIT:
        out.append(Violation(ON_SPOT_COLLECTION_NOT_ALLOWED,
                             f"罚款{money(fine)}超过一百元，不能以“一百元以下罚款”为由当场收缴。", f"{APL}第六十八条第一项"))
    if not (receipt or "").strip():
        out.append(Violation(RECEIPT_REQUIRED, "当场收缴罚款，必须向当事人出具国务院财政部门或者省级财政部门统一制发的专用票据。", f"{APL}第七十条"))
    return out


# --- Remedies (APL art.73) ----------------------------------------------------------------------

def check_no_running_remedy(running_since: dt.date | None) -> list[Violation]:
    """ACL art.53: no court enforcement while the party's reconsideration or litigation runs."""
    if running_since is not None:
        return [Violation(REMEDY_PENDING, f"当事人已于{running_since.isoformat()}申请行政复议或者提起行政诉讼，期间不得申请人民法院强制执行。",
                          f"{ACL}第五十三条；{ART73}")]
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
