"""Pure supervision rules (R31, R32, R43): scoring properties, the sheet's validation, the
sample reproducible from its seed, the procedural order of a file, the notice loop's guards."""
from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.supervision.rules import casefile, notices, sampling, scoring
from zhifa.supervision.services.evaluation import DEFAULT_SHEET

SHEET = scoring.parse_sheet(tomllib.loads(DEFAULT_SHEET.read_text(encoding="utf-8")))
deductions = st.dictionaries(st.sampled_from([i.code for i in SHEET.items]),
                             st.decimals(min_value=-5, max_value=50, places=1, allow_nan=False, allow_infinity=False))
vetoes = st.sets(st.sampled_from([v.code for v in SHEET.vetoes]))


def test_r31_r43_the_default_sheet_sums_to_100_with_the_civilized_conduct_group():
    assert SHEET.total == 100 and sum(i.points for i in SHEET.items) == 100
    conduct = next(g for g in SHEET.groups if g.code == "conduct")
    assert [i.code for i in conduct.items] == ["C1", "C2", "C3"]  # dress, conduct, language (R43)
    assert len(SHEET.vetoes) == 8


@given(vetoes.filter(bool), deductions)
def test_r31_a_failed_veto_always_gives_0_and_fail(failed, deducted):
    result = scoring.score(SHEET, failed, deducted)
    assert result.score == 0 and result.grade == scoring.FAIL


@given(deductions)
def test_r31_no_item_below_zero_and_totals_consistent(deducted):
    result = scoring.score(SHEET, set(), deducted)
    assert all(Decimal(0) <= result.item_scores[i.code] <= i.points for i in SHEET.items)
    assert result.score == sum(result.item_scores.values())
    assert 0 <= result.score <= SHEET.total
    assert result.grade == scoring.grade_of(result.score, SHEET.excellent, SHEET.passing)


@given(st.decimals(min_value=0, max_value=100, places=1), st.integers(1, 98))
def test_r31_grades_follow_the_configurable_cutoffs(score, passing):
    excellent = Decimal(passing + 1)
    grade = scoring.grade_of(score, excellent, Decimal(passing))
    assert grade == (scoring.EXCELLENT if score >= excellent else scoring.PASS if score >= passing else scoring.FAIL)


def test_r31_an_invalid_sheet_lists_every_problem():
    with pytest.raises(scoring.SheetError) as exc:
        scoring.parse_sheet({"total": 100, "excellent": 50, "passing": 60, "vetoes": [{"code": "A"}],
                             "groups": [{"code": "g", "items": [{"code": "A", "points": 5, "deduction": 6, "check": "magic"}]}]})
    text = "；".join(exc.value.problems)
    for part in ("重复", "超过该项分值", "不存在", "不一致", "合格线"):
        assert part in text


def test_r31_overrides_of_a_precheck_need_a_reason():
    assert scoring.override_problems({"V2": True, "B2": Decimal(2)}, {"V2": False, "B2": Decimal(2)}, {}) == ["V2"]
    assert scoring.override_problems({"V2": True}, {"V2": False}, {"V2": "证件已核实有效"}) == []


pools = st.lists(st.tuples(st.integers(1, 4), st.integers(1, 500), st.just("a" * 64)), min_size=1, max_size=40,
                 unique_by=lambda t: t[1])


@given(pools, st.integers(1, 5), st.text(min_size=1, max_size=10))
def test_r31_the_sample_is_reproducible_from_its_published_values(files, per_body, witness):
    pool = sampling.pool_document("7", per_body, files)
    secret = "ab" * 32
    seed, drawn = sampling.draw(pool, secret, witness)
    assert sampling.draw(pool, secret, witness) == (seed, drawn)
    for body in {b for b, _, _ in files}:
        theirs = [c for b, c in drawn if b == body]
        assert len(theirs) == min(per_body, sum(1 for b, _, _ in files if b == body)) == len(set(theirs))
    assert {(b, c) for b, c in drawn} <= {(b, c) for b, c, _ in files}


def _doc(i, kind, day):
    return casefile.FileDocument(i, kind, kind, f"No.{i}", 1, dt.datetime(2026, 1, day, 9), "h")


def test_r31_documents_are_bound_in_procedural_order_with_the_evidence_after_the_investigation():
    docs = [_doc(1, "closing_approval", 20), _doc(2, "penalty_decision", 10), _doc(3, "filing_approval", 1),
            _doc(4, "inquiry_record", 2), _doc(5, "something_new", 3), _doc(6, "penalty_notice", 5)]
    ev = [casefile.FileEvidence(1, "照片", "photo", "f" * 64, 10, dt.date(2026, 1, 2))]
    kinds = [e["kind"] for e in casefile.contents(docs, ev)]
    assert kinds == ["filing_approval", "inquiry_record", "evidence_list", "penalty_notice", "penalty_decision",
                     "something_new", "closing_approval"]
    assert casefile.page_ranges([2, 1, 3]) == [(1, 2), (3, 3), (4, 6)]


def test_r32_a_notice_closes_only_on_evidence_and_a_send_back_says_why():
    assert [v.code for v in notices.check_action("accept", notices.RESPONDED)] == ["RECTIFICATION_EVIDENCE_REQUIRED"]
    assert notices.check_action("accept", notices.RESPONDED, evidence_count=1) == []
    assert [v.code for v in notices.check_action("send_back", notices.RESPONDED)] == ["REASON_REQUIRED"]
    assert [v.code for v in notices.check_action("accept", notices.ISSUED, evidence_count=1)] == ["WRONG_STATE"]
    assert notices.is_overdue(notices.ISSUED, dt.date(2026, 1, 1), dt.date(2026, 1, 2))
    assert not notices.is_overdue(notices.CLOSED, dt.date(2026, 1, 1), dt.date(2026, 1, 2))
