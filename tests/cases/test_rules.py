"""Pure guards of the case workflow (rules.py): worked examples and hypothesis properties."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from zhifa.catalog.rules import PartyKind
from zhifa.cases import deadlines as dl
from zhifa.cases import rules as r

D = dt.date
amounts = st.decimals(min_value=0, max_value=1_000_000, places=2, allow_nan=False, allow_infinity=False)
dates = st.dates(min_value=D(2015, 1, 1), max_value=D(2035, 12, 31))


def codes(violations):
    return [v.code for v in violations]


# --- limitation (APL art.36) -------------------------------------------------------------------
def test_apl36_two_years_or_five_with_safety_harm():
    assert r.check_limitation(D(2024, 3, 1), None, False, D(2026, 3, 1)) == []
    assert codes(r.check_limitation(D(2024, 3, 1), None, False, D(2026, 3, 2))) == ["LIMITATION_EXPIRED"]
    assert r.check_limitation(D(2022, 3, 1), None, True, D(2026, 3, 2)) == []
    # a continuing act counts from its end
    assert r.check_limitation(D(2020, 1, 1), D(2025, 1, 1), False, D(2026, 3, 2)) == []
    assert r.limitation_ends(D(2024, 2, 29), None, 2) == D(2026, 2, 28)


@given(dates, st.integers(0, 4000), st.booleans())
def test_apl36_limitation_is_monotonic(act, later, harm):
    discovered = act + dt.timedelta(days=later)
    expired = bool(r.check_limitation(act, None, harm, discovered))
    assert expired == (discovered > r.limitation_ends(act, None, 5 if harm else 2))
    if expired:
        assert r.check_limitation(act, None, harm, discovered + dt.timedelta(days=1))


# --- simple procedure (APL art.51) ----------------------------------------------------------------
def test_apl51_simple_procedure_limits():
    assert r.check_simple_procedure(PartyKind.PERSON, ["fine"], Decimal("200")) == []
    assert codes(r.check_simple_procedure(PartyKind.PERSON, ["fine"], Decimal("200.01"))) == ["SIMPLE_PROCEDURE_LIMIT"]
    assert r.check_simple_procedure(PartyKind.ORGANISATION, ["fine", "warning"], Decimal("3000")) == []
    assert codes(r.check_simple_procedure(PartyKind.ORGANISATION, ["closure"], None)) == ["SIMPLE_PROCEDURE_LIMIT"]
    assert r.check_simple_procedure(PartyKind.ORGANISATION, ["warning"], None) == []


@given(st.sampled_from(list(PartyKind)), amounts)
def test_apl51_fine_refused_exactly_above_the_limit(kind, amount):
    limit = Decimal("200") if kind is PartyKind.PERSON else Decimal("3000")
    assert bool(r.check_simple_procedure(kind, ["fine"], amount)) == (amount > limit)


# --- before the decision (APL arts.44, 45, 57, 58, 62–64) --------------------------------------------
def notice(**kw):
    data = dict(served_on=D(2026, 11, 23), kinds=("fine",), amount=Decimal("5000"), defence_due=D(2026, 11, 30),
                hearing_due=None, defence_done=False, hearing_status="none")
    data.update(kw)
    return r.NoticeFacts(**data)


def before(**kw):
    data = dict(kinds=["fine"], amount=Decimal("5000"), notice=notice(), today=D(2026, 12, 1), review_needed=False,
                review_result=None)
    data.update(kw)
    return codes(r.check_before_decision(**data))


def test_apl62_no_decision_without_notice_or_inside_the_defence_period():
    assert before(notice=None) == ["NOTICE_REQUIRED"]
    assert before(today=D(2026, 11, 30)) == ["DEFENCE_PERIOD_OPEN"]
    assert before(today=D(2026, 11, 30), notice=notice(defence_done=True)) == []
    assert before() == []
    assert before(kinds=[], amount=None, notice=None) == []  # no penalty needs no notice


def test_apl64_hearing_period_and_requested_hearing():
    n = notice(hearing_due=D(2026, 11, 30), defence_done=True)
    assert before(today=D(2026, 11, 30), notice=n) == ["HEARING_PERIOD_OPEN"]
    assert before(notice=n) == []
    assert before(notice=notice(hearing_due=D(2026, 11, 30), hearing_status="requested")) == ["HEARING_REQUIRED"]
    assert before(notice=notice(hearing_due=D(2026, 11, 30), hearing_status="held")) == []


def test_apl45_58_57_all_violations_at_once():
    found = before(amount=Decimal("6000"), today=D(2026, 11, 24), review_needed=True, collective_needed=True)
    assert found == ["DEFENCE_PERIOD_OPEN", "PENALTY_ABOVE_NOTICE", "LEGAL_REVIEW_REQUIRED", "COLLECTIVE_DISCUSSION_REQUIRED"]
    assert before(review_needed=True, review_result="fail") == ["LEGAL_REVIEW_FAILED"]
    assert before(review_needed=True, review_result="pass") == []
    assert before(kinds=["fine", "suspension"]) == ["PENALTY_ABOVE_NOTICE"]


@given(amounts, amounts)
def test_apl45_decided_never_above_noticed(noticed, decided):
    found = before(amount=decided, notice=notice(amount=noticed, defence_done=True))
    assert ("PENALTY_ABOVE_NOTICE" in found) == (decided > noticed)


def test_apl45_renotice_heavier_needs_new_facts():
    old = notice()
    assert codes(r.check_renotice(old, ["fine"], Decimal("8000"), False)) == ["RENOTICE_NEEDS_NEW_FACTS"]
    assert r.check_renotice(old, ["fine"], Decimal("8000"), True) == []
    assert r.check_renotice(old, ["fine"], Decimal("3000"), False) == []
    assert codes(r.check_renotice(old, ["fine", "suspension"], Decimal("3000"), False)) == ["RENOTICE_NEEDS_NEW_FACTS"]


def test_apl63_hearing_thresholds_are_configurable():
    assert not r.hearing_applies(PartyKind.PERSON, ["fine"], Decimal("9999.99"), None)
    assert r.hearing_applies(PartyKind.PERSON, ["fine"], Decimal("10000"), None)
    assert not r.hearing_applies(PartyKind.ORGANISATION, ["fine"], Decimal("99999"), None)
    assert r.hearing_applies(PartyKind.ORGANISATION, ["fine", "confiscate_gains"], Decimal("60000"), Decimal("40000"))
    assert r.hearing_applies(PartyKind.PERSON, ["permit_revocation"], None, None)
    police = r.CasePolicy(hearing_threshold_person=Decimal("2000"))
    assert r.hearing_applies(PartyKind.PERSON, ["fine"], Decimal("2000"), None, police)


def test_apl64_chair_and_notice_period():
    found = r.check_hearing_schedule(7, [7, 8], D(2026, 11, 23), D(2026, 12, 2), D(2026, 12, 1))
    assert codes(found) == ["HEARING_CHAIR_IS_INVESTIGATOR", "HEARING_NOTICE_TOO_SHORT"]
    assert r.check_hearing_schedule(9, [7, 8], D(2026, 11, 23), D(2026, 12, 2), D(2026, 12, 2)) == []


def test_r18_reviewer_is_never_an_investigator_and_first_timers_are_qualified():
    assert codes(r.check_reviewer(7, [7, 8], True, True, False)) == ["REVIEWER_IS_INVESTIGATOR"]
    assert codes(r.check_reviewer(9, [7, 8], True, False, True)) == ["REVIEWER_NOT_QUALIFIED"]
    assert r.check_reviewer(9, [7, 8], True, False, False) == []
    assert codes(r.check_reviewer(9, [7, 8], False, True, False)) == ["REVIEWER_NOT_QUALIFIED"]


def test_apl30_33_not_punishable_and_apl29_one_fine():
    assert codes(r.check_punishable(13, False, False, ["fine"])) == ["NOT_PUNISHABLE"]
    assert r.check_punishable(14, False, False, ["fine"]) == []
    assert codes(r.check_punishable(None, True, False, ["warning"])) == ["NOT_PUNISHABLE"]
    assert codes(r.check_punishable(None, False, True, ["fine"])) == ["NOT_PUNISHABLE"]
    assert r.check_punishable(10, False, False, []) == []
    assert codes(r.check_one_fine(["fine"], 1)) == ["DUPLICATE_FINE"]
    assert r.check_one_fine(["warning"], 1) == [] and r.check_one_fine(["fine"], 0) == []


def test_r19_benchmark_needs_a_reason_outside_the_range():
    assert r.check_benchmark(Decimal("5000"), Decimal("1000"), Decimal("10000"), "") == []
    assert codes(r.check_benchmark(Decimal("500"), Decimal("1000"), Decimal("10000"), "")) == ["OUTSIDE_BENCHMARK_WITHOUT_REASON"]
    assert r.check_benchmark(Decimal("500"), Decimal("1000"), Decimal("10000"), "当事人主动消除危害后果") == []
    assert r.check_benchmark(Decimal("500"), None, None, "") == []


def test_r13_av_record():
    assert codes(r.check_av_record("must", False, "扣押财物", "")) == ["AV_RECORD_REQUIRED"]
    assert r.check_av_record("must", True, "扣押财物", "") == [] and r.check_av_record("should", False, "x", "") == []


# --- execution and seizure ------------------------------------------------------------------------
def test_acl25_seizure_period_one_extension_testing_excluded():
    assert dl.seizure_due(D(2026, 1, 1), False, 0) == D(2026, 1, 31)
    assert dl.seizure_due(D(2026, 1, 1), True, 10) == D(2026, 3, 12)
    assert codes(dl.check_seizure_extension(True, D(2026, 3, 2), D(2026, 2, 1), "需检测")) == ["SEIZURE_PERIOD_EXCEEDED"]
    assert codes(dl.check_seizure_extension(False, D(2026, 1, 31), D(2026, 2, 1), "需检测")) == ["SEIZURE_PERIOD_EXCEEDED"]
    assert dl.check_seizure_extension(False, D(2026, 1, 31), D(2026, 1, 31), "需检测") == []


def test_acl35_54_court_needs_reminder_and_ten_working_days():
    assert codes(r.check_court_application(None, None, D(2026, 3, 1))) == ["REMINDER_REQUIRED"]
    assert codes(r.check_court_application(D(2026, 3, 2), D(2026, 3, 16), D(2026, 3, 15))) == ["COURT_APPLICATION_TOO_EARLY"]
    assert r.check_court_application(D(2026, 3, 2), D(2026, 3, 16), D(2026, 3, 16)) == []


def test_r23_escalation_only_upwards():
    assert r.check_escalation(2, 1, True) == []
    assert codes(r.check_escalation(1, 1, False)) == ["ESCALATION_NOT_HIGHER"]
    assert codes(r.check_escalation(2, 1, False)) == ["ESCALATION_NOT_HIGHER"]


def test_messages_are_chinese_and_cite_the_law():
    for v in (r.check_simple_procedure(PartyKind.PERSON, ["fine"], Decimal("201"))
              + r.check_before_decision(kinds=["fine"], amount=Decimal(1), notice=None, today=D(2026, 1, 1),
                                        review_needed=True, review_result=None)):
        assert any("\u4e00" <= ch <= "\u9fff" for ch in v.message) and "法" in v.basis
