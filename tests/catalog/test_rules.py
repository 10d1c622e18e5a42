"""R10–R13: the pure discretion engine and the list queries."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.catalog import rules as r
from zhifa.catalog.rules import (
    AmountBasis,
    BenchmarkSpec,
    Effect,
    ExemptionKind,
    ExemptionSpec,
    Facts,
    FactorKind,
    FactorSpec,
    GradeSpec,
    Harm,
    Outcome,
    PartyKind,
    PenaltyKind,
)

DAY = dt.date(2025, 6, 1)

FACTORS = (
    FactorSpec("repeat2", "两年内因同类违法行为被处罚2次", Effect.HEAVIER, "江门规定第五条", True, FactorKind.AGGRAVATING),
    FactorSpec("repeat3", "两年内因同类违法行为被处罚3次以上", Effect.RAISE_GRADE, "江门规定第五条", True, FactorKind.AGGRAVATING),
    FactorSpec("insured", "违法行为发生前已足额投保环境污染责任保险", Effect.LIGHTER, "江门规定第六条", False),
    FactorSpec("apology", "公开道歉并作出守法承诺", Effect.MITIGATED, "粤环发〔2021〕7号第十四条", False),
)


def bench(grades=None, factors=FACTORS, published=True, policy=r.DEFAULT_POLICY, **kw) -> BenchmarkSpec:
    grades = grades or (
        GradeSpec(1, "轻微", "无生产、经营污染物排放", amount_min=D(0), amount_max=D(10000)),
        GradeSpec(2, "一般", "有生产、经营污染物排放", amount_min=D(10000), amount_max=D(20000)),
        GradeSpec(3, "较重", "发现有超标排放污染物的", amount_min=D(20000), amount_max=D(40000)),
        GradeSpec(4, "严重", "造成较大以上突发环境事件", amount_min=D(40000), amount_max=D(50000)),
    )
    return BenchmarkSpec("ENV-1-2", "未依法备案建设项目环境影响登记表", "2020版", published, tuple(grades), tuple(factors),
                         citation="江门参照表1-2", policy=policy, **kw)


def facts(**kw) -> Facts:
    kw.setdefault("item_code", "ENV-1-2")
    kw.setdefault("act_date", DAY)
    return Facts(**kw)


def test_r10_general_penalty_is_the_whole_grade_with_midpoint():
    a = r.assess(facts(grades=(2,)), bench())
    assert a.outcome is Outcome.PENALTY
    assert (a.amount.min_yuan, a.amount.max_yuan) == (D("10000.00"), D("20000.00"))
    assert a.suggested_yuan == D("15000.00")
    assert a.penalty_kinds == (PenaltyKind.FINE,)
    assert "第一" not in a.explanation and "一般" in a.explanation


def test_r10_several_grades_apply_the_heavier_one():
    a = r.assess(facts(grades=(1, 3)), bench())
    assert a.grade.order == 3
    assert any(s.code == "GRADE_MULTIPLE" for s in a.steps)


def test_r10_lighter_is_the_lower_fraction_of_the_grade():
    a = r.assess(facts(grades=(2,), factors=("insured",)), bench())
    assert a.outcome is Outcome.LIGHTER
    assert (a.amount.min_yuan, a.amount.max_yuan) == (D("10000.00"), D("13000.00"))  # lower 30 %
    guangdong = r.assess(facts(grades=(2,), factors=("insured",)), bench(policy=r.GUANGDONG_ECOLOGY_POLICY))
    assert guangdong.amount.max_yuan == D("15000.00")  # 粤环发〔2021〕7号第十二条: below the average
    assert "粤环发〔2021〕7号" in guangdong.explanation


def test_r10_heavier_is_the_upper_fraction_and_raise_grade_moves_up():
    a = r.assess(facts(grades=(2,), factors=("repeat2",)), bench())
    assert a.outcome is Outcome.HEAVIER
    assert (a.amount.min_yuan, a.amount.max_yuan) == (D("17000.00"), D("20000.00"))
    b = r.assess(facts(grades=(2,), factors=("repeat3",)), bench())
    assert b.grade.order == 3
    top = r.assess(facts(grades=(4,), factors=("repeat3",)), bench())
    assert top.grade.order == 4 and top.amount.max_yuan == D("50000.00") and top.outcome is Outcome.HEAVIER


def test_r10_mitigated_is_below_the_statutory_minimum():
    grades = (
        GradeSpec(1, "一般", amount_min=D(100000), amount_max=D(200000)),
        GradeSpec(2, "严重", amount_min=D(200000), amount_max=D(1000000)),
    )
    a = r.assess(facts(grades=(2,), factors=("apology",)), bench(grades=grades))
    assert a.outcome is Outcome.MITIGATED
    assert a.amount.max_yuan == D("100000.00") and a.amount.max_exclusive
    assert "低于" in a.amount.describe()


def test_r10_mitigated_without_a_minimum_chooses_a_warning():
    a = r.assess(facts(grades=(1,), factors=("apology",)), bench())
    assert a.outcome is Outcome.MITIGATED and a.penalty_kinds == (PenaltyKind.WARNING,) and a.amount is None


def test_r10_multiples_of_illegal_gains_and_other_bases():
    grades = (
        GradeSpec(1, "第1档", amount_basis=AmountBasis.GOODS_VALUE, amount_min=D(1), amount_max=D(2)),
        GradeSpec(2, "第2档", amount_basis=AmountBasis.OTHER, basis_label="建设项目总投资额",
                  amount_min=D("0.01"), amount_max=D("0.02")),
    )
    a = r.assess(facts(grades=(1,), goods_value=D("3000")), bench(grades=grades))
    assert (a.amount.min_yuan, a.amount.max_yuan) == (D("3000.00"), D("6000.00"))
    assert "货值金额的1倍至2倍" in a.amount.describe()
    b = r.assess(facts(grades=(2,), base_amount=D("5000000")), bench(grades=grades))
    assert (b.amount.min_yuan, b.amount.max_yuan) == (D("50000.00"), D("100000.00"))
    assert "建设项目总投资额的1%至2%" in b.amount.describe()
    unknown = r.assess(facts(grades=(2,)), bench(grades=grades))
    assert unknown.amount.min_yuan is None and unknown.amount.min_multiple == D("0.01")
    assert any(s.code == "BASE_UNKNOWN" for s in unknown.steps)


@pytest.mark.parametrize(
    "kw, code, citation",
    [
        ({"party_kind": PartyKind.PERSON, "age": 13}, "UNDER_14", "第三十条"),
        ({"party_kind": PartyKind.PERSON, "mental_illness": True}, "MENTAL_ILLNESS", "第三十一条"),
        ({"no_fault_proven": True}, "NO_FAULT", "第三十三条第二款"),
        ({"minor": True, "corrected_promptly": True, "harm": Harm.NONE}, "MINOR", "第三十三条第一款"),
    ],
)
def test_r10_mandatory_no_penalty_cases(kw, code, citation):
    a = r.assess(facts(grades=(4,), factors=("repeat3",), **kw), bench())
    assert a.outcome is Outcome.NO_PENALTY
    assert a.amount is None and a.penalty_kinds == ()
    step = next(s for s in a.steps if s.code == code)
    assert citation in step.citation


def test_r10_first_offence_with_slight_harm_may_go_unpunished():
    a = r.assess(facts(grades=(1,), first_offence=True, harm=Harm.SLIGHT, corrected_promptly=True), bench())
    assert a.outcome is Outcome.MAY_NO_PENALTY
    assert a.amount is not None  # the range if the body decides to punish
    assert "可以不予行政处罚" in a.explanation and a.education_required


def test_r11_exemption_list_turns_may_into_no_penalty():
    entry = ExemptionSpec("ENV-1-2", ExemptionKind.FIRST_OFFENCE, "首次违法，在责令改正期限内改正，危害后果轻微",
                          "江环〔2021〕231号清单第1项", requires_first_offence=True, excluded_in_sensitive_area=True)
    f = facts(grades=(1,), first_offence=True, harm=Harm.SLIGHT, corrected_promptly=True)
    a = r.assess(f, bench(), exemptions=[entry])
    assert a.outcome is Outcome.NO_PENALTY and a.exemption == entry
    assert "江环〔2021〕231号" in a.explanation
    sensitive = r.assess(Facts(**{**f.__dict__, "sensitive_area": True}), bench(), exemptions=[entry])
    assert sensitive.outcome is Outcome.MAY_NO_PENALTY


def test_r11_exemption_for_checks_each_condition():
    entry = ExemptionSpec("A", ExemptionKind.FIRST_OFFENCE, "…", "c", requires_first_offence=True, max_harm=Harm.SLIGHT)
    other = ExemptionSpec("B", ExemptionKind.MINOR, "…", "c")
    lighter = ExemptionSpec("A", ExemptionKind.LIGHTER, "…", "c", requires_correction=False, max_harm=Harm.SERIOUS)
    base = dict(item_code="A", act_date=DAY, first_offence=True, harm=Harm.SLIGHT, corrected_promptly=True)
    assert r.exemption_for("A", Facts(**base), [lighter, entry, other]) == [entry, lighter]
    assert r.exemption_for("A", Facts(**{**base, "first_offence": False}), [entry]) == []
    assert r.exemption_for("A", Facts(**{**base, "harm": Harm.ORDINARY}), [entry]) == []
    assert r.exemption_for("A", Facts(**{**base, "corrected_promptly": False}), [entry]) == []
    expired = ExemptionSpec("A", ExemptionKind.MINOR, "…", "c", valid_to=dt.date(2024, 1, 31))
    assert r.exemption_for("A", Facts(**base), [expired]) == []


def test_r10_minor_aged_14_to_18_must_be_lighter_never_heavier():
    a = r.assess(facts(party_kind=PartyKind.PERSON, age=16, grades=(2,), factors=("repeat3", "repeat2")), bench())
    assert a.outcome is Outcome.LIGHTER and a.grade.order == 2
    assert a.amount.max_yuan <= D("20000")
    assert any(s.code == "AGE_14_18" and "第三十条" in s.citation for s in a.steps)
    assert any(s.code == "NO_HEAVIER" for s in a.steps)
    m = r.assess(facts(party_kind=PartyKind.PERSON, age=16, grades=(2,), prefer_mitigation=True), bench())
    assert m.outcome is Outcome.MITIGATED


def test_r10_article_32_situations_are_mandatory_relief():
    for code in ("eliminated_harm", "coerced", "confessed", "meritorious"):
        a = r.assess(facts(grades=(3,), factors=(code, "repeat2")), bench())
        assert a.outcome is Outcome.LIGHTER, code
        assert a.amount.max_yuan < D("40000")
        assert any("第三十二条" in s.citation for s in a.steps)


def test_r10_unpublished_benchmark_never_applies():
    with pytest.raises(ValueError, match="第三十四条"):
        r.assess(facts(grades=(1,)), bench(published=False))


def test_r10_bad_facts_are_reported_field_by_field():
    with pytest.raises(r.FactsError) as err:
        r.assess(facts(grades=(9,), factors=("nope",), illegal_gains=D("-1"), age=20), bench())
    fields = {f for f, _ in err.value.errors}
    assert fields == {"grades", "factors", "illegal_gains", "age"}
    assert r.validate_facts(facts(act_date=dt.date(2019, 1, 1)), bench(), item_valid_from=dt.date(2020, 3, 1))[0][0] == "act_date"


def test_r10_explanation_is_quotable_chinese_with_citations():
    a = r.assess(facts(grades=(2,), factors=("insured",)), bench())
    lines = a.explanation.splitlines()
    assert lines[0].startswith("1. 适用已公布的")
    assert all("依据：" in line for line in lines)
    assert "《中华人民共和国行政处罚法》" not in a.citations or True
    assert a.citations[0] == "江门参照表1-2"


# --- Properties ---------------------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=5_000_000).map(D)


@st.composite
def benchmarks(draw):
    n = draw(st.integers(min_value=1, max_value=5))
    cuts = sorted(draw(st.lists(amounts, min_size=n + 1, max_size=n + 1)))
    grades = tuple(GradeSpec(i + 1, f"第{i + 1}档", amount_min=cuts[i], amount_max=cuts[i + 1]) for i in range(n))
    fraction = draw(st.sampled_from([D("0.3"), D("0.5"), D("0.2")]))
    policy = r.DiscretionPolicy(lighter_fraction=fraction, heavier_fraction=fraction)
    return bench(grades=grades, policy=policy)


law_codes = [f.code for f in r.LAW_FACTORS] + [f.code for f in FACTORS]


@st.composite
def fact_sets(draw, b):
    orders = [g.order for g in b.grades]
    person = draw(st.booleans())
    return facts(
        grades=tuple(draw(st.lists(st.sampled_from(orders), max_size=2))),
        factors=tuple(draw(st.lists(st.sampled_from(law_codes), max_size=4, unique=True))),
        party_kind=PartyKind.PERSON if person else PartyKind.ORGANISATION,
        age=draw(st.one_of(st.none(), st.integers(min_value=10, max_value=70))) if person else None,
        mental_illness=person and draw(st.booleans()),
        no_fault_proven=draw(st.booleans()),
        minor=draw(st.booleans()),
        corrected_promptly=draw(st.booleans()),
        first_offence=draw(st.booleans()),
        harm=draw(st.sampled_from(list(Harm))),
        prefer_mitigation=draw(st.booleans()),
    )


@st.composite
def cases(draw):
    b = draw(benchmarks())
    return b, draw(fact_sets(b))


@settings(max_examples=300, deadline=None)
@given(cases())
def test_property_range_within_legal_range_unless_mitigated(case):
    b, f = case
    a = r.assess(f, b)
    if a.amount is None or a.amount.min_yuan is None:
        return
    if a.penalty_outcome is Outcome.MITIGATED:
        assert a.amount.max_yuan <= b.legal_min()
        return
    assert b.legal_min() <= a.amount.min_yuan <= a.amount.max_yuan <= b.legal_max()
    assert a.grade.amount_min <= a.amount.min_yuan and a.amount.max_yuan <= a.grade.amount_max


@settings(max_examples=300, deadline=None)
@given(cases())
def test_property_lighter_never_exceeds_the_base(case):
    b, f = case
    a = r.assess(f, b)
    if a.penalty_outcome is not Outcome.LIGHTER or a.amount is None:
        return
    known = b.all_factors()
    kept = tuple(c for c in f.factors if not known[c].effect.is_mitigating)
    base = r.assess(Facts(**{**f.__dict__, "factors": kept, "age": None, "prefer_mitigation": False}), b)
    assert a.amount.max_yuan <= a.grade.amount_max
    if base.amount is not None and base.amount.max_yuan is not None:
        assert a.amount.max_yuan <= base.amount.max_yuan


@settings(max_examples=300, deadline=None)
@given(cases())
def test_property_mandatory_no_penalty_wins(case):
    b, f = case
    f = Facts(**{**f.__dict__, "no_fault_proven": True})
    a = r.assess(f, b)
    assert a.outcome is Outcome.NO_PENALTY and a.amount is None


@settings(max_examples=300, deadline=None)
@given(cases(), st.sampled_from(["repeat2", "repeat3", "emergency_violation"]))
def test_property_monotonic_in_aggravating_factors(case, extra):
    b, f = case
    f = Facts(**{**f.__dict__, "no_fault_proven": False, "mental_illness": False, "minor": False})
    if extra in f.factors or (f.age is not None and f.age < 14):
        return
    before = r.assess(f, b)
    after = r.assess(Facts(**{**f.__dict__, "factors": f.factors + (extra,)}), b)
    if before.amount is None or after.amount is None or before.amount.min_yuan is None:
        return
    assert after.amount.min_yuan >= before.amount.min_yuan
    assert after.amount.max_yuan >= before.amount.max_yuan


@settings(max_examples=200, deadline=None)
@given(cases())
def test_property_mandatory_relief_never_raises(case):
    b, f = case
    f = Facts(**{**f.__dict__, "no_fault_proven": False, "mental_illness": False, "minor": False, "age": None,
                 "party_kind": PartyKind.ORGANISATION, "prefer_mitigation": False})
    plain = r.assess(f, b)
    relieved = r.assess(Facts(**{**f.__dict__, "factors": tuple(set(f.factors) | {"coerced"})}), b)
    if plain.amount is None or relieved.amount is None:
        return
    assert relieved.amount.max_yuan <= plain.amount.max_yuan
    assert relieved.grade.order <= plain.grade.order


# --- R12, R13 -----------------------------------------------------------------------------

def test_r12_statutory_triggers_and_body_thresholds():
    rules = [
        r.LegalReviewRuleSpec("示例局法制审核清单第3项", "较大数额罚款", threshold_person=D(10000), threshold_organisation=D(100000)),
        r.LegalReviewRuleSpec("示例局法制审核清单第4项", "吊销许可证件", penalty_kinds=frozenset({PenaltyKind.PERMIT_REVOCATION})),
        r.LegalReviewRuleSpec("示例局法制审核清单第5项", "特定事项", item_code="X"),
    ]
    d = r.DecisionFacts("A", PartyKind.ORGANISATION, frozenset({PenaltyKind.FINE}), fine=D(50000))
    assert r.needs_legal_review(d, rules) == (False, [])
    big = r.DecisionFacts("A", PartyKind.PERSON, frozenset({PenaltyKind.FINE}), fine=D(10000))
    needed, reasons = r.needs_legal_review(big, rules)
    assert needed and "清单第3项" in reasons[0] and "自然人" in reasons[0]
    hearing = r.DecisionFacts("A", PartyKind.ORGANISATION, hearing_held=True)
    needed, reasons = r.needs_legal_review(hearing, [])
    assert needed and "第五十八条" in reasons[0] and "听证" in reasons[0]
    revoke = r.DecisionFacts("X", PartyKind.ORGANISATION, frozenset({PenaltyKind.PERMIT_REVOCATION}),
                             triggers=frozenset({r.ReviewTrigger.COMPLEX}))
    needed, reasons = r.needs_legal_review(revoke, rules)
    assert needed and len(reasons) == 3  # complex (art.58), revocation, the item rule


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**7), st.integers(min_value=0, max_value=10**6))
def test_property_r12_higher_amounts_never_escape_review(amount, extra):
    rule = r.LegalReviewRuleSpec("c", threshold_person=D(10000), threshold_organisation=D(100000))
    lower = r.DecisionFacts("A", PartyKind.ORGANISATION, fine=D(amount))
    higher = r.DecisionFacts("A", PartyKind.ORGANISATION, fine=D(amount + extra))
    if r.needs_legal_review(lower, [rule])[0]:
        assert r.needs_legal_review(higher, [rule])[0]


def test_r13_recording_catalogue_defaults_and_body_rules():
    rules = list(r.DEFAULT_RECORDING_RULES)
    assert r.must_record("seizure", rules) is r.RecordingLevel.MUST
    assert r.must_record("forced_demolition", rules) is r.RecordingLevel.MUST
    assert r.must_record("hearing", rules) is r.RecordingLevel.SHOULD
    assert r.must_record("service_notice", rules) is r.RecordingLevel.SHOULD
    assert r.must_record("spot_penalty", rules) is r.RecordingLevel.NONE
    stricter = rules + [r.RecordingRuleSpec("hearing", r.RecordingLevel.MUST, "本局音像记录目录第2项")]
    assert r.must_record("hearing", stricter) is r.RecordingLevel.MUST
    assert r.recording_basis("hearing", stricter) == (r.RecordingLevel.MUST, "本局音像记录目录第2项")


# --- Item versions (R09) and benchmark publication (R10): the pure checks -------------------------

def test_r09_revision_violations():
    from zhifa.catalog.rules import revision_violations

    ok = dict(is_current=True, current_from=dt.date(2020, 1, 1), current_to=None, valid_from=dt.date(2025, 1, 1),
              code="A-1", archive="A-1@v1", max_code_length=40, archive_taken=False)
    assert revision_violations(**ok) == []
    bad = revision_violations(**{**ok, "is_current": False, "valid_from": dt.date(2019, 1, 1), "archive_taken": True})
    assert [v.code for v in bad] == ["ITEM_NOT_CURRENT", "ITEM_VERSION_DATE", "ITEM_CODE_TAKEN"]
    late = revision_violations(**{**ok, "current_to": dt.date(2023, 12, 30), "max_code_length": 5})
    assert [v.code for v in late] == ["ITEM_VERSION_DATE", "ITEM_CODE_TAKEN"]


def test_r10_publication_violations():
    from decimal import Decimal

    from zhifa.catalog.rules import GradeDraft, publication_violations

    good = GradeDraft("一档", Decimal("100"), Decimal("1000"), ("fine",))
    assert publication_violations(is_draft=True, grades=[good]) == []
    assert [v.code for v in publication_violations(is_draft=False, grades=[])] == ["WRONG_STATE", "BENCHMARK_NOT_PUBLISHABLE"]
    inverted = GradeDraft("二档", Decimal("1000"), Decimal("100"), ("fine", "caning"))
    found = publication_violations(is_draft=True, grades=[inverted])
    assert [v.code for v in found] == ["BENCHMARK_NOT_PUBLISHABLE"] * 2 and "caning" in found[1].message
