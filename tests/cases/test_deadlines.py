"""The legal periods' rules (deadlines.py): pure like ``rules`` (no Django, no database, no clock),
worked examples and hypothesis properties of the 90-day clock and the late fee."""
from __future__ import annotations

import datetime as dt
import pathlib
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tests.core.test_layering import _impurities
from zhifa.cases import deadlines as dl

D = dt.date
amounts = st.decimals(min_value=0, max_value=1_000_000, places=2, allow_nan=False, allow_infinity=False)
dates = st.dates(min_value=D(2015, 1, 1), max_value=D(2035, 12, 31))


def codes(violations):
    return [v.code for v in violations]


SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "zhifa" / "cases"


def test_the_period_rules_are_pure():
    assert _impurities((SRC / "deadlines.py").read_text(encoding="utf-8")) == []


# --- the 90-day clock (APL art.60) ---------------------------------------------------------------
intervals = st.builds(lambda s, n: dl.Interval(s, s + dt.timedelta(days=n)), dates, st.integers(0, 60))


@given(st.lists(intervals, max_size=8), intervals)
def test_apl60_accepted_pauses_never_overlap_and_count_each_day_once(existing, new):
    accepted: list[dl.Interval] = []
    for p in existing + [new]:
        if not dl.check_pause(accepted, p):
            accepted.append(p)
    days = set()
    for p in accepted:
        span = {p.start + dt.timedelta(days=i) for i in range((p.end - p.start).days + 1)}
        assert not (span & days)
        days |= span
    assert dl.paused_days(accepted, D(2040, 1, 1)) == len(days)


def test_apl60_running_pause_blocks_a_new_one_and_extension_rules():
    running = [dl.Interval(D(2026, 1, 5), None)]
    assert codes(dl.check_pause(running, dl.Interval(D(2026, 3, 1), D(2026, 3, 2)))) == ["PAUSE_OVERLAP"]
    assert dl.paused_days(running, D(2026, 1, 14)) == 10
    assert codes(dl.check_extension("", True, 0, False)) == ["REASON_REQUIRED"]
    assert dl.check_extension("案情复杂", True, 0, False) == []
    assert codes(dl.check_extension("案情复杂", True, 1, False)) == ["COLLECTIVE_DISCUSSION_REQUIRED"]
    assert dl.check_extension("案情复杂", True, 1, True) == []


# --- the late fee (APL arts.72, 73) ----------------------------------------------------------------
@given(amounts, st.integers(-30, 400))
def test_apl72_late_fee_is_three_percent_a_day_capped_at_the_fine(fine, late):
    due = D(2026, 1, 1)
    fee = dl.late_fee(fine, due, due + dt.timedelta(days=late))
    assert Decimal(0) <= fee <= fine
    if late <= 0:
        assert fee == 0
    elif late * 3 < 100:
        assert fee == (fine * Decimal("0.03") * late).quantize(Decimal("0.01"))
