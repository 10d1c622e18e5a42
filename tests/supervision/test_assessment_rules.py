"""The assessment's pure rules (R36, R38): points stay within 0 and the weight and move the right
way, the configuration is refused when malformed (every problem at once), ranking shares ranks on
ties, the reconsideration outcomes that count as a reversal, the workload flags."""
from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.supervision.rules import assessment as rules

CONFIG = tomllib.loads((Path(rules.__file__).resolve().parent.parent / "assessment.toml").read_text(encoding="utf-8"))
values = st.decimals(min_value=-1000, max_value=1000, allow_nan=False, allow_infinity=False, places=2)


def component(direction="higher", best=90, worst=60, weight=30, when_missing="full"):
    return rules.Component(code="x", name="x", weight=Decimal(weight), direction=direction, best=Decimal(best), worst=Decimal(worst),
                           unit="", formula="f", basis="b", function="m:f", when_missing=when_missing)


@given(values, values)
def test_r36_points_stay_between_zero_and_the_weight_and_are_monotonic(a, b):
    for c in (component(), component("lower", best=0, worst=50, weight=15)):
        pa, pb = rules.points(c, a), rules.points(c, b)
        assert 0 <= pa <= c.weight and 0 <= pb <= c.weight
        better = a >= b if c.direction == "higher" else a <= b
        assert (pa >= pb) if better else (pa <= pb)


def test_r36_missing_data_scores_as_configured():
    assert rules.points(component(when_missing="full"), None) == 30
    assert rules.points(component(when_missing="zero"), None) == 0
    assert rules.points(component(), Decimal(75)) == Decimal("15.00")


def test_r36_the_shipped_configuration_is_valid_and_weights_add_up_to_100():
    config = rules.parse_config(CONFIG)
    assert sum(c.weight for c in config.components) == 100 and config.version


def test_r36_a_malformed_configuration_lists_every_problem():
    broken = {**CONFIG, "version": "", "components": [{**CONFIG["components"][0], "weight": 10, "direction": "up"}]}
    with pytest.raises(rules.ConfigError) as exc:
        rules.parse_config(broken)
    message = str(exc.value)
    assert "权重之和应为 100" in message and "direction" in message and "版本号" in message


def test_r36_ties_share_a_rank_and_manual_items_are_capped():
    scores = [rules.BodyScore(1, "B", total=Decimal(80)), rules.BodyScore(2, "A", total=Decimal(80)), rules.BodyScore(3, "C", total=Decimal(90))]
    assert [(s.code, s.rank) for s in rules.rank(scores)] == [("C", 1), ("A", 2), ("B", 2)]
    assert rules.manual_total([Decimal(8), Decimal(7)], Decimal(10)) == 10
    assert rules.manual_total([Decimal(-8), Decimal(-7)], Decimal(10)) == -10
    assert rules.change(Decimal("80.5"), None) is None and rules.change(Decimal("80.5"), Decimal("78")) == Decimal("2.50")


@pytest.mark.parametrize("text, reversed_", [("决定撤销原行政处罚决定", True), ("变更罚款数额", True), ("确认违法", True),
                                             ("维持原决定", False), ("判决驳回原告诉讼请求", False), ("", False)])
def test_r36_reconsideration_and_judgment_outcomes_that_count_as_reversals(text, reversed_):
    assert rules.is_reversal(text) is reversed_


def test_r38_flags():
    t = rules.WorkloadThresholds(version="1", due_window_days=7, overload_open_cases=30, overload_overdue=3,
                                 overload_actions_per_month=Decimal(200), risk_evaluation_failures=1, risk_reversals=1,
                                 risk_overdue_share=Decimal(20))
    calm = dict(open_cases=10, overdue=0, actions_per_month=Decimal(20), evaluation_failures=0, reversals=0)
    assert rules.workload_flags(t, **calm) == []
    assert [k for k, _ in rules.workload_flags(t, **{**calm, "open_cases": 30})] == ["overload"]
    assert [k for k, _ in rules.workload_flags(t, **{**calm, "overdue": 2})] == ["risk"]  # 2 of 10 open = 20 %
    assert [k for k, _ in rules.workload_flags(t, **{**calm, "reversals": 1})] == ["risk"]
    assert [k for k, _ in rules.workload_flags(t, **{**calm, "complaints": 2})] == ["risk"]
    assert rules.workload_flags(t, **{**calm, "complaints": 1}) == []
