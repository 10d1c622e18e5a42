"""The discretion engine (裁量引擎, R10): ``assess`` applies the law and a published benchmark to
the facts of a case, in named steps, each a reasoned line of the explanation with its citation.

Order: the mandatory no-penalty cases of the law (APL arts.30, 31, 33), the exemption list (R11),
the grade, the factors, then the place in the range. Pure.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Sequence

from zhifa.core import citations

from .lists import NO_PENALTY_KINDS, ExemptionSpec, exemption_for
from .specs import (
    ART5,
    ART9,
    ART30,
    ART31,
    ART32,
    ART33_1,
    ART33_2,
    ART33_3,
    ART34,
    ZERO,
    AmountBasis,
    AmountRange,
    Assessment,
    BenchmarkSpec,
    Effect,
    Facts,
    FactsError,
    FactorSpec,
    GradeSpec,
    Harm,
    Outcome,
    PartyKind,
    PenaltyKind,
    Step,
    yuan,
)


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


def assess(facts: Facts, benchmark: BenchmarkSpec, exemptions: Sequence[ExemptionSpec] = ()) -> Assessment:
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
    # 1. Mandatory no-penalty cases of the law win over everything; 2. then the exemption list.
    decided = _statutory_no_penalty(facts, steps) or _listed_no_penalty(facts, exemptions, steps)
    if decided is not None:
        return decided
    # APL art.33 ¶1, second sentence: a first offence, slight harm, corrected — may go unpunished.
    first_offence_slight = facts.first_offence and facts.harm.rank <= Harm.SLIGHT.rank and facts.corrected_promptly

    # 3. The grade.
    grade = _choose_grade(facts, benchmark, steps)
    if grade is None:
        steps.append(Step("NO_GRADE", "裁量基准未设档次，按法定处罚种类和幅度裁量", benchmark.legal_basis or ART5))
        return Assessment(Outcome.PENALTY, tuple(steps))

    # 4. Factors, and what they do to the grade.
    weighing = _weigh_factors(facts, benchmark, steps)
    if isinstance(weighing, Assessment):
        return weighing
    weighing.may_no_penalty = weighing.may_no_penalty or first_offence_slight
    grade, raised = _raise_grade(benchmark, grade, weighing, steps)

    # 5. The place in the range.
    outcome, kinds, rng = _place_in_range(facts, benchmark, grade, weighing, raised, steps)
    return _conclude(benchmark, grade, weighing, outcome, kinds, rng, raised, steps)


def _statutory_no_penalty(facts: Facts, steps: list[Step]) -> Assessment | None:
    """不予处罚 by the law itself (APL arts.30, 31, 33), whatever the benchmark says."""
    person = facts.party_kind is PartyKind.PERSON
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
    return None


def _listed_no_penalty(facts: Facts, exemptions: Sequence[ExemptionSpec], steps: list[Step]) -> Assessment | None:
    """不予处罚 by the exemption list (免罚轻罚清单, R11): the first no-penalty entry that applies."""
    matches = exemption_for(facts.item_code, facts, exemptions)
    match = next((m for m in matches if m.kind in NO_PENALTY_KINDS), None)
    if match is None:
        return None
    steps.append(Step("EXEMPTION_LIST", f"符合免罚清单所列情形：{match.conditions}，不予行政处罚", match.citation or ART33_1))
    steps.append(Step("EDUCATION", "对当事人应当依法进行教育", ART33_3))
    return _no_penalty(steps, Outcome.NO_PENALTY, exemption=match)


@dataclass
class _Weighing:
    """The factors (裁量情节) present and what the law makes of them."""

    minor_14_18: bool  # APL art.30: 已满十四周岁不满十八周岁 — lighter or mitigated, mandatory
    mandatory_relief: bool  # 应当从轻或者减轻
    optional_relief: bool  # 可以从轻或者减轻
    must_mitigate: bool  # 减轻
    lighter: bool  # 从轻
    heavier: list[FactorSpec] = field(default_factory=list)  # 从重
    raise_grade: list[FactorSpec] = field(default_factory=list)  # 上调档次
    may_no_penalty: bool = False  # 可以不予处罚

    @property
    def relief(self) -> bool:
        return self.mandatory_relief or self.optional_relief


def _weigh_factors(facts: Facts, benchmark: BenchmarkSpec, steps: list[Step]) -> _Weighing | Assessment:
    """Each factor present becomes a step; a mandatory no-penalty factor ends the assessment."""
    known = benchmark.all_factors()
    present = [known[c] for c in dict.fromkeys(facts.factors)]
    person = facts.party_kind is PartyKind.PERSON
    minor_14_18 = person and facts.age is not None and 14 <= facts.age < 18
    weighing = _Weighing(
        minor_14_18=minor_14_18,
        mandatory_relief=minor_14_18 or any(f.effect is Effect.LIGHTER_OR_MITIGATED and f.mandatory for f in present),
        optional_relief=any(f.effect is Effect.LIGHTER_OR_MITIGATED and not f.mandatory for f in present),
        must_mitigate=any(f.effect is Effect.MITIGATED for f in present),
        lighter=any(f.effect is Effect.LIGHTER for f in present),
        heavier=[f for f in present if f.effect is Effect.HEAVIER],
        raise_grade=[f for f in present if f.effect is Effect.RAISE_GRADE],
    )
    for f in present:
        if f.effect in (Effect.NO_PENALTY, Effect.MAY_NO_PENALTY):
            if f.effect is Effect.NO_PENALTY and f.mandatory:
                steps.append(Step(f"FACTOR_{f.code.upper()}", f"具有“{f.description}”情节，依法不予行政处罚", f.citation))
                steps.append(Step("EDUCATION", "对当事人应当依法进行教育", ART33_3))
                return _no_penalty(steps, Outcome.NO_PENALTY)
            weighing.may_no_penalty = True
    if minor_14_18:
        steps.append(Step("AGE_14_18", "当事人违法时已满十四周岁不满十八周岁，应当从轻或者减轻行政处罚", ART30))
    for f in present:
        if f.effect in (Effect.NO_PENALTY, Effect.MAY_NO_PENALTY):
            continue
        verb = "应当" if f.mandatory else "可以"
        steps.append(Step(f"FACTOR_{f.code.upper()}", f"具有“{f.description}”情节，{verb}{f.effect.label}", f.citation))
    return weighing


def _raise_grade(benchmark: BenchmarkSpec, grade: GradeSpec, w: _Weighing, steps: list[Step]) -> tuple[GradeSpec, bool]:
    """上调档次: one grade up, or the top of the top grade. Relief the law grants forbids anything
    heavier (APL arts.30, 32): then neither the raise nor the heavier factors apply."""
    if w.raise_grade and not w.relief:
        higher = [g for g in benchmark.sorted_grades if g.order > grade.order]
        citation = benchmark.policy.raise_grade_citation or w.raise_grade[0].citation
        if higher:
            grade = higher[0]
            steps.append(Step("RAISE_GRADE", f"上调一个档次，适用“{grade.name}”：{grade.standard_text or _grade_standard(grade)}", citation))
            return grade, True
        w.heavier = w.heavier or w.raise_grade
        steps.append(Step("RAISE_GRADE_TOP", "已是最高档次，按该档次最高限度处罚，但不得高于法定最高额度", citation))
    elif (w.raise_grade or w.heavier) and w.relief:
        steps.append(Step("NO_HEAVIER", "具有法定应当从轻或者减轻处罚的情节，不再从重处罚或者上调档次", ART32 if not w.minor_14_18 else ART30))
        w.heavier, w.raise_grade = [], []
    return grade, False


def _place_in_range(facts: Facts, benchmark: BenchmarkSpec, grade: GradeSpec, w: _Weighing, raised: bool,
                    steps: list[Step]) -> tuple[Outcome, tuple[PenaltyKind, ...], AmountRange | None]:
    """The outcome, the penalty kinds and the amount range: 减轻, 从轻, 从重, or the grade's range."""
    base = _base_of(facts, grade.amount_basis)
    kinds = tuple(grade.penalty_kinds)
    policy = benchmark.policy
    rng = _base_range(grade, base) if grade.has_amount else None
    if grade.has_amount and grade.amount_basis is not AmountBasis.FIXED and base is None:
        steps.append(Step("BASE_UNKNOWN", f"尚未认定{grade.basis_label or grade.amount_basis.label}，罚款按倍数（比例）表示，认定后据此计算金额", benchmark.citation or ART5))

    if w.must_mitigate or (w.relief and facts.prefer_mitigation):
        kinds, rng = _mitigated(benchmark, grade, base, kinds, steps)
        return Outcome.MITIGATED, kinds, rng
    if w.relief or (w.lighter and not w.heavier):
        rng = _lighter(facts, grade, base, rng, w, policy, steps)
        return Outcome.LIGHTER, kinds, rng
    if w.lighter and w.heavier:
        if rng is not None:
            steps.append(Step("BALANCED", f"同时具有从轻和从重情节，综合考量后在本档次幅度内裁量，即{rng.describe()}", policy.lighter_citation))
        return Outcome.PENALTY, kinds, rng
    if w.heavier:
        return Outcome.HEAVIER, kinds, _heavier(grade, base, rng, policy, steps)
    if rng is not None:
        if raised:
            steps.append(Step("GENERAL", f"在上调后的档次幅度内处罚，即{rng.describe()}", benchmark.citation or ART5))
        else:
            steps.append(Step("GENERAL", f"无从重、从轻、减轻情节，在本档次幅度内适中处罚，即{rng.describe()}", benchmark.citation or ART5))
    return Outcome.PENALTY, kinds, rng


def _mitigated(benchmark: BenchmarkSpec, grade: GradeSpec, base: Decimal | None, kinds: tuple[PenaltyKind, ...],
               steps: list[Step]) -> tuple[tuple[PenaltyKind, ...], AmountRange | None]:
    """减轻处罚: below the statutory minimum fine, or a lighter kind (a warning) where there is none."""
    policy = benchmark.policy
    legal_min = benchmark.legal_min()
    if grade.has_amount and legal_min and legal_min > 0:
        lo = legal_min * policy.mitigation_floor
        rng = _make_range(grade.amount_basis, lo, legal_min, base, grade.basis_label, max_exclusive=True)
        steps.append(Step("MITIGATED", f"减轻处罚：在法定最低罚款数额以下确定罚款，即{rng.describe()}", policy.mitigation_citation))
        return kinds, rng
    lighter_kinds = tuple(k for k in kinds if k in (PenaltyKind.WARNING, PenaltyKind.CRITICISM)) or (PenaltyKind.WARNING,)
    steps.append(Step("MITIGATED", "减轻处罚：法定罚款未设下限，选择较轻的处罚种类（警告）", policy.mitigation_citation))
    return lighter_kinds, None


def _range_bounds(rng: AmountRange) -> tuple[Decimal | None, Decimal | None]:
    if rng.basis is not AmountBasis.FIXED:
        return rng.min_multiple, rng.max_multiple
    return rng.min_yuan, rng.max_yuan


def _lighter(facts: Facts, grade: GradeSpec, base: Decimal | None, rng: AmountRange | None, w: _Weighing, policy,
             steps: list[Step]) -> AmountRange | None:
    """从轻处罚: the lower part of the grade's range (the fraction is the policy's)."""
    if rng is not None:
        lo, hi = _range_bounds(rng)
        lo2, hi2 = _part(lo, hi, policy.lighter_fraction, upper=False)
        rng = _make_range(grade.amount_basis, lo2, hi2, base, grade.basis_label)
        steps.append(Step("LIGHTER", f"从轻处罚：在本档次幅度的较低{_pct(policy.lighter_fraction)}部分内确定，即{rng.describe()}", policy.lighter_citation))
    else:
        steps.append(Step("LIGHTER", "从轻处罚：在可选择的处罚种类中适用较轻的种类", policy.lighter_citation))
    if w.relief and not w.lighter and not facts.prefer_mitigation:
        steps.append(Step("MITIGATION_POSSIBLE", "依法也可以减轻处罚（在法定最低限以下处罚）", ART32 if w.mandatory_relief else ART31))
    return rng


def _heavier(grade: GradeSpec, base: Decimal | None, rng: AmountRange | None, policy, steps: list[Step]) -> AmountRange | None:
    """从重处罚: the upper part of the grade's range, never above the statutory maximum."""
    if rng is None:
        steps.append(Step("HEAVIER", "从重处罚：在可选择的处罚种类中适用较重的种类，不得超出法定种类", policy.heavier_citation))
        return None
    lo, hi = _range_bounds(rng)
    if hi is not None:
        lo2, hi2 = _part(lo, hi, policy.heavier_fraction, upper=True)
        rng = _make_range(grade.amount_basis, lo2, hi2, base, grade.basis_label)
    steps.append(Step("HEAVIER", f"从重处罚：在本档次幅度的较高{_pct(policy.heavier_fraction)}部分内确定，不得超过法定最高额度，即{rng.describe()}", policy.heavier_citation))
    return rng


def _conclude(benchmark: BenchmarkSpec, grade: GradeSpec, w: _Weighing, outcome: Outcome, kinds: tuple[PenaltyKind, ...],
              rng: AmountRange | None, raised: bool, steps: list[Step]) -> Assessment:
    """The suggested amount, confiscation, the may-go-unpunished note, and the assessment."""
    suggested: Decimal | None = None
    if rng is not None and rng.min_yuan is not None and rng.max_yuan is not None and outcome is Outcome.PENALTY and not raised:
        suggested = yuan((rng.min_yuan + rng.max_yuan) / 2)  # 一般处罚按中间值（粤环发〔2021〕7号第十二条）
    if grade.confiscate_gains:
        steps.append(Step("CONFISCATE_GAINS", "有违法所得的，没收违法所得", benchmark.legal_basis or ART9))
    if w.may_no_penalty:
        steps.append(Step("MAY_NO_PENALTY", "当事人初次违法且危害后果轻微并及时改正，可以不予行政处罚；决定给予处罚的，适用上述裁量结果", ART33_1))
        steps.append(Step("EDUCATION", "不予行政处罚的，对当事人应当依法进行教育", ART33_3))
    return Assessment(
        outcome=Outcome.MAY_NO_PENALTY if w.may_no_penalty else outcome,
        steps=tuple(steps),
        grade=grade,
        penalty_kinds=kinds,
        amount=rng,
        suggested_yuan=suggested,
        confiscate_gains=grade.confiscate_gains,
        confiscate_property=grade.confiscate_property,
        other_penalties=grade.other_penalties,
        education_required=w.may_no_penalty,
        penalty_outcome=outcome,
    )


def _pct(fraction: Decimal) -> str:
    return f"{(fraction * 100).normalize():f}%"


def _no_penalty(steps: list[Step], outcome: Outcome, exemption: ExemptionSpec | None = None) -> Assessment:
    return Assessment(outcome=outcome, steps=tuple(steps), education_required=True, exemption=exemption)


