"""The three lists of a body (R11–R13), as pure queries: the exemption / light-penalty list
(免罚轻罚清单), the major-decision legal-review list (重大执法决定法制审核清单) and the audio-video
recording catalogue (音像记录事项目录). Pure.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from zhifa.core.labels import Labelled

from .specs import ART58, GUOBAN_2018_118, ZERO, Facts, Harm, PartyKind, PenaltyKind, format_yuan

# --- R11: the exemption / light-penalty list (免罚轻罚清单) -------------------------------------

class ExemptionKind(Labelled):
    FIRST_OFFENCE = "first_offence", "首违不罚"
    MINOR = "minor", "轻微不罚"
    NO_FAULT = "no_fault", "无过错不罚"
    LIGHTER = "lighter", "从轻处罚"
    MITIGATED = "mitigated", "减轻处罚"


NO_PENALTY_KINDS = frozenset({ExemptionKind.FIRST_OFFENCE, ExemptionKind.MINOR, ExemptionKind.NO_FAULT})


@dataclass(frozen=True)
class ExemptionSpec:
    """One entry of the list: for an item, the circumstances (structured where the code checks
    them, and in words as published) under which it goes unpunished or is punished less."""

    item_code: str
    kind: ExemptionKind
    conditions: str
    citation: str
    requires_first_offence: bool = False
    requires_correction: bool = True
    max_harm: Harm = Harm.SLIGHT
    excluded_in_sensitive_area: bool = False
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


def exemption_for(item_code: str, facts: Facts, entries: Iterable[ExemptionSpec]) -> list[ExemptionSpec]:
    """The entries of the list that cover ``item_code`` and whose conditions ``facts`` meet,
    no-penalty kinds first."""
    found = []
    for e in entries:
        if e.item_code != item_code:
            continue
        if e.valid_from and facts.act_date < e.valid_from or e.valid_to and facts.act_date > e.valid_to:
            continue
        if e.requires_first_offence and not facts.first_offence:
            continue
        if e.requires_correction and not facts.corrected_promptly:
            continue
        if facts.harm.rank > e.max_harm.rank:
            continue
        if e.kind is ExemptionKind.NO_FAULT and not facts.no_fault_proven:
            continue
        if e.excluded_in_sensitive_area and facts.sensitive_area:
            continue
        found.append(e)
    return sorted(found, key=lambda e: (e.kind not in NO_PENALTY_KINDS, list(ExemptionKind).index(e.kind)))


# --- R12: the major-decision legal-review list (重大执法决定法制审核清单) ---------------------------

class ReviewTrigger(Labelled):
    MAJOR_PUBLIC_INTEREST = "major_public_interest", "涉及重大公共利益"
    MAJOR_SOCIAL_IMPACT = "major_social_impact", "可能造成重大社会影响或者引发社会风险"
    COMPLEX = "complex", "案件情况疑难复杂、涉及多个法律关系"
    OTHER_LAW = "other_law", "法律、法规规定应当进行法制审核"
    HEARING_HELD = "hearing_held", "直接关系当事人或者第三人重大权益，经过听证程序"


@dataclass(frozen=True)
class LegalReviewRuleSpec:
    """One line of the list. A rule applies when every condition it sets holds."""

    citation: str
    description: str = ""
    item_code: str | None = None  # None: any item of the body
    penalty_kinds: frozenset[PenaltyKind] = frozenset()  # any of them
    threshold_person: Decimal | None = None  # fine ≥ threshold for a natural person
    threshold_organisation: Decimal | None = None
    requires_hearing: bool = False
    trigger: ReviewTrigger | None = None


@dataclass(frozen=True)
class DecisionFacts:
    """What the legal-review query needs to know of a proposed decision."""

    item_code: str
    party_kind: PartyKind
    penalty_kinds: frozenset[PenaltyKind] = frozenset()
    fine: Decimal = ZERO
    confiscation_value: Decimal = ZERO
    hearing_held: bool = False
    triggers: frozenset[ReviewTrigger] = frozenset()


# APL art.58: these need review wherever the body's list is silent.
STATUTORY_REVIEW_RULES: tuple[LegalReviewRuleSpec, ...] = (
    LegalReviewRuleSpec(f"{ART58}第一款第（一）项", ReviewTrigger.MAJOR_PUBLIC_INTEREST.label, trigger=ReviewTrigger.MAJOR_PUBLIC_INTEREST),
    LegalReviewRuleSpec(f"{ART58}第一款第（二）项", ReviewTrigger.HEARING_HELD.label, requires_hearing=True),
    LegalReviewRuleSpec(f"{ART58}第一款第（三）项", ReviewTrigger.COMPLEX.label, trigger=ReviewTrigger.COMPLEX),
    LegalReviewRuleSpec(f"{ART58}第一款第（四）项", ReviewTrigger.OTHER_LAW.label, trigger=ReviewTrigger.OTHER_LAW),
)


def _rule_applies(rule: LegalReviewRuleSpec, decision: DecisionFacts) -> str | None:
    if rule.item_code is not None and rule.item_code != decision.item_code:
        return None
    parts: list[str] = []
    if rule.penalty_kinds:
        hit = rule.penalty_kinds & decision.penalty_kinds
        if not hit:
            return None
        parts.append("拟作出" + "、".join(k.label for k in sorted(hit, key=lambda k: k.severity)))
    threshold = rule.threshold_person if decision.party_kind is PartyKind.PERSON else rule.threshold_organisation
    if rule.threshold_person is not None or rule.threshold_organisation is not None:
        amount = decision.fine + decision.confiscation_value
        if threshold is None or amount < threshold:
            return None
        parts.append(f"对{decision.party_kind.label}罚没金额{format_yuan(amount)}，达到{format_yuan(threshold)}")
    if rule.requires_hearing:
        if not decision.hearing_held:
            return None
        parts.append("经过听证程序")
    if rule.trigger is not None:
        if rule.trigger not in decision.triggers:
            return None
        parts.append(rule.trigger.label)
    if not parts:
        if rule.item_code is None:
            return None  # a rule without any condition would catch everything: ignore it
        parts.append(f"该事项列入法制审核清单：{rule.description or rule.item_code}")
    return "；".join(parts)


def needs_legal_review(decision: DecisionFacts, rules: Iterable[LegalReviewRuleSpec]) -> tuple[bool, list[str]]:
    """Does this decision need legal review (法制审核) before it is made? APL art.58 plus the
    body's list. Returns (needed, reasons with citations)."""
    reasons: list[str] = []
    for rule in (*STATUTORY_REVIEW_RULES, *rules):
        found = _rule_applies(rule, decision)
        if found:
            reason = f"{found}（依据：{rule.citation}）"
            if reason not in reasons:
                reasons.append(reason)
    return (bool(reasons), reasons)


# --- R13: the audio-video recording catalogue (音像记录事项目录) ---------------------------------

class RecordingLevel(Labelled):
    MUST = "must", "应当全程音像记录"
    SHOULD = "should", "根据实际情况进行音像记录"
    NONE = "none", "无需音像记录"

    @property
    def rank(self) -> int:
        return {"none": 0, "should": 1, "must": 2}[self.value]


ACT_KIND_LABELS = {
    "seizure": "查封场所、设施或者财物",
    "detention": "扣押财物",
    "forced_demolition": "强制拆除",
    "handling_site": "执法办案场所的询问、留置等活动",
    "personal_freedom": "直接涉及人身自由、生命健康、重大财产权益的现场执法活动",
    "on_site": "现场执法",
    "evidence": "调查取证",
    "hearing": "举行听证",
    "service_leaving": "留置送达",
    "service_notice": "公告送达",
    "inspection": "现场检查",
    "spot_penalty": "当场处罚",
}


@dataclass(frozen=True)
class RecordingRuleSpec:
    act_kind: str
    level: RecordingLevel
    citation: str


# 3S (国办发〔2018〕118号 二(三)): full recording of seizure, detention, forced demolition and
# other on-site acts touching personal freedom, life, health or major property, and handling
# sites; recording "according to the circumstances" of on-site enforcement, evidence
# collection, hearings, service by leaving and by public notice.
DEFAULT_RECORDING_RULES: tuple[RecordingRuleSpec, ...] = tuple(
    [RecordingRuleSpec(k, RecordingLevel.MUST, GUOBAN_2018_118) for k in ("seizure", "detention", "forced_demolition", "handling_site", "personal_freedom")]
    + [RecordingRuleSpec(k, RecordingLevel.SHOULD, GUOBAN_2018_118) for k in ("on_site", "evidence", "hearing", "service_leaving", "service_notice")]
)


def must_record(act_kind: str, rules: Iterable[RecordingRuleSpec]) -> RecordingLevel:
    """How strictly ``act_kind`` must be recorded on video: the strictest matching rule."""
    level = RecordingLevel.NONE
    for rule in rules:
        if rule.act_kind == act_kind and rule.level.rank > level.rank:
            level = rule.level
    return level


def recording_basis(act_kind: str, rules: Iterable[RecordingRuleSpec]) -> tuple[RecordingLevel, str]:
    """``must_record`` with the citation of the deciding rule."""
    best: RecordingRuleSpec | None = None
    for rule in rules:
        if rule.act_kind == act_kind and (best is None or rule.level.rank > best.level.rank):
            best = rule
    return (best.level, best.citation) if best else (RecordingLevel.NONE, "")
