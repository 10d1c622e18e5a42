"""The alert engine's pure rules (R33; legal-rules.md §A, §B, §C+, §E, §J): each rule raises from
minimal data and a variant does not; 同案不同罚 is property-tested."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from zhifa.supervision.rules import alerts as r
from zhifa.supervision.rules import alerts_unequal as u

TODAY = dt.date(2026, 11, 23)


def spec(code: str, **params) -> r.RuleSpec:
    return r.RuleSpec(code, code, "x", "basis", "", 1, params)


def test_r33_catalogue_overrides_parameters_by_code():
    data = {"catalogue_version": "1", "A": {"name": "甲", "category": "overdue", "basis": "法", "version": 2, "params": {"k": 3, "n": 1}}}
    cat = r.parse_catalogue(data, {"A": {"k": 2}})
    assert list(cat) == ["A"] and cat["A"].params == {"k": 2, "n": 1} and cat["A"].version == 2


def test_r33_overdue_filing_raises_and_payment_or_future_does_not():
    s = spec("OVERDUE_STEP", kinds=["filing", "decision"], grace_days=0)
    rows = [r.DueRow(1, "N1", 7, "filing", TODAY - dt.timedelta(days=1)), r.DueRow(2, "N2", 7, "payment", TODAY - dt.timedelta(days=9)),
            r.DueRow(3, "N3", 7, "decision", TODAY), r.DueRow(1, "N1", 7, "filing", TODAY - dt.timedelta(days=1))]
    out = r.overdue_steps(rows, TODAY, s)
    assert [(c.case_id, c.key) for c in out] == [(1, "OVERDUE_STEP:case:1:filing")]
    assert "立案期限" in out[0].message and out[0].evidence["days_overdue"] == 1


def test_r33_overdue_grace_days():
    s = spec("OVERDUE_STEP", kinds=["service"], grace_days=3)
    assert not r.overdue_steps([r.DueRow(1, "", 7, "service", TODAY - dt.timedelta(days=3))], TODAY, s)
    assert r.overdue_steps([r.DueRow(1, "", 7, "service", TODAY - dt.timedelta(days=4))], TODAY, s)


def test_r33_overdue_transfer_clock():
    s = spec("TRANSFER_OVERDUE")
    rows = [r.TransferDueRow(5, 1, 7, "approved", TODAY - dt.timedelta(days=1)), r.TransferDueRow(6, None, 7, "reported", TODAY)]
    assert [c.transfer_id for c in r.overdue_transfers(rows, TODAY, s)] == [5]


def _decision(**kw):
    base = dict(case_id=1, number="N", body_id=7, procedure="normal", outcome="penalty", decided_on=TODAY, notice_served=True,
                is_major=False, review_passed=False, discussed=False)
    base.update(kw)
    return r.DecisionRow(**base)


def test_r33_notice_not_served_raises_only_for_normal_penalty_without_notice():
    s = spec("NOTICE_NOT_SERVED", outcomes=["penalty"])
    assert len(r.notice_not_served([_decision(notice_served=False)], s)) == 1
    assert not r.notice_not_served([_decision(notice_served=True), _decision(notice_served=False, procedure="simple"),
                                    _decision(notice_served=False, outcome="no_penalty")], s)


def test_r33_major_case_without_review_or_discussion_raises():
    s = spec("DECISION_DOCUMENTS_MISSING")
    out = r.documents_missing([_decision(is_major=True, review_passed=True, discussed=False)], s)
    assert len(out) == 1 and out[0].evidence["missing"] == ["集体讨论笔录"]
    assert not r.documents_missing([_decision(is_major=True, review_passed=True, discussed=True), _decision(is_major=False)], s)


def test_r33_collection_not_handed_over_after_two_days():
    s = spec("COLLECTION_NOT_HANDED_OVER", handover_days=2)
    assert r.collection_not_handed_over([r.CollectionRow(1, "", 7, TODAY - dt.timedelta(days=3))], TODAY, s)
    assert not r.collection_not_handed_over([r.CollectionRow(1, "", 7, TODAY - dt.timedelta(days=2))], TODAY, s)


def test_r33_fewer_than_two_certified_officers_raises():
    s = spec("UNCERTIFIED_ENFORCEMENT", min_certified=2)
    out = r.uncertified_enforcement([r.StaffingRow(1, "N", 7, 2, 1), r.StaffingRow(2, "M", 7, 2, 2)], s)
    assert [c.case_id for c in out] == [1]


def test_r33_training_under_sixty_hours_raises():
    s = spec("TRAINING_SHORTFALL", min_hours=60)
    out = r.training_shortfall([r.TrainingRow(1, "李明", 7, 2025, 59.5), r.TrainingRow(2, "王芳", 7, 2025, 60)], s)
    assert [c.officer_id for c in out] == [1] and out[0].key == "TRAINING_SHORTFALL:officer:1:2025"


def test_r33_body_without_legal_reviewer_raises():
    out = r.no_legal_reviewer([(1, "甲局", 0), (2, "乙局", 1)], spec("NO_LEGAL_REVIEWER"))
    assert [c.body_id for c in out] == [1]


def test_r33_zero_case_item_raises_unless_acted_or_excluded():
    s = spec("ZERO_CASE_ITEM")
    rows = [r.ItemRow(1, "A", "甲", 7, 0, False), r.ItemRow(2, "B", "乙", 7, 3, False), r.ItemRow(3, "C", "丙", 7, 0, True)]
    assert [c.item_id for c in r.zero_case_items(rows, TODAY - dt.timedelta(days=365), TODAY, s)] == [1]


def test_r33_transfer_signals_become_alerts():
    specs = {"CASE_NOT_TRANSFERRED": spec("CASE_NOT_TRANSFERRED"), "FINE_INSTEAD_OF_TRANSFER": spec("FINE_INSTEAD_OF_TRANSFER")}
    out = r.transfer_signals([{"code": "CASE_NOT_TRANSFERRED", "case_id": 4, "case_number": "N4", "body_id": 7, "message": "达到标准"},
                              {"code": "OTHER", "case_id": 5, "body_id": 7, "message": ""}], specs)
    assert [(c.rule, c.case_id) for c in out] == [("CASE_NOT_TRANSFERRED", 4)]


def test_r33_selective_enforcement_threshold():
    s = spec("SELECTIVE_ENFORCEMENT", min_cases=3)
    rows = [r.PairRow(1, "李明", 7, "abc", "某公司", 3, (1, 2, 3)), r.PairRow(2, "王芳", 7, "abd", "某公司", 2, (4, 5))]
    assert [c.officer_id for c in r.selective_enforcement(rows, TODAY, s)] == [1]


def test_r33_contest_needs_reasons_and_an_open_alert():
    assert [c for c, _ in r.check_action("contest", r.OPEN, "")] == ["REASON_REQUIRED"]
    assert [c for c, _ in r.check_action("contest", r.CLOSED, "理由充分")] == ["WRONG_STATE"]
    assert r.check_action("convert", r.OPEN, "") == []


# --- 同案不同罚 ----------------------------------------------------------------------------------------
UNEQUAL = spec("UNEQUAL_PENALTY", k=3, min_group=5, min_reason_chars=15, max_comparables=20)
REASON = 40


def fine(case_id, amount, low=Decimal(1000), high=Decimal(10000), reasoning=REASON, outside=False, item=1):
    return u.FineRow(case_id, f"N{case_id}", 7, item, low, high, Decimal(amount), reasoning, outside)


def test_r33_fine_outside_grade_without_reason_raises_with_comparables():
    rows = [fine(1, 20000)] + [fine(i, 5000) for i in range(2, 5)]
    out = u.unequal_penalties(rows, UNEQUAL)
    assert [c.case_id for c in out] == [1]
    assert {c["case_id"] for c in out[0].evidence["comparables"]} == {2, 3, 4}
    assert out[0].evidence["comparables"][0]["amount"] == "5000"


def test_r33_fine_outside_grade_with_stated_reason_does_not_raise():
    assert not u.unequal_penalties([fine(1, 20000, outside=True)] + [fine(i, 5000) for i in range(2, 5)], UNEQUAL)


def test_r33_fine_far_from_median_without_reasoning_raises():
    rows = [fine(i, a) for i, a in enumerate([5000, 5100, 4900, 5050, 4950], start=1)] + [fine(9, 9900, reasoning=3)]
    out = u.unequal_penalties(rows, UNEQUAL)
    assert [c.case_id for c in out] == [9]
    assert any("绝对中位差" in x for x in out[0].evidence["reasons"])


def test_r33_like_fines_with_reasons_do_not_raise():
    assert not u.unequal_penalties([fine(i, 5000 + i) for i in range(1, 9)], UNEQUAL)


def test_r33_groups_are_per_item_and_grade():
    rows = [fine(i, 5000) for i in range(1, 6)] + [fine(9, 9000, item=2, reasoning=0)]
    out = u.unequal_penalties(rows, UNEQUAL)
    assert [c.case_id for c in out] == [9] and out[0].evidence["group_size"] == 1 and out[0].evidence["median"] is None


amounts = st.decimals(min_value=Decimal(1000), max_value=Decimal(10000), places=2, allow_nan=False, allow_infinity=False)


@given(st.lists(amounts, min_size=1, max_size=30), st.integers(min_value=15, max_value=500), st.booleans())
def test_r33_property_amounts_inside_the_range_with_a_reason_never_flag(values, chars, outside_reason):
    rows = [u.FineRow(i, f"N{i}", 7, 1, Decimal(1000), Decimal(10000), v, chars, outside_reason) for i, v in enumerate(values, 1)]
    assert u.unequal_penalties(rows, UNEQUAL) == []


@given(st.lists(amounts, min_size=1, max_size=30), st.decimals(min_value=Decimal("10000.01"), max_value=Decimal(10**7), places=2))
def test_r33_property_amount_above_the_range_without_reason_always_flags(values, above):
    rows = [u.FineRow(i, f"N{i}", 7, 1, Decimal(1000), Decimal(10000), v, 40, False) for i, v in enumerate(values, 1)]
    rows.append(u.FineRow(999, "X", 7, 1, Decimal(1000), Decimal(10000), above, 40, False))
    assert 999 in {c.case_id for c in u.unequal_penalties(rows, UNEQUAL)}


def test_r33_complaints_of_one_kind_never_acted_on_raise():
    s = spec("COMPLAINTS_NEVER_ACTED", min_complaints=3)
    rows = [r.ComplaintRow(1, "甲局", "report", 4, 0), r.ComplaintRow(1, "甲局", "complaint", 5, 1), r.ComplaintRow(2, "乙局", "report", 2, 0)]
    out = r.complaints_never_acted(rows, TODAY, s)
    assert [(c.body_id, c.evidence["kind"]) for c in out] == [(1, "report")] and "举报4件" in out[0].message


def test_r33_entity_inspected_far_more_than_its_draw_chance_raises():
    s = spec("OVER_INSPECTED", min_inspections=3, k=3)
    rows = [r.InspectedRow(1, 10, "甲店", 4, 0.5), r.InspectedRow(1, 11, "乙店", 4, 2.0), r.InspectedRow(1, 12, "丙店", 2, 0.1)]
    assert [c.key for c in r.over_inspected(rows, TODAY, s)] == ["OVER_INSPECTED:body:1:entity:10"]


@given(st.lists(st.tuples(st.integers(1, 60), st.sampled_from([50, 100, 150, 200, 250, 300, 400])), min_size=1, max_size=40,
                unique_by=lambda t: t[0]), st.integers(0, 25))
def test_r33_unequal_comparables_are_the_nearest_amounts_first_as_a_full_sort_gives(members, limit):
    """同案不同罚's evidence: the comparable cases found by bisection (``Nearest``, so that a large
    group costs no sort per flagged fine) are exactly the first ``limit`` of the group sorted by
    (|amount difference|, case id)."""
    rows = [u.FineRow(case_id, "", 1, 1, None, None, Decimal(amount), 0, False) for case_id, amount in members]
    nearest = u.Nearest(rows)
    for row in rows:
        full = sorted((m for m in rows if m.case_id != row.case_id), key=lambda m: (abs(m.amount - row.amount), m.case_id))
        assert [m.case_id for m in nearest.around(row, limit)] == [m.case_id for m in full[:limit]]
