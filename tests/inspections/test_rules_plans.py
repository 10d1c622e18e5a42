"""R29 (seed G §十; 国发〔2019〕5号): joint inspections are at least 10% of a body's tasks, and the
required joint tasks are allotted across the quarters by the largest remainder method (pure rules,
``inspections.rules.plans``)."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.inspections import rules

weights = st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=12)


def test_r29_required_joint_tasks_are_the_ceiling_of_ten_percent():
    assert [rules.required_joint(n) for n in (0, 1, 9, 10, 11, 20, 21)] == [0, 1, 1, 1, 2, 2, 3]
    assert rules.required_joint(10, Decimal(15)) == 2
    assert rules.required_joint(7, Decimal("12.5")) == 1


def test_r29_largest_remainder_examples():
    assert rules.largest_remainder(10, [5, 3, 2]) == [5, 3, 2]
    assert rules.largest_remainder(5, [3, 3, 3]) == [2, 2, 1]  # a tie goes to the earlier quarter
    assert rules.largest_remainder(7, [10, 0, 5, 1]) == [4, 0, 2, 1]
    assert rules.largest_remainder(3, [0, 0, 0, 0]) == [1, 1, 1, 0]  # nothing planned yet: equal quarters
    assert rules.largest_remainder(0, [4, 1]) == [0, 0]
    with pytest.raises(ValueError):
        rules.largest_remainder(-1, [1])


@given(st.integers(min_value=0, max_value=500), weights)
def test_r29_allocation_sums_to_the_total_and_each_share_is_within_one_of_its_quota(total, ws):
    shares = rules.largest_remainder(total, ws)
    assert sum(shares) == total and len(shares) == len(ws)
    whole = sum(ws) or len(ws)
    for share, w in zip(shares, ws if sum(ws) else [1] * len(ws)):
        assert abs(share - Fraction(total * w, whole)) < 1


@given(st.integers(min_value=0, max_value=500), weights)
def test_r29_allocation_is_monotone_a_larger_weight_never_gets_fewer(total, ws):
    shares = rules.largest_remainder(total, ws)
    for i in range(len(ws)):
        for j in range(len(ws)):
            if ws[i] > ws[j]:
                assert shares[i] >= shares[j]
            if ws[i] == ws[j]:
                assert abs(shares[i] - shares[j]) <= 1


def test_r29_joint_quota_of_a_year_by_quarter():
    quota = rules.joint_quota([3, 4, 2, 11], [0, 1, 0, 0])
    assert (quota.total, quota.joint, quota.required, quota.meets, quota.shortfall) == (20, 1, 2, False, 1)
    # exact quotas 0.3, 0.4, 0.2, 1.1: whole parts 0, 0, 0, 1; the one left goes to the largest remainder, 0.4
    assert [q.required for q in quota.quarters] == [0, 1, 0, 1]
    assert [q.shortfall for q in quota.quarters] == [0, 0, 0, 1]
    assert quota.basis == rules.BASIS_JOINT and "国发〔2019〕5号" in quota.basis
    assert [q.label for q in quota.quarters] == list(rules.QUARTERS)
    assert rules.joint_quota([0, 0, 0, 0], [0, 0, 0, 0]).required == 0
    assert rules.joint_quota([5, 5, 0, 0], [1, 0, 0, 0]).meets
