"""R16: the pure rules of the document set — required content (APL art.59) and numbers (文号)."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.documents import kinds, rules, samples

ISSUE_LIST = [  # issue 5 and legal-rules.md §F, in order of use
    "案件来源登记表", "立案审批表", "不予立案审批表", "询问笔录", "现场笔录", "送达地址确认书", "先行登记保存证据通知书",
    "实施行政强制措施决定书", "财物清单", "延长行政强制措施期限决定书", "解除行政强制措施决定书", "检测鉴定期间告知书",
    "案件调查终结报告", "法制审核意见书", "集体讨论笔录", "行政处罚告知书", "听证告知书", "听证通知书", "听证笔录",
    "陈述申辩笔录", "行政处罚决定书", "不予行政处罚决定书", "当场行政处罚决定书", "送达回证", "延期（分期）缴纳罚款审批表",
    "催告书", "强制执行申请书", "涉嫌犯罪案件移送书", "结案审批表",
    "涉嫌犯罪案件情况的调查报告", "涉案物品清单", "提请复议书", "建议立案监督函", "涉案物品移交清单",
    "处理情况回复函",  # criminal transfers (issue 16, R25, Order 310)
    "行政指导书", "约谈笔录",  # flexible enforcement (issue 16, R21)
]

APL59 = "行政处罚法第五十九条"


def full(kind: str) -> dict:
    spec = kinds.get(kind)
    data = rules.with_statutory_defaults(spec, samples.sample(kind))
    data["body"] = {"name": "示例市市场监督管理局"}
    data["issued_on"] = "2026-10-25"
    return data


def test_r16_every_document_of_the_set_has_a_kind():
    titles = [k.title for k in kinds.all_kinds().values()]
    assert titles == ISSUE_LIST
    assert len(titles) >= 27
    abbreviations = [k.abbreviation for k in kinds.all_kinds().values()]
    assert len(set(abbreviations)) == len(abbreviations), "文书代字必须各不相同，否则文号会重复"


@pytest.mark.parametrize("kind", list(kinds.all_kinds()))
def test_r16_every_kind_declares_required_fields_and_its_sample_passes(kind):
    spec = kinds.get(kind)
    assert any(f.required for f in spec.fields)
    assert spec.basis
    assert rules.check_document(spec, full(kind)) == []


@pytest.mark.parametrize("kind", list(kinds.all_kinds()))
def test_r16_every_kind_refuses_empty_data_listing_each_required_field(kind):
    spec = kinds.get(kind)
    violations = rules.check_document(spec, {})
    required = [f for f in spec.fields if f.required]
    missing = {v.message for v in violations}
    for f in required:
        assert f"缺少{f.label}" in missing
    assert all(v.code == rules.DOCUMENT_INCOMPLETE for v in violations)


def test_r16_decision_lists_every_missing_apl59_item():
    spec = kinds.get("penalty_decision")
    violations = rules.check_document(spec, {"remedies": {}}, has_seal_area=False)
    messages = [v.message for v in violations]
    for item in [
        "缺少当事人的姓名或者名称", "缺少当事人的地址",  # 59(一)
        "缺少违法事实", "缺少证据",  # 59(二)
        "缺少行政处罚的种类", "缺少行政处罚的依据",  # 59(三)
        "缺少履行方式", "缺少履行期限",  # 59(四)
        "缺少申请行政复议的途径（复议机关）", "缺少提起行政诉讼的途径（人民法院）",  # 59(五)
        "缺少作出行政处罚决定的行政机关名称", "缺少作出决定的日期",  # 59(六)
    ]:
        assert item in messages, item
    assert any(m.startswith("缺少申请行政复议的期限") and "60日" in m for m in messages)
    assert any(m.startswith("缺少提起行政诉讼的期限") and "6个月" in m for m in messages)
    assert any(m.startswith("缺少印章区") for m in messages)
    bases = {v.message: v.basis for v in violations}
    assert bases["缺少违法事实"] == APL59
    assert bases["缺少印章区：文书模板中没有加盖行政机关印章的位置"] == "行政处罚法第五十九条第二款"
    assert {v.basis for v in violations if "行政复议的期限" in v.message} == {"行政复议法第二十条"}
    assert {v.basis for v in violations if "行政诉讼的期限" in v.message} == {"行政诉讼法第四十六条"}
    assert all(v.code == "DOCUMENT_INCOMPLETE" for v in violations)


def test_r16_decision_with_one_item_missing_names_only_that_item():
    data = full("penalty_decision")
    data["performance"]["deadline"] = "  "
    violations = rules.check_document(kinds.get("penalty_decision"), data)
    assert [(v.message, v.basis) for v in violations] == [("缺少履行期限", APL59)]


def test_r16_remedy_periods_shorter_than_the_law_are_refused():
    data = full("penalty_decision")
    data["remedies"]["reconsideration_days"] = 30  # ARL art.20 gives 60
    data["remedies"]["litigation_months"] = 3  # ALL art.46 gives 6
    violations = rules.check_document(kinds.get("penalty_decision"), data)
    assert {v.basis for v in violations} == {"行政复议法第二十条", "行政诉讼法第四十六条"}


def test_r16_statutory_periods_are_filled_in_but_a_longer_period_is_kept():
    spec = kinds.get("penalty_decision")
    assert rules.with_statutory_defaults(spec, {})["remedies"] == {"reconsideration_days": 60, "litigation_months": 6}
    kept = rules.with_statutory_defaults(spec, {"remedies": {"reconsideration_days": 90}})
    assert kept["remedies"]["reconsideration_days"] == 90
    assert "remedies" not in rules.with_statutory_defaults(kinds.get("inquiry_record"), {})


@given(st.one_of(st.none(), st.just(""), st.text(alphabet=" \t\n", max_size=5), st.just([]), st.just({}), st.just(["", " "])))
def test_r16_blank_values_count_as_missing(value):
    assert rules.is_blank(value)


@given(st.one_of(st.integers(), st.booleans(), st.text(min_size=1).filter(lambda s: s.strip())))
def test_r16_real_values_are_present(value):
    assert not rules.is_blank(value)


def test_r16_number_in_the_body_pattern():
    assert rules.format_number("示市监", "处罚", 2026, 15) == "示市监处罚〔2026〕15号"


@given(
    short=st.text(alphabet="示市监城管区镇综执", min_size=1, max_size=6),
    abbr=st.sampled_from([k.abbreviation for k in kinds.all_kinds().values()]),
    year=st.integers(2000, 2100),
    seqs=st.lists(st.integers(1, 100_000), min_size=2, max_size=20, unique=True),
)
def test_r16_numbers_are_unique_and_read_back(short, abbr, year, seqs):
    numbers = [rules.format_number(short, abbr, year, s) for s in seqs]
    assert len(set(numbers)) == len(numbers)
    regex = rules.number_regex()
    for seq, number in zip(seqs, numbers):
        m = regex.match(number)
        assert m and int(m["seq"]) == seq and int(m["year"]) == year


def test_r16_numbering_needs_a_short_name_and_a_year_and_sequence():
    spec = kinds.get("penalty_decision")
    assert [v.code for v in rules.check_numbering("", spec)] == ["DOCUMENT_INCOMPLETE"]
    assert "简称" in rules.check_numbering(" ", spec)[0].message
    assert rules.check_numbering("示市监", spec, "{body}{kind}{seq}号")  # no year: numbers would repeat
    assert rules.check_numbering("示市监", spec, "{body}{kind}〔{year}〕{seq}号{x}")
    assert rules.check_numbering("示市监", spec) == []


def test_r16_malformed_kind_data_is_reported_in_chinese():
    with pytest.raises(ValueError, match="版式"):
        kinds.parse_kinds({"x": {"title": "某文书", "abbreviation": "某", "layout": "poster"}})
    with pytest.raises(ValueError, match="abbreviation"):
        kinds.parse_kinds({"x": {"title": "某文书"}})
