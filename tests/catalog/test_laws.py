"""R09, pure: Chinese numerals, parsing the shipped law texts and the items' legal basis, and the
APL art.37 choice of version. No database."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.catalog import laws
from zhifa.catalog.laws import (
    article_label,
    choose_version,
    cn_to_int,
    int_to_cn,
    parse_law,
    parse_legal_basis,
    penalty_articles,
    short_title,
)

LAWS_DIR = Path(laws.__file__).resolve().parent / "laws_data"
APL_PATH = "行政法/行政处罚法(2021-01-22).md"


def load(relative: str) -> laws.ParsedLaw:
    return parse_law((LAWS_DIR / relative).read_text(encoding="utf-8"), relative)


# --- numerals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,number",
    [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十八", 28), ("一百", 100), ("一百零三", 103),
     ("一百一十", 110), ("一百一十五", 115), ("一千", 1000), ("一千零一", 1001), ("一千零一十", 1010),
     ("两千零二十五", 2025), ("九千九百九十九", 9999)],
)
def test_r09_chinese_numerals(text, number):
    assert cn_to_int(text) == number
    if "两" not in text:
        assert int_to_cn(number) == text


@given(st.integers(min_value=1, max_value=9999))
def test_r09_numeral_round_trip(number):
    assert cn_to_int(int_to_cn(number)) == number


@given(st.text(alphabet="零一二三四五六七八九十百千", min_size=1, max_size=8))
def test_r09_numeral_parser_accepts_only_canonical_or_rejects(text):
    """Any string of numeral characters either fails loudly or denotes a number whose canonical
    spelling parses back to the same value: no silent misreading."""
    try:
        value = cn_to_int(text)
    except ValueError:
        return
    assert 0 <= value < 10_000
    if value:
        assert cn_to_int(int_to_cn(value)) == value


@pytest.mark.parametrize("bad", ["", "百", "三三", "十百", "一百百", "abc", "第一"])
def test_r09_numeral_rejects_malformed(bad):
    with pytest.raises(ValueError):
        cn_to_int(bad)


def test_r09_article_labels():
    assert article_label(103) == "第一百零三条"
    assert article_label(28, 1) == "第二十八条之一"
    assert article_label(10) == "第十条"


# --- law texts ----------------------------------------------------------------------------------


def test_r09_parse_administrative_penalty_law():
    apl = load(APL_PATH)
    assert apl.title == "中华人民共和国行政处罚法"
    assert apl.short_title == "行政处罚法"
    assert apl.level == laws.LEVEL_LAW
    assert apl.version_date == dt.date(2021, 1, 22)
    assert apl.effective_from == dt.date(2021, 7, 15)  # APL art.86
    assert apl.issuing_organ == "全国人民代表大会常务委员会"
    assert len(apl.articles) == 86
    art29 = apl.article(29)
    assert "同一个违法行为" in art29.text
    assert art29.chapter == "第四章 行政处罚的管辖和适用"
    assert apl.article(51).section == "第二节 简易程序"
    # enumerated items stay inside their article, and 款 are counted without them
    art9 = apl.article(9)
    assert "（六）法律、行政法规规定的其他行政处罚。" in art9.text
    assert len(laws.paragraphs(art9.text)) == 1
    assert len(laws.paragraphs(apl.article(5).text)) == 3


@pytest.mark.parametrize(
    "relative,count,level,effective",
    [
        ("行政法/行政强制法(2011-06-30).md", 71, laws.LEVEL_LAW, dt.date(2012, 1, 1)),
        ("行政法/食品安全法(2021-04-29).md", 154, laws.LEVEL_LAW, dt.date(2021, 4, 29)),
        ("诉讼与非诉讼程序法/行政复议法(2023-09-01).md", 90, laws.LEVEL_LAW, dt.date(2024, 1, 1)),
        ("行政法规/市场主体登记管理条例(2021-07-27).md", 55, laws.LEVEL_ADMIN_REGULATION, dt.date(2022, 3, 1)),
        ("部门规章/市场监督管理总局/明码标价和禁止价格欺诈规定(2022-04-14).md", 27, laws.LEVEL_RULE, dt.date(2022, 7, 1)),
    ],
)
def test_r09_parse_levels_and_effective_dates(relative, count, level, effective):
    law = load(relative)
    assert len(law.articles) == count
    assert law.level == level
    assert law.effective_from == effective


def test_r09_every_shipped_law_parses_with_consecutive_articles():
    files = [p for p in LAWS_DIR.rglob("*.md") if p.name != "SOURCES.md"]
    assert len(files) == 28
    for path in files:
        law = parse_law(path.read_text(encoding="utf-8"), path.relative_to(LAWS_DIR).as_posix())
        numbers = [a.number for a in law.articles if a.sub_number == 0]
        assert numbers == list(range(1, len(numbers) + 1)), path.name
        assert all(a.text for a in law.articles)


def test_r09_inserted_article_and_headings_with_ideographic_space():
    text = "# 示例条例\n\n<!-- INFO END -->\n\n## 第一章　总则\n\n第一条 甲。\n\n第二十八条之一 乙。\n\n第二款。\n"
    law = parse_law(text, "行政法规/示例条例(2020-01-01).md")
    assert [(a.number, a.sub_number, a.label) for a in law.articles] == [(1, 0, "第一条"), (28, 1, "第二十八条之一")]
    assert law.articles[1].text == "乙。\n第二款。"
    assert law.articles[0].chapter == "第一章 总则"
    assert law.level == laws.LEVEL_ADMIN_REGULATION and law.issuing_organ == "国务院"


def test_r09_file_name_must_carry_the_version_date():
    with pytest.raises(ValueError):
        parse_law("# 甲法\n", "行政法/甲法.md")


def test_r09_penalty_articles_heuristic():
    drugs = load("行政法/药品管理法(2019-08-26).md")
    found = penalty_articles(drugs)
    assert (115, 0) in found and (124, 0) in found
    assert (139, 0) not in found  # competence article of the liability chapter
    assert (98, 0) not in found  # a prohibition outside the liability chapter
    apl = load(APL_PATH)
    assert (29, 0) not in penalty_articles(apl)
    # a law without a 法律责任 chapter: penalties sit among the other articles
    trademarks = load("民法商法/商标法(2019-04-23).md")
    assert (60, 0) in penalty_articles(trademarks)


def test_r09_short_title_strips_prc_prefix():
    assert short_title("中华人民共和国食品安全法") == "食品安全法"
    assert short_title(" 食品安全法 ") == "食品安全法"
    assert short_title("中华人民共和国") == "中华人民共和国"


# --- legal basis of items -------------------------------------------------------------------------

# Verbatim from 克拉玛依市市场监督管理局2024年权责清单, 实施依据 of a penalty item.
FOOD_BASIS = (
    "【法律】《中华人民共和国食品安全法》（2009年2月28日第十一届全国人民代表大会常务委员会第七次会议通过；"
    "2021年4月29日第十三届全国人民代表大会常务委员会第二十八次会议第二次修正）\n"
    "    第一百二十六条第一款：违反本法规定，有下列情形之一的，由县级以上人民政府食品安全监督管理部门责令改正，"
    "给予警告；拒不改正的，处五千元以上五万元以下罚款；情节严重的，责令停产停业，直至吊销许可证："
    "（一）食品、食品添加剂生产者未按规定对采购的食品原料和生产的食品、食品添加剂进行检验；\n"
)
DRUG_BASIS = (
    "【法律】《药品管理法》（1984年9月20日第六届全国人民代表大会常务委员会第七次会议通过，根据2019年8月26日"
    "第十三届全国人民代表大会常务委员会第十二次会议第二次修订，于2019年12月1日起施行。)  \n"
    "    第一百二十三条：提供虚假的证明、数据、资料、样品或者采取其他手段骗取临床试验许可……\n"
    "    第一百三十九条：本法第一百一十五条至第一百三十八条规定的行政处罚，由县级以上人民政府药品监督管理部门"
    "按照职责分工决定；撤销许可、吊销许可证件的，由原批准、发证的部门决定。\n"
    "【规章】《药品注册管理办法》（2020年1月22日国家市场监督管理总局令第27号公布）\n"
    "    第一百一十一条：在药品注册过程中……的，按照《药品管理法》第一百二十三条处理。"
)


def test_r09_parse_real_legal_basis():
    [ref] = parse_legal_basis(FOOD_BASIS)
    assert ref.title == "中华人民共和国食品安全法" and ref.key == "食品安全法" and ref.level_tag == "法律"
    assert [(a.number, a.paragraph, a.cited_as) for a in ref.articles] == [(126, 1, "第一百二十六条第一款")]


def test_r09_legal_basis_blocks_and_embedded_citations():
    drugs, rule = parse_legal_basis(DRUG_BASIS)
    assert drugs.key == "药品管理法"
    # 第一百一十五条至第一百三十八条 inside the text of art.139 is not a citation of the item
    assert [a.number for a in drugs.articles] == [123, 139]
    assert rule.key == "药品注册管理办法" and [a.number for a in rule.articles] == [111]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("《中华人民共和国广告法》第五十五条第一款", [(55, 1)]),
        ("【法律】《行政许可法》（…）\n    第二十九条、第三十条、第三十四条。", [(29, 0), (30, 0), (34, 0)]),
        ("《某办法》（…）\n第四十九条第一、二项 对有下列行为的企业……", [(49, 0)]),
        ("《某条例》（…（修订））第九十九条\xa0\xa0医疗器械研制……", [(99, 0)]),
        ("《某法》\n第三十条规定的情形，依照……", []),
        ("《某法》\n第十条至第十二条：……", [(10, 0), (11, 0), (12, 0)]),
        ("《某法》\n第二十八条之一：……", [(28, 0)]),
    ],
)
def test_r09_legal_basis_shapes(text, expected):
    [ref] = parse_legal_basis(text)
    got = [(a.number, a.paragraph) for a in ref.articles]
    if text.endswith("第二十八条之一：……"):
        assert [(a.number, a.sub_number) for a in ref.articles] == [(28, 1)]
    else:
        assert got == expected


def test_r09_legal_basis_without_law_is_empty():
    assert parse_legal_basis("") == []
    assert parse_legal_basis("第五条：无法律名称的条文") == []


# --- APL art.37 ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class V:
    name: str
    effective_from: dt.date
    repealed_on: dt.date | None = None


OLD = V("2009", dt.date(2009, 6, 1), dt.date(2015, 10, 1))
NEW = V("2015", dt.date(2015, 10, 1))
VERSIONS = [OLD, NEW]


def test_r09_apl37_same_version_at_act_and_decision():
    c = choose_version(VERSIONS, dt.date(2020, 1, 1), dt.date(2020, 6, 1))
    assert c.at_act is NEW and c.chosen is NEW and not c.needs_comparison
    assert c.basis == "《中华人民共和国行政处罚法》第三十七条"


def test_r09_apl37_old_version_unless_new_is_lighter():
    act, decision = dt.date(2015, 9, 1), dt.date(2015, 11, 1)
    heavier = choose_version(VERSIONS, act, decision, lambda new, old: False)
    assert (heavier.at_act, heavier.at_decision, heavier.chosen) == (OLD, NEW, OLD)
    lighter = choose_version(VERSIONS, act, decision, lambda new, old: True)
    assert lighter.chosen is NEW and "较轻" in lighter.reason


def test_r09_apl37_without_comparison_chooses_nothing():
    c = choose_version(VERSIONS, dt.date(2015, 9, 30), dt.date(2015, 10, 1))
    assert c.chosen is None and c.needs_comparison
    assert (c.at_act, c.at_decision) == (OLD, NEW)


def test_r09_apl37_act_before_any_version_and_repeal():
    before = choose_version(VERSIONS, dt.date(2000, 1, 1), dt.date(2016, 1, 1), lambda n, o: False)
    assert before.chosen is None and before.at_decision is NEW and "不溯及既往" in before.reason
    repealed = [V("only", dt.date(2010, 1, 1), dt.date(2020, 1, 1))]
    gone = choose_version(repealed, dt.date(2019, 1, 1), dt.date(2021, 1, 1), lambda n, o: False)
    assert gone.chosen is None and gone.needs_comparison and gone.at_decision is None
    with pytest.raises(ValueError):
        choose_version(VERSIONS, dt.date(2021, 1, 1), dt.date(2020, 1, 1))


dates = st.dates(min_value=dt.date(2005, 1, 1), max_value=dt.date(2030, 12, 31))


@given(dates, dates, st.booleans())
def test_r09_apl37_choice_is_one_of_the_candidates(a, b, lighter):
    act, decision = min(a, b), max(a, b)
    c = choose_version(VERSIONS, act, decision, lambda new, old: lighter)
    assert c.chosen in (c.at_act, c.at_decision, None)
    if c.chosen is not None and c.at_act is not c.at_decision:
        assert c.chosen is (c.at_decision if lighter else c.at_act)
    if c.at_act is None:
        assert c.chosen is None  # never punish under a law not yet in force at the act
