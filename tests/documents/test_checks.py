"""legal-rules.md §F+ — what a decision must say, checked before it is issued (documents/checks.py).

One test per rule of the check list: the sample decision passes, and the flaw the issue found in
the old rendering (no 违反, no 法定代表人, no account of the defence, no late-fee sentence, the
amendment history pasted, the evidence twice, half-width brackets, doubled 。, a one-line fact)
is refused with that rule's code. Pure: no database.
"""
from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.documents import checks, kinds, rendering, rules, samples

pytestmark = []


def prepared(kind: str, data: dict | None = None) -> dict:
    spec = kinds.get(kind)
    out = rendering.json_ready(rules.with_statutory_defaults(spec, data if data is not None else samples.sample(kind)))
    out["body"] = {"name": "示例市市场监督管理局"}
    out["issued_on"] = "2026-10-25"
    return out


def run(kind: str, data: dict) -> list[str]:
    spec = kinds.get(kind)
    data = prepared(kind, data)
    return [v.code for v in checks.check(kind, data, rendering.printed_text(spec, data))]


def decision() -> dict:
    return samples.sample("penalty_decision")


@pytest.mark.parametrize("kind", checks.CHECKED_KINDS)
def test_f_plus_every_sample_passes_every_rule(kind):
    assert run(kind, samples.sample(kind)) == []


def test_f_plus_every_rule_is_named_in_the_refusal():
    data = decision()
    data["party"]["legal_representative"] = ""
    (violation,) = checks.check("penalty_decision", prepared("penalty_decision", data),
                                rendering.printed_text(kinds.get("penalty_decision"), prepared("penalty_decision", data)))
    assert violation.code == checks.DECISION_PARTY_INCOMPLETE
    assert violation.message.startswith("［当事人基本情况］") and "法定代表人" in violation.message
    assert violation.basis == "行政处罚法第五十九条"


# --- The party block -------------------------------------------------------------------------------

def test_f_plus_organisation_needs_credit_code_and_legal_representative():
    data = decision()
    data["party"].update(legal_representative="", id_code="12345")
    assert run("penalty_decision", data) == [checks.DECISION_PARTY_INCOMPLETE]


def test_f_plus_natural_person_needs_id_type_and_number():
    data = decision()
    data["party"] = {"kind": "person", "name": "张三", "address": "示例市人民路1号"}
    assert run("penalty_decision", data) == [checks.DECISION_PARTY_INCOMPLETE]
    data["party"].update(id_type="居民身份证", id_code="650200199001011234")
    assert run("penalty_decision", data) == []


# --- Source, facts, evidence -------------------------------------------------------------------------

def test_f_plus_case_source_and_filing_date():
    data = decision()
    data["case_source"] = "群众举报。"
    assert run("penalty_decision", data) == [checks.DECISION_CASE_SOURCE_MISSING]


def test_f_plus_facts_with_date_place_and_conduct_not_one_line():
    data = decision()
    data["facts"] = "销售过期食品。"  # the old one-line fact
    problems = checks._facts("penalty_decision", prepared("penalty_decision", data), "")
    assert run("penalty_decision", data) == [checks.DECISION_FACTS_INCOMPLETE]
    assert any("日期" in p for p in problems) and any("地点" in p for p in problems) and any("过于简单" in p for p in problems)


def test_f_plus_evidence_once_and_by_kind():
    data = decision()
    data["evidence"] = ["现场笔录1份", "现场笔录1份"]  # the old rendering: no kind, listed twice
    problems = checks._evidence("penalty_decision", prepared("penalty_decision", data), "")
    assert run("penalty_decision", data) == [checks.DECISION_EVIDENCE_INVALID]
    assert any("证据种类" in p for p in problems) and any("重复" in p for p in problems)
    data["evidence"] = ["书证：营业执照复印件", "视听资料：现场照片、营业执照复印件"]
    assert run("penalty_decision", data) == [checks.DECISION_EVIDENCE_INVALID]  # the same item under two kinds


# --- The law cited ----------------------------------------------------------------------------------

def test_f_plus_violated_provision_and_penalty_basis_each_cited():
    data = decision()
    del data["violated_provision"]
    assert checks.DECISION_PROVISION_INVALID in run("penalty_decision", data)
    data = decision()
    data["violated_provision"] = "食品安全法相关规定"
    assert run("penalty_decision", data) == [checks.DECISION_PROVISION_INVALID]
    data["violated_provision"] = data["penalty"]["basis"]
    assert run("penalty_decision", data) == [checks.DECISION_PROVISION_INVALID]  # the same article for both


def test_f_plus_no_amendment_history_pasted():
    data = decision()
    data["penalty"]["basis"] = ("《中华人民共和国食品安全法》（2009年2月28日第十一届全国人民代表大会常务委员会第七次会议通过　"
                                "2015年4月24日第十二届全国人民代表大会常务委员会第十四次会议修订）第一百二十四条第一款第（五）项")
    assert run("penalty_decision", data) == [checks.DECISION_AMENDMENT_HISTORY]


# --- Procedure, reasoning, penalty ----------------------------------------------------------------------

def test_apl44_45_notice_and_defence_and_how_weighed():
    data = decision()
    data["procedure"] = {"notice": "", "response": "当事人提出了陈述、申辩。"}
    problems = checks._procedure("penalty_decision", data, "")
    assert run("penalty_decision", data) == [checks.DECISION_PROCEDURE_MISSING]
    assert len(problems) == 2 and "采纳" in problems[1]


def test_apl34_reasoning_quotes_the_benchmark_grade_and_factors():
    data = decision()
    data["discretion"] = "当事人积极配合调查，如实陈述违法事实，依法从轻处罚。"
    assert run("penalty_decision", data) == [checks.DECISION_REASONING_MISSING]
    data["discretion"] = "应予处罚"
    assert run("penalty_decision", data) == [checks.DECISION_REASONING_MISSING]


def test_f_plus_fine_consistent_in_figures_and_capitals():
    data = decision()
    data["penalty"]["content"] = "没收违法所得人民币120.00元；罚款人民币50000.00元（大写：伍仟元整）"
    assert run("penalty_decision", data) == [checks.DECISION_PENALTY_INCONSISTENT]
    data["penalty"]["content"] = "罚款人民币40000.00元（大写：肆万元整）"
    assert run("penalty_decision", data) == [checks.DECISION_PENALTY_INCONSISTENT]


# --- Payment, late fee, remedies, publication ------------------------------------------------------------

def test_apl67_payment_where_and_within_fifteen_days():
    data = decision()
    data["performance"]["account"] = ""
    assert run("penalty_decision", data) == [checks.DECISION_PAYMENT_INCOMPLETE]


def test_apl72_late_fee_three_percent_and_court_enforcement():
    spec = kinds.get("penalty_decision")
    data = prepared("penalty_decision", decision())
    text = rendering.printed_text(spec, data)
    assert "每日按罚款数额的百分之三加处罚款" in text and "申请人民法院强制执行" in text
    old = text.replace("每日按罚款数额的百分之三加处罚款", "依法加处罚款").replace("申请人民法院强制执行", "依法处理")
    assert [v.code for v in checks.check("penalty_decision", data, old)] == [checks.DECISION_LATE_FEE_MISSING]


def test_apl59_remedies_name_the_government_and_the_court():
    data = decision()
    data["remedies"] = {"reconsideration_body": "示例市人民政府", "court": "示例市人民法院",
                        "reconsideration_days": 60, "litigation_months": 6}
    assert run("penalty_decision", data) == []
    spec = kinds.get("penalty_decision")
    p = prepared("penalty_decision", data)
    text = rendering.printed_text(spec, p).replace("示例市人民法院", "人民法院")
    assert [v.code for v in checks.check("penalty_decision", p, text)] == [checks.DECISION_REMEDIES_INCOMPLETE]


def test_samr45_art8_publication_notice_where_it_applies():
    data = decision()
    data["publication"]["text"] = ""
    data["publication"]["applies"] = True
    spec = kinds.get("penalty_decision")
    p = prepared("penalty_decision", data)
    assert [v.code for v in checks.check("penalty_decision", p, rendering.printed_text(spec, p))] == [checks.DECISION_PUBLICATION_MISSING]
    data["publication"]["applies"] = False
    assert run("penalty_decision", data) == []


# --- Punctuation --------------------------------------------------------------------------------------------

def test_gbt15834_half_width_brackets_doubled_stops_and_unbalanced_quotes():
    for facts in (samples.PENALTY_DECISION["facts"].replace("（规格", "(规格").replace("保质期6个月）", "保质期6个月)"),
                  samples.PENALTY_DECISION["facts"] + "。",
                  samples.PENALTY_DECISION["facts"].replace("“鑫源牌”", "“鑫源牌")):
        data = decision()
        data["facts"] = facts
        assert run("penalty_decision", data) == [checks.DECISION_PUNCTUATION], facts


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)


@settings(max_examples=60, deadline=None)
@given(st.text(CJK, min_size=1, max_size=8), st.sampled_from(list(",;:?!()")), st.text(CJK, min_size=1, max_size=8))
def test_gbt15834_any_half_width_mark_in_chinese_text_is_refused(before, mark, after):
    assert checks._punctuation("penalty_decision", {}, f"{before}{mark}{after}")


@settings(max_examples=60, deadline=None)
@given(st.text(CJK, min_size=1, max_size=12), st.sampled_from(["。。", "，，", "；；", "。，"]))
def test_gbt15834_doubled_punctuation_is_refused(text, doubled):
    assert checks._punctuation("penalty_decision", {}, f"{text}{doubled}")


# --- Amounts in capitals ------------------------------------------------------------------------------------

@pytest.mark.parametrize("amount, capital", [
    ("50000", "伍万元整"), ("1234.56", "壹仟贰佰叁拾肆元伍角陆分"), ("10005", "壹万零伍元整"), ("200", "贰佰元整"),
    ("100000000", "壹亿元整"), ("120.05", "壹佰贰拾元零伍分"), ("0.5", "伍角"), ("30000.10", "叁万元壹角"),
])
def test_capital_amount(amount, capital):
    assert checks.capital_amount(amount) == capital


_CAPITAL_DIGITS = dict(zip("零壹贰叁肆伍陆柒捌玖", range(10)))
_CAPITAL_UNITS = {"拾": 10, "佰": 100, "仟": 1000}


def _read_capital(text: str) -> Decimal:
    """Read a capital amount back (for the property): 亿/万 sections, 元, 角, 分."""
    yuan_part, _, rest = text.partition("元") if "元" in text else ("", "", text)
    total, section, digit = 0, 0, 0
    for ch in yuan_part:
        if ch in _CAPITAL_DIGITS:
            digit = _CAPITAL_DIGITS[ch]
        elif ch in _CAPITAL_UNITS:
            section += digit * _CAPITAL_UNITS[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10_000
            section = digit = 0
        elif ch == "亿":
            total = (total + section + digit) * 100_000_000
            section = digit = 0
    total += section + digit
    cents = Decimal(0)
    for i, ch in enumerate(rest):
        if ch == "角":
            cents += Decimal(_CAPITAL_DIGITS[rest[i - 1]]) / 10
        if ch == "分":
            cents += Decimal(_CAPITAL_DIGITS[rest[i - 1]]) / 100
    return Decimal(total) + cents


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999999.99"), places=2))
def test_capital_amount_reads_back_to_the_figure(amount):
    capital = checks.capital_amount(amount)
    assert _read_capital(capital) == amount, capital
    assert capital.endswith("整") == (amount == amount.to_integral_value())


@settings(max_examples=100, deadline=None)
@given(st.decimals(min_value=Decimal("1"), max_value=Decimal("9999999"), places=2),
       st.decimals(min_value=Decimal("1"), max_value=Decimal("9999999"), places=2))
def test_f_plus_the_fine_decided_is_the_fine_printed(decided, printed):
    data = decision()
    data["penalty"]["amount"] = str(decided)
    data["penalty"]["content"] = f"罚款人民币{printed:.2f}元（大写：{checks.capital_amount(printed)}）"
    codes = checks._penalty("penalty_decision", data, f"本机关决定：{data['penalty']['content']}。")
    assert (codes == []) == (decided == printed)


def test_f_plus_rules_cover_the_check_list_once():
    codes = [r.code for r in checks.RULES]
    assert len(codes) == len(set(codes)) == 14
    assert {k for r in checks.RULES for k in r.kinds} == set(checks.CHECKED_KINDS)
    assert copy.deepcopy(samples.SAMPLES) == samples.SAMPLES
