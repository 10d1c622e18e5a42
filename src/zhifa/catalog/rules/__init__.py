"""Pure legal logic of the catalogue: the discretion engine (R10, 行政处罚裁量基准) and the
queries over the three lists (R11 免罚轻罚清单, R12 重大执法决定法制审核清单, R13 音像记录事项目录).

No Django, no database, no clock: inputs are the small frozen dataclasses below (built from the
models by ``discretion.py``), outputs are values. Every threshold carries its citation.

Vocabulary (glossary.md):
- 从轻处罚 (``LIGHTER``): within the penalty kinds and the range the law allows, the lighter kinds
  or the lower part of the range. The fraction of the range is data (``DiscretionPolicy``).
- 减轻处罚 (``MITIGATED``): below the legal minimum — a lighter kind than the law provides, or a
  fine below the statutory minimum.
- 从重处罚 (``HEAVIER``): within the range, the upper part; never above the statutory maximum.
- 不予处罚 (``NO_PENALTY``) and 可以不予处罚 (``MAY_NO_PENALTY``): APL arts.30, 31, 33.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import Iterable, Sequence

from zhifa.catalog import citations

CENT = Decimal("0.01")
ZERO = Decimal("0")

# --- Citations (catalog/citations.py) --------------------------------------------------------
APL = citations.APL_TITLE
ART9 = citations.APL_ART9_FULL
ART30 = citations.APL_ART30_FULL
ART31 = citations.APL_ART31_FULL
ART32 = citations.APL_ART32_FULL
ART33_1 = citations.APL_ART33_1_FULL
ART33_2 = citations.APL_ART33_2_FULL
ART33_3 = citations.APL_ART33_3_FULL
ART34 = citations.APL_ART34_FULL
ART5 = citations.APL_ART5_FULL
ART49 = citations.APL_ART49_FULL
ART58 = citations.APL_ART58_FULL
GUOBAN_2022_27 = citations.GUOBAN_2022_27
GUOBAN_2018_118 = citations.GUOBAN_2018_118


class PartyKind(str, Enum):
    """当事人类型."""

    PERSON = "person"
    ORGANISATION = "organisation"

    @property
    def label(self) -> str:
        return {"person": "自然人", "organisation": "法人或者其他组织"}[self.value]


class Harm(str, Enum):
    """危害后果."""

    NONE = "none"
    SLIGHT = "slight"
    ORDINARY = "ordinary"
    SERIOUS = "serious"

    @property
    def label(self) -> str:
        return {"none": "没有造成危害后果", "slight": "危害后果轻微", "ordinary": "造成一般危害后果", "serious": "造成严重危害后果"}[self.value]

    @property
    def rank(self) -> int:
        return ["none", "slight", "ordinary", "serious"].index(self.value)


class PenaltyKind(str, Enum):
    """行政处罚种类: the closed list of APL art.9."""

    WARNING = "warning"
    CRITICISM = "criticism"
    FINE = "fine"
    CONFISCATE_GAINS = "confiscate_gains"
    CONFISCATE_PROPERTY = "confiscate_property"
    PERMIT_SUSPENSION = "permit_suspension"
    DOWNGRADE = "downgrade"
    PERMIT_REVOCATION = "permit_revocation"
    RESTRICT_OPERATION = "restrict_operation"
    SUSPENSION = "suspension"
    CLOSURE = "closure"
    OCCUPATIONAL_BAR = "occupational_bar"
    DETENTION = "detention"
    OTHER = "other"

    @property
    def label(self) -> str:
        return PENALTY_KIND_LABELS[self]

    @property
    def severity(self) -> int:
        """Rough order of severity (lighter first), for choosing a lighter kind."""
        return list(PenaltyKind).index(self)


PENALTY_KIND_LABELS = {
    PenaltyKind.WARNING: "警告",
    PenaltyKind.CRITICISM: "通报批评",
    PenaltyKind.FINE: "罚款",
    PenaltyKind.CONFISCATE_GAINS: "没收违法所得",
    PenaltyKind.CONFISCATE_PROPERTY: "没收非法财物",
    PenaltyKind.PERMIT_SUSPENSION: "暂扣许可证件",
    PenaltyKind.DOWNGRADE: "降低资质等级",
    PenaltyKind.PERMIT_REVOCATION: "吊销许可证件",
    PenaltyKind.RESTRICT_OPERATION: "限制开展生产经营活动",
    PenaltyKind.SUSPENSION: "责令停产停业",
    PenaltyKind.CLOSURE: "责令关闭",
    PenaltyKind.OCCUPATIONAL_BAR: "限制从业",
    PenaltyKind.DETENTION: "行政拘留",
    PenaltyKind.OTHER: "法律、行政法规规定的其他行政处罚",
}


class AmountBasis(str, Enum):
    """How a grade states its fine: a fixed range in yuan, or multiples of a base."""

    FIXED = "fixed"
    ILLEGAL_GAINS = "illegal_gains"
    GOODS_VALUE = "goods_value"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"fixed": "固定金额", "illegal_gains": "违法所得", "goods_value": "货值金额", "other": "其他计罚基数"}[self.value]


class Outcome(str, Enum):
    """裁量结果."""

    PENALTY = "penalty"
    HEAVIER = "heavier"
    LIGHTER = "lighter"
    MITIGATED = "mitigated"
    MAY_NO_PENALTY = "may_no_penalty"
    NO_PENALTY = "no_penalty"

    @property
    def label(self) -> str:
        return {
            "penalty": "给予处罚",
            "heavier": "从重处罚",
            "lighter": "从轻处罚",
            "mitigated": "减轻处罚",
            "may_no_penalty": "可以不予处罚",
            "no_penalty": "不予处罚",
        }[self.value]


class Effect(str, Enum):
    """What a factor (裁量情节) does."""

    NO_PENALTY = "no_penalty"
    MAY_NO_PENALTY = "may_no_penalty"
    MITIGATED = "mitigated"
    LIGHTER_OR_MITIGATED = "lighter_or_mitigated"
    LIGHTER = "lighter"
    HEAVIER = "heavier"
    RAISE_GRADE = "raise_grade"
    NOTE = "note"

    @property
    def label(self) -> str:
        return {
            "no_penalty": "不予处罚",
            "may_no_penalty": "可以不予处罚",
            "mitigated": "减轻处罚",
            "lighter_or_mitigated": "从轻或者减轻处罚",
            "lighter": "从轻处罚",
            "heavier": "从重处罚",
            "raise_grade": "上调一个档次",
            "note": "酌情考虑",
        }[self.value]

    @property
    def is_aggravating(self) -> bool:
        return self in (Effect.HEAVIER, Effect.RAISE_GRADE)

    @property
    def is_mitigating(self) -> bool:
        return self in (Effect.MITIGATED, Effect.LIGHTER_OR_MITIGATED, Effect.LIGHTER)


class FactorKind(str, Enum):
    MITIGATING = "mitigating"
    AGGRAVATING = "aggravating"
    NO_PENALTY = "no_penalty"
    LIGHTER = "lighter"
    MITIGATED = "mitigated"

    @property
    def label(self) -> str:
        return {"mitigating": "从轻减轻情节", "aggravating": "从重情节", "no_penalty": "不予处罚情节",
                "lighter": "从轻情节", "mitigated": "减轻情节"}[self.value]


# --- Data the engine applies ---------------------------------------------------------------

@dataclass(frozen=True)
class FactorSpec:
    """裁量情节: a circumstance named in a benchmark (or in the law) with its effect."""

    code: str
    description: str
    effect: Effect
    citation: str
    mandatory: bool = False  # 应当 (True) or 可以 (False)
    kind: FactorKind = FactorKind.MITIGATING


# The mandatory circumstances of APL art.32 (must be lighter or mitigated) and art.49
# (emergencies: heavier). Always available, whatever the benchmark lists.
LAW_FACTORS: tuple[FactorSpec, ...] = (
    FactorSpec("eliminated_harm", "主动消除或者减轻违法行为危害后果的", Effect.LIGHTER_OR_MITIGATED, f"{ART32}第（一）项", True),
    FactorSpec("coerced", "受他人胁迫或者诱骗实施违法行为的", Effect.LIGHTER_OR_MITIGATED, f"{ART32}第（二）项", True),
    FactorSpec("confessed", "主动供述行政机关尚未掌握的违法行为的", Effect.LIGHTER_OR_MITIGATED, f"{ART32}第（三）项", True),
    FactorSpec("meritorious", "配合行政机关查处违法行为有立功表现的", Effect.LIGHTER_OR_MITIGATED, f"{ART32}第（四）项", True),
    FactorSpec("limited_capacity", "尚未完全丧失辨认或者控制自己行为能力的精神病人、智力残疾人有违法行为的", Effect.LIGHTER_OR_MITIGATED, f"{ART31}", False),
    FactorSpec("emergency_violation", "发生重大传染病疫情等突发事件，为了控制、减轻和消除突发事件引起的社会危害，违反突发事件应对措施的", Effect.HEAVIER, ART49, False, FactorKind.AGGRAVATING),
)


@dataclass(frozen=True)
class DiscretionPolicy:
    """How a body reads 从轻, 从重 and 减轻 in numbers — data, with its citations.

    ``lighter_fraction``: 从轻 = the lowest ``lighter_fraction`` of the chosen grade's range.
    ``heavier_fraction``: 从重 = the highest ``heavier_fraction`` of that range.
    ``mitigation_floor``: 减轻 = from ``mitigation_floor`` × statutory minimum up to (not
    including) the statutory minimum.
    Defaults follow 国办发〔2022〕27号 (罚款的数额应当在从最低限到最高限这一幅度中较低的30%部分 /
    较高的30%部分); a province may set its own (Guangdong ecology: the average, 粤环发〔2021〕7号第十二条).
    """

    lighter_fraction: Decimal = Decimal("0.3")
    lighter_citation: str = GUOBAN_2022_27
    heavier_fraction: Decimal = Decimal("0.3")
    heavier_citation: str = GUOBAN_2022_27
    mitigation_floor: Decimal = Decimal("0")
    mitigation_citation: str = GUOBAN_2022_27
    multi_grade_citation: str = ""  # e.g. 江门规定第十四条: circumstances of several grades → the heavier grade
    raise_grade_citation: str = ""


DEFAULT_POLICY = DiscretionPolicy()

GUANGDONG_ECOLOGY_POLICY = DiscretionPolicy(
    lighter_fraction=Decimal("0.5"),
    lighter_citation=f"{citations.GUANGDONG_ECOLOGY}第十二条（从轻处罚应当低于平均值）",
    heavier_fraction=Decimal("0.5"),
    heavier_citation=f"{citations.GUANGDONG_ECOLOGY}第十二条（从重处罚不得低于平均值）",
    mitigation_floor=Decimal("0"),
    mitigation_citation=GUOBAN_2022_27,
    multi_grade_citation=f"{citations.JIANGMEN_ECOLOGY}第十四条",
    raise_grade_citation=f"{citations.JIANGMEN_ECOLOGY}第五条",
)


@dataclass(frozen=True)
class GradeSpec:
    """裁量档次: one grade of a benchmark. For ``AmountBasis.FIXED`` the amounts are yuan; for
    the other bases they are multiples (``Decimal("0.01")`` = 1%) of the base."""

    order: int
    name: str
    conditions: str = ""
    penalty_kinds: tuple[PenaltyKind, ...] = (PenaltyKind.FINE,)
    amount_basis: AmountBasis = AmountBasis.FIXED
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    basis_label: str = ""  # e.g. 建设项目总投资额 for AmountBasis.OTHER
    confiscate_gains: bool = False
    confiscate_property: bool = False
    other_penalties: str = ""
    standard_text: str = ""  # the grade's penalty as published (裁量标准)

    @property
    def has_amount(self) -> bool:
        return PenaltyKind.FINE in self.penalty_kinds and (self.amount_min is not None or self.amount_max is not None)


@dataclass(frozen=True)
class BenchmarkSpec:
    """裁量基准: one published version for one item."""

    item_code: str
    item_name: str
    version: str
    published: bool
    grades: tuple[GradeSpec, ...]
    factors: tuple[FactorSpec, ...] = ()
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    legal_basis: str = ""
    citation: str = ""  # the benchmark document itself
    statutory_min: Decimal | None = None
    statutory_max: Decimal | None = None
    policy: DiscretionPolicy = DEFAULT_POLICY

    def grade(self, order: int) -> GradeSpec | None:
        for g in self.grades:
            if g.order == order:
                return g
        return None

    @property
    def sorted_grades(self) -> tuple[GradeSpec, ...]:
        return tuple(sorted(self.grades, key=lambda g: g.order))

    def legal_min(self) -> Decimal | None:
        """The statutory minimum of the penalty provision (in the grades' basis)."""
        if self.statutory_min is not None:
            return self.statutory_min
        mins = [g.amount_min if g.amount_min is not None else ZERO for g in self.grades if g.has_amount]
        return min(mins) if mins else None

    def legal_max(self) -> Decimal | None:
        if self.statutory_max is not None:
            return self.statutory_max
        maxes = [g.amount_max for g in self.grades if g.has_amount]
        if not maxes or any(m is None for m in maxes):
            return None
        return max(maxes)

    def all_factors(self) -> dict[str, FactorSpec]:
        found = {f.code: f for f in LAW_FACTORS}
        found.update({f.code: f for f in self.factors})
        return found


@dataclass(frozen=True)
class Facts:
    """What the officer found (违法事实与情节)."""

    item_code: str
    act_date: dt.date
    party_kind: PartyKind = PartyKind.ORGANISATION
    age: int | None = None  # natural persons only
    mental_illness: bool = False  # could not recognise or control his conduct at the time (APL art.31)
    illegal_gains: Decimal | None = None
    goods_value: Decimal | None = None
    base_amount: Decimal | None = None  # the base of AmountBasis.OTHER (e.g. total investment)
    grades: tuple[int, ...] = ()  # orders of the grades whose circumstances are present
    factors: tuple[str, ...] = ()
    first_offence: bool = False
    harm: Harm = Harm.ORDINARY
    corrected_promptly: bool = False
    minor: bool = False  # the violation is minor (违法行为轻微)
    no_fault_proven: bool = False  # the party proves it had no fault (APL art.33 ¶2)
    sensitive_area: bool = False  # ecologically sensitive area (excludes some exemption entries)
    prefer_mitigation: bool = False  # where the law allows lighter OR mitigated, choose mitigated


@dataclass(frozen=True)
class Step:
    """One step of the explanation: what was applied, in Chinese, and its citation."""

    code: str
    text: str
    citation: str

    def as_sentence(self) -> str:
        return f"{self.text}（依据：{self.citation}）" if self.citation else self.text


@dataclass(frozen=True)
class AmountRange:
    """A fine range in yuan (and in multiples of a base, where the grade is stated so).

    ``min_yuan``/``max_yuan`` are None when the base is not known yet. ``max_exclusive`` marks
    a mitigated range (below the statutory minimum)."""

    basis: AmountBasis
    min_multiple: Decimal | None = None
    max_multiple: Decimal | None = None
    min_yuan: Decimal | None = None
    max_yuan: Decimal | None = None
    basis_label: str = ""
    max_exclusive: bool = False

    def describe(self) -> str:
        if self.basis is AmountBasis.FIXED:
            lo, hi = self.min_yuan, self.max_yuan
            return _describe_yuan(lo, hi, self.max_exclusive)
        label = self.basis_label or self.basis.label
        text = f"{label}的{_describe_multiple(self.min_multiple)}至{_describe_multiple(self.max_multiple)}"
        if self.max_exclusive:
            text += "（不含上限）"
        if self.min_yuan is not None or self.max_yuan is not None:
            text += f"，即{_describe_yuan(self.min_yuan, self.max_yuan, self.max_exclusive)}"
        return text


@dataclass(frozen=True)
class Assessment:
    """The engine's answer: outcome, kinds, range, and the reasoning (说理)."""

    outcome: Outcome
    steps: tuple[Step, ...]
    grade: GradeSpec | None = None
    penalty_kinds: tuple[PenaltyKind, ...] = ()
    amount: AmountRange | None = None
    suggested_yuan: Decimal | None = None
    confiscate_gains: bool = False
    confiscate_property: bool = False
    other_penalties: str = ""
    education_required: bool = False
    exemption: "ExemptionSpec | None" = None
    penalty_outcome: Outcome | None = None  # where ``outcome`` is MAY_NO_PENALTY: the outcome if punished

    def __post_init__(self):
        if self.penalty_outcome is None:
            object.__setattr__(self, "penalty_outcome", self.outcome)

    @property
    def explanation(self) -> str:
        return "\n".join(f"{i}. {s.as_sentence()}" for i, s in enumerate(self.steps, 1))

    @property
    def citations(self) -> tuple[str, ...]:
        seen: list[str] = []
        for s in self.steps:
            if s.citation and s.citation not in seen:
                seen.append(s.citation)
        return tuple(seen)


class FactsError(ValueError):
    """Bad facts: a list of ``(field, Chinese message)``; the API answers 422."""

    def __init__(self, errors: Sequence[tuple[str, str]]):
        self.errors = list(errors)
        super().__init__("; ".join(f"{f}: {m}" for f, m in self.errors))


# --- Formatting ---------------------------------------------------------------------------

def yuan(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def format_yuan(value: Decimal) -> str:
    value = yuan(value)
    if value == value.to_integral_value():
        return f"{int(value):,}元".replace(",", "")
    return f"{value}元"


def _describe_yuan(lo: Decimal | None, hi: Decimal | None, max_exclusive: bool = False) -> str:
    if lo is not None and hi is not None and lo == hi and not max_exclusive:
        return f"罚款{format_yuan(lo)}"
    if hi is None:
        return f"罚款{format_yuan(lo or ZERO)}以上"
    if max_exclusive:
        return f"罚款{format_yuan(lo or ZERO)}以上、低于{format_yuan(hi)}"
    if not lo:
        return f"罚款{format_yuan(hi)}以下"
    return f"罚款{format_yuan(lo)}以上{format_yuan(hi)}以下"


def _describe_multiple(value: Decimal | None) -> str:
    if value is None:
        return "—"
    if value < 1:
        pct = (value * 100).normalize()
        return f"{pct:f}%"
    return f"{value.normalize():f}倍"


# --- Validation ----------------------------------------------------------------------------

def validate_facts(facts: Facts, benchmark: BenchmarkSpec, *, item_valid_from: dt.date | None = None) -> list[tuple[str, str]]:
    """Everything wrong with ``facts`` for ``benchmark``, as ``(field, message)``."""
    errors: list[tuple[str, str]] = []
    for name in ("illegal_gains", "goods_value", "base_amount"):
        value = getattr(facts, name)
        if value is not None and value < 0:
            errors.append((name, "金额不得为负数"))
    if facts.age is not None:
        if facts.party_kind is not PartyKind.PERSON:
            errors.append(("age", "只有自然人才填写年龄"))
        elif not 0 <= facts.age <= 130:
            errors.append(("age", "年龄不正确"))
    known = benchmark.all_factors()
    for code in facts.factors:
        if code not in known:
            errors.append(("factors", f"未知的裁量情节：{code}"))
    orders = {g.order for g in benchmark.grades}
    for order in facts.grades:
        if order not in orders:
            errors.append(("grades", f"该裁量基准没有第{order}档"))
    if item_valid_from is not None and facts.act_date < item_valid_from:
        errors.append(("act_date", f"违法行为发生日期早于该事项依据的施行日期（{item_valid_from.isoformat()}）"))
    return errors


# --- The engine ----------------------------------------------------------------------------

def _choose_grade(facts: Facts, benchmark: BenchmarkSpec, steps: list[Step]) -> GradeSpec | None:
    grades = benchmark.sorted_grades
    if not grades:
        return None
    if not facts.grades:
        grade = grades[0]
        steps.append(Step("GRADE_DEFAULT", f"未认定较重档次的情节，适用最低档次“{grade.name}”（{_one_line(grade.conditions) or '—'}）",
                          benchmark.citation or ART34))
        return grade
    chosen = [benchmark.grade(o) for o in sorted(set(facts.grades))]
    grade = max((g for g in chosen if g is not None), key=lambda g: g.order)
    if len(chosen) > 1:
        citation = benchmark.policy.multi_grade_citation or benchmark.citation or ART5
        steps.append(Step("GRADE_MULTIPLE", f"同时具有多个档次所列情节，按较重档次“{grade.name}”裁量", citation))
    steps.append(Step("GRADE", f"违法情节符合“{grade.name}”：{_one_line(grade.conditions) or '—'}；该档次裁量标准为：{grade.standard_text or _grade_standard(grade)}",
                      benchmark.citation or ART34))
    return grade


def _one_line(text: str) -> str:
    return "".join(part.strip() for part in text.splitlines())


def _grade_standard(grade: GradeSpec) -> str:
    parts = [k.label for k in grade.penalty_kinds if k is not PenaltyKind.FINE]
    if grade.has_amount:
        parts.append(_base_range(grade, None).describe())
    return "，".join(parts) or "—"


def _base_of(facts: Facts, basis: AmountBasis) -> Decimal | None:
    return {
        AmountBasis.FIXED: None,
        AmountBasis.ILLEGAL_GAINS: facts.illegal_gains,
        AmountBasis.GOODS_VALUE: facts.goods_value,
        AmountBasis.OTHER: facts.base_amount,
    }[basis]


def _make_range(basis: AmountBasis, lo: Decimal | None, hi: Decimal | None, base: Decimal | None, label: str,
                max_exclusive: bool = False) -> AmountRange:
    if basis is AmountBasis.FIXED:
        return AmountRange(basis, None, None, None if lo is None else yuan(lo), None if hi is None else yuan(hi), label, max_exclusive)
    lo_y = None if (base is None or lo is None) else yuan(base * lo)
    hi_y = None if (base is None or hi is None) else yuan(base * hi)
    return AmountRange(basis, lo, hi, lo_y, hi_y, label, max_exclusive)


def _base_range(grade: GradeSpec, base: Decimal | None) -> AmountRange:
    lo = grade.amount_min if grade.amount_min is not None else ZERO
    return _make_range(grade.amount_basis, lo, grade.amount_max, base, grade.basis_label)


def _part(lo: Decimal, hi: Decimal | None, fraction: Decimal, upper: bool) -> tuple[Decimal, Decimal | None]:
    """The lower (or upper) ``fraction`` of [lo, hi]."""
    if hi is None:
        return (lo, None)
    width = hi - lo
    if upper:
        return (lo + width * (1 - fraction), hi)
    return (lo, lo + width * fraction)


def assess(facts: Facts, benchmark: BenchmarkSpec, exemptions: Sequence["ExemptionSpec"] = ()) -> Assessment:
    """Apply the law and the benchmark to the facts.

    Order (each a step of the explanation): mandatory no-penalty cases of the law (APL arts.30,
    31, 33), the exemption list (R11), the grade, then mandatory and discretionary factors,
    then the range. Raises ``FactsError`` for bad facts and ``ValueError`` for an unpublished
    benchmark (APL art.34).
    """
    errors = validate_facts(facts, benchmark)
    if errors:
        raise FactsError(errors)
    if not benchmark.published:
        raise ValueError(f"裁量基准未公布，不得作为行政处罚的依据（{citations.APL_ART34}）")
    steps: list[Step] = [
        Step("BENCHMARK", f"适用已公布的“{benchmark.item_name}”裁量基准（{benchmark.version}）", benchmark.citation or ART34),
    ]
    person = facts.party_kind is PartyKind.PERSON

    # 1. Mandatory no-penalty cases of the law win over everything.
    if person and facts.age is not None and facts.age < 14:  # APL art.30
        steps.append(Step("UNDER_14", "当事人违法时不满十四周岁，不予行政处罚，责令监护人加以管教", ART30))
        return _no_penalty(steps, Outcome.NO_PENALTY)
    if person and facts.mental_illness:  # APL art.31
        steps.append(Step("MENTAL_ILLNESS", "当事人系在不能辨认或者不能控制自己行为时有违法行为的精神病人、智力残疾人，不予行政处罚，责令其监护人严加看管和治疗", ART31))
        return _no_penalty(steps, Outcome.NO_PENALTY)
    if facts.no_fault_proven:  # APL art.33 ¶2
        steps.append(Step("NO_FAULT", "当事人有证据足以证明没有主观过错，不予行政处罚（法律、行政法规另有规定的除外）", ART33_2))
        return _no_penalty(steps, Outcome.NO_PENALTY)
    if facts.minor and facts.corrected_promptly and facts.harm is Harm.NONE:  # APL art.33 ¶1
        steps.append(Step("MINOR", "违法行为轻微并及时改正，没有造成危害后果，不予行政处罚", ART33_1))
        steps.append(Step("EDUCATION", "对当事人应当依法进行教育", ART33_3))
        return _no_penalty(steps, Outcome.NO_PENALTY)

    # 2. The exemption list (免罚轻罚清单), then first offence (APL art.33 ¶1, second sentence).
    matches = exemption_for(facts.item_code, facts, exemptions)
    no_penalty_match = next((m for m in matches if m.kind in NO_PENALTY_KINDS), None)
    if no_penalty_match is not None:
        steps.append(Step("EXEMPTION_LIST", f"符合免罚清单所列情形：{no_penalty_match.conditions}，不予行政处罚",
                          no_penalty_match.citation or ART33_1))
        steps.append(Step("EDUCATION", "对当事人应当依法进行教育", ART33_3))
        return _no_penalty(steps, Outcome.NO_PENALTY, exemption=no_penalty_match)
    first_offence_slight = facts.first_offence and facts.harm.rank <= Harm.SLIGHT.rank and facts.corrected_promptly
    may_no_penalty = first_offence_slight

    # 3. The grade.
    grade = _choose_grade(facts, benchmark, steps)
    if grade is None:
        steps.append(Step("NO_GRADE", "裁量基准未设档次，按法定处罚种类和幅度裁量", benchmark.legal_basis or ART5))
        return Assessment(Outcome.PENALTY, tuple(steps))

    # 4. Factors.
    known = benchmark.all_factors()
    present = [known[c] for c in dict.fromkeys(facts.factors)]
    minor_14_18 = person and facts.age is not None and 14 <= facts.age < 18
    mandatory_relief = minor_14_18 or any(f.effect is Effect.LIGHTER_OR_MITIGATED and f.mandatory for f in present)
    optional_relief = any(f.effect is Effect.LIGHTER_OR_MITIGATED and not f.mandatory for f in present)
    must_mitigate = any(f.effect is Effect.MITIGATED for f in present)
    lighter = any(f.effect is Effect.LIGHTER for f in present)
    heavier = [f for f in present if f.effect is Effect.HEAVIER]
    raise_grade = [f for f in present if f.effect is Effect.RAISE_GRADE]
    for f in present:
        if f.effect in (Effect.NO_PENALTY, Effect.MAY_NO_PENALTY):
            if f.effect is Effect.NO_PENALTY and f.mandatory:
                steps.append(Step(f"FACTOR_{f.code.upper()}", f"具有“{f.description}”情节，依法不予行政处罚", f.citation))
                steps.append(Step("EDUCATION", "对当事人应当依法进行教育", ART33_3))
                return _no_penalty(steps, Outcome.NO_PENALTY)
            may_no_penalty = True
    if minor_14_18:
        steps.append(Step("AGE_14_18", "当事人违法时已满十四周岁不满十八周岁，应当从轻或者减轻行政处罚", ART30))
    for f in present:
        if f.effect in (Effect.NO_PENALTY, Effect.MAY_NO_PENALTY):
            continue
        verb = "应当" if f.mandatory else "可以"
        steps.append(Step(f"FACTOR_{f.code.upper()}", f"具有“{f.description}”情节，{verb}{f.effect.label}", f.citation))

    relief = mandatory_relief or optional_relief
    raised = False
    # Mandatory relief: the law forbids anything heavier (APL arts.30, 32).
    if raise_grade and not relief:
        higher = [g for g in benchmark.sorted_grades if g.order > grade.order]
        citation = benchmark.policy.raise_grade_citation or raise_grade[0].citation
        if higher:
            grade = higher[0]
            raised = True
            steps.append(Step("RAISE_GRADE", f"上调一个档次，适用“{grade.name}”：{grade.standard_text or _grade_standard(grade)}", citation))
        else:
            heavier = heavier or raise_grade
            steps.append(Step("RAISE_GRADE_TOP", "已是最高档次，按该档次最高限度处罚，但不得高于法定最高额度", citation))
    elif (raise_grade or heavier) and relief:
        steps.append(Step("NO_HEAVIER", "具有法定应当从轻或者减轻处罚的情节，不再从重处罚或者上调档次", ART32 if not minor_14_18 else ART30))
        heavier, raise_grade = [], []

    base = _base_of(facts, grade.amount_basis)
    kinds = tuple(grade.penalty_kinds)
    policy = benchmark.policy
    outcome = Outcome.PENALTY
    rng = _base_range(grade, base) if grade.has_amount else None
    suggested: Decimal | None = None

    if grade.has_amount and grade.amount_basis is not AmountBasis.FIXED and base is None:
        steps.append(Step("BASE_UNKNOWN", f"尚未认定{grade.basis_label or grade.amount_basis.label}，罚款按倍数（比例）表示，认定后据此计算金额", benchmark.citation or ART5))

    mitigate = must_mitigate or (relief and facts.prefer_mitigation)
    if mitigate:
        outcome = Outcome.MITIGATED
        legal_min = benchmark.legal_min()
        if grade.has_amount and legal_min and legal_min > 0:
            lo = legal_min * policy.mitigation_floor
            rng = _make_range(grade.amount_basis, lo, legal_min, base, grade.basis_label, max_exclusive=True)
            steps.append(Step("MITIGATED", f"减轻处罚：在法定最低罚款数额以下确定罚款，即{rng.describe()}", policy.mitigation_citation))
        else:
            lighter_kinds = tuple(k for k in kinds if k in (PenaltyKind.WARNING, PenaltyKind.CRITICISM)) or (PenaltyKind.WARNING,)
            kinds = lighter_kinds
            rng = None
            steps.append(Step("MITIGATED", "减轻处罚：法定罚款未设下限，选择较轻的处罚种类（警告）", policy.mitigation_citation))
    elif relief or (lighter and not heavier):
        outcome = Outcome.LIGHTER
        if rng is not None:
            lo = rng.min_multiple if rng.basis is not AmountBasis.FIXED else rng.min_yuan
            hi = rng.max_multiple if rng.basis is not AmountBasis.FIXED else rng.max_yuan
            lo2, hi2 = _part(lo, hi, policy.lighter_fraction, upper=False)
            rng = _make_range(grade.amount_basis, lo2, hi2, base, grade.basis_label)
            steps.append(Step("LIGHTER", f"从轻处罚：在本档次幅度的较低{_pct(policy.lighter_fraction)}部分内确定，即{rng.describe()}", policy.lighter_citation))
        else:
            steps.append(Step("LIGHTER", "从轻处罚：在可选择的处罚种类中适用较轻的种类", policy.lighter_citation))
        if relief and not lighter and not facts.prefer_mitigation:
            steps.append(Step("MITIGATION_POSSIBLE", "依法也可以减轻处罚（在法定最低限以下处罚）", ART32 if mandatory_relief else ART31))
    elif lighter and heavier:
        if rng is not None:
            steps.append(Step("BALANCED", f"同时具有从轻和从重情节，综合考量后在本档次幅度内裁量，即{rng.describe()}", policy.lighter_citation))
    elif heavier:
        outcome = Outcome.HEAVIER
        if rng is not None:
            lo = rng.min_multiple if rng.basis is not AmountBasis.FIXED else rng.min_yuan
            hi = rng.max_multiple if rng.basis is not AmountBasis.FIXED else rng.max_yuan
            if hi is not None:
                lo2, hi2 = _part(lo, hi, policy.heavier_fraction, upper=True)
                rng = _make_range(grade.amount_basis, lo2, hi2, base, grade.basis_label)
            steps.append(Step("HEAVIER", f"从重处罚：在本档次幅度的较高{_pct(policy.heavier_fraction)}部分内确定，不得超过法定最高额度，即{rng.describe()}", policy.heavier_citation))
        else:
            steps.append(Step("HEAVIER", "从重处罚：在可选择的处罚种类中适用较重的种类，不得超出法定种类", policy.heavier_citation))
    else:
        if rng is not None:
            if raised:
                steps.append(Step("GENERAL", f"在上调后的档次幅度内处罚，即{rng.describe()}", benchmark.citation or ART5))
            else:
                steps.append(Step("GENERAL", f"无从重、从轻、减轻情节，在本档次幅度内适中处罚，即{rng.describe()}", benchmark.citation or ART5))

    if rng is not None and rng.min_yuan is not None and rng.max_yuan is not None and outcome is Outcome.PENALTY and not raised:
        suggested = yuan((rng.min_yuan + rng.max_yuan) / 2)  # 一般处罚按中间值（粤环发〔2021〕7号第十二条）
    if grade.confiscate_gains:
        steps.append(Step("CONFISCATE_GAINS", "有违法所得的，没收违法所得", benchmark.legal_basis or ART9))
    if may_no_penalty:
        steps.append(Step("MAY_NO_PENALTY", "当事人初次违法且危害后果轻微并及时改正，可以不予行政处罚；决定给予处罚的，适用上述裁量结果", ART33_1))
        steps.append(Step("EDUCATION", "不予行政处罚的，对当事人应当依法进行教育", ART33_3))
        outcome_final = Outcome.MAY_NO_PENALTY
    else:
        outcome_final = outcome
    return Assessment(
        outcome=outcome_final,
        steps=tuple(steps),
        grade=grade,
        penalty_kinds=kinds,
        amount=rng,
        suggested_yuan=suggested,
        confiscate_gains=grade.confiscate_gains,
        confiscate_property=grade.confiscate_property,
        other_penalties=grade.other_penalties,
        education_required=may_no_penalty,
        penalty_outcome=outcome,
    )


def _pct(fraction: Decimal) -> str:
    return f"{(fraction * 100).normalize():f}%"


def _no_penalty(steps: list[Step], outcome: Outcome, exemption: "ExemptionSpec | None" = None) -> Assessment:
    return Assessment(outcome=outcome, steps=tuple(steps), education_required=True, exemption=exemption)


# --- R11: the exemption / light-penalty list (免罚轻罚清单) -------------------------------------

class ExemptionKind(str, Enum):
    FIRST_OFFENCE = "first_offence"
    MINOR = "minor"
    NO_FAULT = "no_fault"
    LIGHTER = "lighter"
    MITIGATED = "mitigated"

    @property
    def label(self) -> str:
        return {"first_offence": "首违不罚", "minor": "轻微不罚", "no_fault": "无过错不罚",
                "lighter": "从轻处罚", "mitigated": "减轻处罚"}[self.value]


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

class ReviewTrigger(str, Enum):
    MAJOR_PUBLIC_INTEREST = "major_public_interest"
    MAJOR_SOCIAL_IMPACT = "major_social_impact"
    COMPLEX = "complex"
    OTHER_LAW = "other_law"
    HEARING_HELD = "hearing_held"

    @property
    def label(self) -> str:
        return {
            "major_public_interest": "涉及重大公共利益",
            "major_social_impact": "可能造成重大社会影响或者引发社会风险",
            "complex": "案件情况疑难复杂、涉及多个法律关系",
            "other_law": "法律、法规规定应当进行法制审核",
            "hearing_held": "直接关系当事人或者第三人重大权益，经过听证程序",
        }[self.value]


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

class RecordingLevel(str, Enum):
    MUST = "must"
    SHOULD = "should"
    NONE = "none"

    @property
    def label(self) -> str:
        return {"must": "应当全程音像记录", "should": "根据实际情况进行音像记录", "none": "无需音像记录"}[self.value]

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




# --- R03: competence (执法权限) — catalog/rules/competence.py ----------------------------------------
from .competence import (  # noqa: E402
    DELEGATION_KINDS,
    Competence,
    DelegationFacts,
    delegation_in_force,
    delegation_violations,
)
