"""The pure rules of complaints (legal-rules §H)."""
from __future__ import annotations

import datetime as dt

from hypothesis import given, strategies as st

from zhifa.portal import rules
from zhifa.portal.rules import State


def test_r35_transitions():
    assert rules.allowed_actions(State.RECEIVED) == ["accept", "reject", "mark_abusive"]
    assert rules.allowed_actions(State.ANSWERED) == []
    assert rules.check_action(State.RECEIVED, "accept", "") == []
    assert {v.code for v in rules.check_action(State.ANSWERED, "reject", "")} == {rules.WRONG_STATE, rules.REASON_REQUIRED}


def test_r35_identity_rule():
    assert rules.check_identity(rules.Kind.REPORT, True, "", "") == []
    assert rules.check_identity(rules.Kind.COMPLAINT, False, "张三", "13800000000") == []
    assert [v.code for v in rules.check_identity(rules.Kind.COMPLAINT, True, "张三", "1")] == [rules.IDENTITY_REQUIRED]


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1)), st.integers(0, 2000))
def test_r35_three_year_limit(known, days):
    """SAMR20 art.15: never passed within three years (1,095 days), always after 1,097 days, and
    once passed it stays passed; an unknown date never passes (the complainant's reading)."""
    received = known + dt.timedelta(days=days)
    passed = rules.limitation_passed(known, received)
    if days <= 365 * 3:
        assert not passed
    if days > 365 * 3 + 2:
        assert passed
    if passed:
        assert rules.limitation_passed(known, received + dt.timedelta(days=1))
    assert rules.limitation_passed(None, received) is False


def test_r35_tracking_code_format():
    assert rules.valid_tracking_code("TS" + "A" * 12)
    assert not rules.valid_tracking_code("TS" + "0" * 12)
    assert not rules.valid_tracking_code("ts" + "A" * 12)
    assert not rules.valid_tracking_code("")
