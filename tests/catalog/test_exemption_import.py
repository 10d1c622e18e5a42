"""R11: the published no-penalty list (江环〔2021〕231号) parsed and loaded as ExemptionEntry rows."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.catalog import discretion
from zhifa.catalog import rules as r
from zhifa.catalog.exemption_import import (
    JIANGMEN_FILE, LISTS_DIR, Candidate, assign_items, load_exemption_list, match_items, normalise_act, parse_exemption_list,
    structured_checks, validity,
)
from zhifa.catalog.models import ExemptionEntry
from zhifa.registry.access import PUBLIC
from tests.factories import BodyFactory, ItemFactory

TEXT = (LISTS_DIR / JIANGMEN_FILE).read_text(encoding="utf-8")

SMALL = """---
title: 示例清单
author: 示例局
date: 2023-01-01
---

::: danger 备注

一、生态环境敏感区内发生的环境违法行为不适用依法可不予处罚的相关规定。

二、本清单自2023年3月1日起施行，有效期两年。

:::

## 一、示例类

### 1、未按照规定设置危险废物识别标志

::: details 违反条款

- 《中华人民共和国固体废物污染环境防治法》第七十七条&emsp;对危险废物的容器和包装物……应当按照规定设置危险废物识别标志。:mag:*[查看原文](/x/#t77)*

:::

::: tip 不予处罚的情节

同时满足下列情形的，不予行政处罚：

（1）两年内属于首次违法；

（2）在责令改正期限内改正违法行为，危害后果轻微。

:::
"""


def test_r11_the_real_list_has_forty_entries_with_conditions_and_articles():
    parsed = parse_exemption_list(TEXT)
    assert parsed.ok and parsed.errors == ()
    assert [e.seq for e in parsed.entries] == list(range(1, 41))
    assert parsed.title == "江门市生态环境依法不予行政处罚的轻微环境违法行为清单"
    assert parsed.author == "江门市生态环境局"
    # 备注五: 自2022年2月1日起施行，有效期三年 → the last day is 2025-01-31.
    assert (parsed.valid_from, parsed.valid_to) == (dt.date(2022, 2, 1), dt.date(2025, 1, 31))
    assert parsed.excluded_in_sensitive_area  # 备注二
    first = parsed.entries[0]
    assert first.act == "建设单位未依法备案建设项目环境影响登记表"
    assert first.category == "建设项目管理类"
    assert first.violated[0].startswith("《中华人民共和国环境影响评价法》第二十二条第四款 国家对环境影响登记表实行备案管理。")
    assert ":mag:" not in "".join(first.violated) and "查看原文" not in "".join(first.violated)
    assert first.conditions.splitlines() == ["同时满足下列情形的，不予行政处罚：", "（1）属于首次违法；", "（2）在责令改正期限内改正违法行为，危害后果轻微。"]
    assert first.kind is r.ExemptionKind.FIRST_OFFENCE and first.requires_first_offence and first.requires_correction
    assert parsed.entries[39].category == "台账管理类"


def test_r11_an_article_in_two_paragraphs_stays_one_clause_without_markup():
    entry = parse_exemption_list(TEXT).entries[8]  # 9、超过水污染物排放标准排放水污染物
    assert len(entry.violated) == 2
    assert entry.violated[1].startswith("《排污许可管理条例》第十七条")
    assert "\n排污单位应当遵守排污许可证规定" in entry.violated[1] and "<br>" not in entry.violated[1]
    assert entry.first_offence_window == "近一年内"


def test_r11_may_not_punish_entries_are_marked():
    entries = {e.seq: e for e in parse_exemption_list(TEXT).entries}
    assert entries[10].discretionary and entries[12].discretionary
    assert not entries[1].discretionary
    # 2、4: correction in the list's own words (停止建设、恢复原状).
    assert entries[2].requires_correction and entries[4].requires_correction


def test_r11_small_list_and_its_validity():
    parsed = parse_exemption_list(SMALL)
    assert parsed.ok
    assert (parsed.valid_from, parsed.valid_to) == (dt.date(2023, 3, 1), dt.date(2025, 2, 28))
    (entry,) = parsed.entries
    assert entry.first_offence_window == "两年内"
    assert entry.violated == ("《中华人民共和国固体废物污染环境防治法》第七十七条 对危险废物的容器和包装物……应当按照规定设置危险废物识别标志。",)


def test_r11_malformed_entries_are_each_reported():
    broken = SMALL.replace("::: tip 不予处罚的情节", "::: note 其他").replace("### 1、", "### 1、") + "\n### 1、重复序号\n"
    parsed = parse_exemption_list(broken)
    assert not parsed.ok
    messages = [m for _, m in parsed.errors]
    assert "第1项缺少“不予处罚的情节”" in messages
    assert "序号1重复" in messages
    assert not parse_exemption_list("# 空文件\n").ok
    assert parse_exemption_list("::: tip 不予处罚的情节\n（1）x\n:::\n").errors[0][1].startswith("“违反条款”或“不予处罚的情节”不属于任何违法行为")


def test_r11_validity_without_a_term_is_open_ended():
    assert validity(["本清单自2021年1月1日起施行。"]) == (dt.date(2021, 1, 1), None)
    assert validity(["自2020年2月29日起施行，有效期一年"]) == (dt.date(2020, 2, 29), dt.date(2021, 2, 27))
    assert validity(["没有日期"]) == (None, None)


@given(st.sampled_from(["属于首次违法", "两年内属于首次违法", "违法行为轻微"]), st.booleans())
def test_r11_structured_checks_never_allow_more_than_slight_harm(phrase, correction):
    text = phrase + ("；在责令改正期限内改正违法行为" if correction else "")
    checks = structured_checks(text)
    assert checks["max_harm"] is r.Harm.SLIGHT  # APL art.33 ¶1
    assert checks["requires_first_offence"] == ("首次违法" in phrase)
    assert checks["requires_correction"] == correction


def test_r11_matching_by_name_prefers_the_law_the_entry_cites():
    cands = [
        Candidate(1, "未依法备案建设项目环境影响登记表的", "《广东省环境保护条例》第六十二条"),
        Candidate(2, "未依法备案建设项目环境影响登记表的", "《中华人民共和国环境影响评价法》第三十一条第三款"),
        Candidate(3, "擅自拆除、闲置环境噪声污染防治设施的", ""),
    ]
    m = match_items("建设单位未依法备案建设项目环境影响登记表", ["《中华人民共和国环境影响评价法》第二十二条第四款 ……"], cands)
    assert m is not None and m.key == 2
    assert match_items("生活垃圾处理单位违反未将污染排放数据实时公开", [], cands) is None
    assert normalise_act("对未按照规定设置危险废物识别标志的行政处罚") == "未按照规定设置危险废物识别标志"


@pytest.mark.django_db
def test_r11_load_matches_items_writes_all_and_is_idempotent(django_assert_max_num_queries):
    body = BodyFactory(code="STHJ")
    labels = ItemFactory(body=body, name="不设置危险废物识别标志的", legal_basis="《中华人民共和国固体废物污染环境防治法》")
    survey = ItemFactory(body=body, name="未按照规定进行土壤污染状况调查的")
    ItemFactory(body=body, name="与清单无关的事项")
    with django_assert_max_num_queries(8):
        result = load_exemption_list(body)
    assert result.ok and result.created == 40 and result.deleted == 0
    assert result.matched == 2 and len(result.unmatched) == 38
    rows = ExemptionEntry.objects.filter(body=body)
    assert rows.count() == 40
    e15 = rows.get(item=labels)
    assert e15.act == "未按照规定设置危险废物识别标志"
    assert e15.citation.endswith("（江环〔2021〕231号）第15项")
    assert e15.valid_to == dt.date(2025, 1, 31) and e15.excluded_in_sensitive_area
    assert "两年内首次" in e15.conditions
    assert rows.get(item=survey).act == "未按照规定进行土壤污染状况调查"
    again = load_exemption_list(body)
    assert again.deleted == 40 and ExemptionEntry.objects.filter(body=body).count() == 40


@pytest.mark.django_db
def test_r11_loaded_list_decides_no_penalty_through_the_service():
    body = BodyFactory(code="STHJ")
    item = ItemFactory(body=body, code="STHJ-1", name="不设置危险废物识别标志的", valid_from=dt.date(2020, 1, 1))
    load_exemption_list(body, keep_in_force=True)
    entry = ExemptionEntry.objects.get(item=item)
    assert entry.valid_to is None and "示范数据继续沿用" in entry.source
    facts = r.Facts(item_code="STHJ-1", act_date=dt.date(2026, 3, 1), first_offence=True, corrected_promptly=True,
                    harm=r.Harm.SLIGHT)
    found = discretion.exemption_for_item("STHJ-1", facts, actor=PUBLIC)
    assert [e.kind for e in found] == [r.ExemptionKind.FIRST_OFFENCE]
    # 备注二: not in an ecologically sensitive area.
    sensitive = r.Facts(**{**facts.__dict__, "sensitive_area": True})
    assert discretion.exemption_for_item("STHJ-1", sensitive, actor=PUBLIC) == []
    # Not a first offence → the list does not apply.
    again = r.Facts(**{**facts.__dict__, "first_offence": False})
    assert discretion.exemption_for_item("STHJ-1", again, actor=PUBLIC) == []


@pytest.mark.django_db
def test_r11_a_broken_file_loads_nothing(tmp_path):
    body = BodyFactory()
    path = tmp_path / "broken.md"
    path.write_text(SMALL.replace("::: tip 不予处罚的情节", "::: note x"), encoding="utf-8")
    result = load_exemption_list(body, path)
    assert not result.ok and result.created == 0
    assert not ExemptionEntry.objects.exists()


def test_r11_a_loose_resemblance_never_steals_an_item_another_entry_names_exactly():
    parsed = parse_exemption_list(TEXT)
    entries = [e for e in parsed.entries if e.seq in (26, 28, 30, 31)]
    cands = [
        Candidate("survey", "未按照规定进行土壤污染状况调查的"),
        Candidate("disclose", "重点排污单位不公开或者不如实公开环境信息的"),
    ]
    got = {e.seq: (m.key if m else None) for e, m in zip(entries, assign_items(entries, cands))}
    # 26 (监测) resembles 28's item (调查) but 28 names it exactly; 30 and 31 share one item.
    assert got == {26: None, 28: "survey", 30: "disclose", 31: "disclose"}


def test_r11_a_repealed_law_badge_is_kept_as_words_never_as_markup():
    """The source marks repealed laws with ``<Badge text="已废止" … />``: the stored clause (shown by
    the API, the page and the public lists) says （已废止） and carries no markup."""
    clauses = [c for e in parse_exemption_list(TEXT).entries for c in e.violated]
    assert any(c.startswith("《中华人民共和国环境噪声污染防治法》（已废止）第十五条") for c in clauses)
    assert not any("<" in c or ">" in c for c in clauses)
