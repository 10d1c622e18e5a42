"""The vocabulary and the data of the discretion engine (行政处罚裁量, R10): party kinds, harms,
penalty kinds, outcomes and effects; the benchmark, its grades and factors, the facts of a case;
the assessment with its reasoned steps; money formatting. Pure.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Sequence

from zhifa.core import citations
from zhifa.core.labels import Labelled

if TYPE_CHECKING:
    from .lists import ExemptionSpec

CENT = Decimal("0.01")
ZERO = Decimal("0")

# --- Citations (core/citations.py) --------------------------------------------------------
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


class PartyKind(Labelled):
    """当事人类型."""

    PERSON = "person", "自然人"
    ORGANISATION = "organisation", "法人或者其他组织"


class Harm(Labelled):
    """危害后果."""

    NONE = "none", "没有造成危害后果"
    SLIGHT = "slight", "危害后果轻微"
    ORDINARY = "ordinary", "造成一般危害后果"
    SERIOUS = "serious", "造成严重危害后果"

    @property
    def rank(self) -> int:
        return ["none", "slight", "ordinary", "serious"].index(self.value)


class PenaltyKind(Labelled):
    """行政处罚种类: the closed list of APL art.9."""

    WARNING = "warning", "警告"
    CRITICISM = "criticism", "通报批评"
    FINE = "fine", "罚款"
    CONFISCATE_GAINS = "confiscate_gains", "没收违法所得"
    CONFISCATE_PROPERTY = "confiscate_property", "没收非法财物"
    PERMIT_SUSPENSION = "permit_suspension", "暂扣许可证件"
    DOWNGRADE = "downgrade", "降低资质等级"
    PERMIT_REVOCATION = "permit_revocation", "吊销许可证件"
    RESTRICT_OPERATION = "restrict_operation", "限制开展生产经营活动"
    SUSPENSION = "suspension", "责令停产停业"
    CLOSURE = "closure", "责令关闭"
    OCCUPATIONAL_BAR = "occupational_bar", "限制从业"
    DETENTION = "detention", "行政拘留"
    OTHER = "other", "法律、行政法规规定的其他行政处罚"

    @property
    def severity(self) -> int:
        """Rough order of severity (lighter first), for choosing a lighter kind."""
        return list(PenaltyKind).index(self)


PENALTY_KIND_LABELS = {k: k.label for k in PenaltyKind}


class AmountBasis(Labelled):
    """How a grade states its fine: a fixed range in yuan, or multiples of a base."""

    FIXED = "fixed", "固定金额"
    ILLEGAL_GAINS = "illegal_gains", "违法所得"
    GOODS_VALUE = "goods_value", "货值金额"
    OTHER = "other", "其他计罚基数"


class Outcome(Labelled):
    """裁量结果."""

    PENALTY = "penalty", "给予处罚"
    HEAVIER = "heavier", "从重处罚"
    LIGHTER = "lighter", "从轻处罚"
    MITIGATED = "mitigated", "减轻处罚"
    MAY_NO_PENALTY = "may_no_penalty", "可以不予处罚"
    NO_PENALTY = "no_penalty", "不予处罚"


class Effect(Labelled):
    """What a factor (裁量情节) does."""

    NO_PENALTY = "no_penalty", "不予处罚"
    MAY_NO_PENALTY = "may_no_penalty", "可以不予处罚"
    MITIGATED = "mitigated", "减轻处罚"
    LIGHTER_OR_MITIGATED = "lighter_or_mitigated", "从轻或者减轻处罚"
    LIGHTER = "lighter", "从轻处罚"
    HEAVIER = "heavier", "从重处罚"
    RAISE_GRADE = "raise_grade", "上调一个档次"
    NOTE = "note", "酌情考虑"

    @property
    def is_aggravating(self) -> bool:
        return self in (Effect.HEAVIER, Effect.RAISE_GRADE)

    @property
    def is_mitigating(self) -> bool:
        return self in (Effect.MITIGATED, Effect.LIGHTER_OR_MITIGATED, Effect.LIGHTER)


class FactorKind(Labelled):
    MITIGATING = "mitigating", "从轻减轻情节"
    AGGRAVATING = "aggravating", "从重情节"
    NO_PENALTY = "no_penalty", "不予处罚情节"
    LIGHTER = "lighter", "从轻情节"
    MITIGATED = "mitigated", "减轻情节"


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
