"""R25: the Order 310 clocks over the calendar (hours and days, rest days, make-up days), the
guards and the signals' threshold rule — pure, with hypothesis over report times."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.core.calendar import Schedule
from zhifa.transfers import rules as r

SH = r.SHANGHAI
# National Day week 2026 as a test schedule: 1–7 October rest, Saturday 10 October a make-up working day.
HOLIDAYS = {dt.date(2026, 10, d): False for d in range(1, 8)} | {dt.date(2026, 10, 10): True}
SCHEDULE = Schedule(HOLIDAYS, [2026])
POLICY = r.TransferPolicy()
WORKING = r.TransferPolicy(day_kind="working")

moments = st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2026, 12, 20), timezones=st.just(SH))


def at(y, m, d, h=10, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=SH)


def clock_of(facts, kind, now=None, policy=POLICY):
    found = [x for x in r.clocks(facts, SCHEDULE, now or at(2026, 12, 31), policy) if x.kind == kind]
    assert found, kind
    return found[0]


def _check_calendar_period(start: dt.date, due: dt.date, n: int) -> None:
    """Start not counted; the n-th calendar day, or the next working day when it is a rest day."""
    last = start + dt.timedelta(days=n)
    assert due >= last
    assert SCHEDULE.is_working_day(due)
    day = last
    while day < due:  # every day skipped is a rest day
        assert not SCHEDULE.is_working_day(day)
        day += dt.timedelta(days=1)


def test_r25_head_decision_moves_past_national_day():
    f = r.Facts(direction="out", state="reported", reported_at=at(2026, 9, 28))
    x = clock_of(f, "head_decision", now=at(2026, 10, 5))
    assert x.due == dt.date(2026, 10, 8) and x.status == "running" and x.basis == "行政执法机关移送涉嫌犯罪案件的规定第五条第二款"


def test_r25_head_decision_on_make_up_saturday():
    # reported Wednesday 7 October (a holiday): 3 days → Saturday 10 October, a make-up working day
    f = r.Facts(direction="out", state="reported", reported_at=at(2026, 10, 7))
    assert clock_of(f, "head_decision").due == dt.date(2026, 10, 10)


@given(moments)
def test_r25_head_decision_property(reported):
    f = r.Facts(direction="out", state="reported", reported_at=reported)
    x = clock_of(f, "head_decision", now=reported)
    _check_calendar_period(reported.date(), x.due, 3)
    assert x.status in ("running", "soon")


@given(moments, st.integers(min_value=0, max_value=48 * 60))
def test_r25_dispatch_24_hours_never_stop_for_rest_days(approved, minutes_later):
    f = r.Facts(direction="out", state="approved", reported_at=approved - dt.timedelta(hours=1), head_decided_at=approved,
                approved=True)
    now = approved + dt.timedelta(minutes=minutes_later)
    x = clock_of(f, "dispatch", now=now)
    assert x.unit == "hours" and x.due == approved + dt.timedelta(hours=24)
    assert (x.status == "overdue") == (now > x.due)
    if now <= x.due:
        assert x.status == ("soon" if now >= x.due - dt.timedelta(hours=6) else "running")


def test_r25_dispatch_met_or_late():
    base = dict(direction="out", state="dispatched", reported_at=at(2026, 3, 2), head_decided_at=at(2026, 3, 2, 15), approved=True)
    assert clock_of(r.Facts(**base, dispatched_at=at(2026, 3, 3, 14, 59)), "dispatch").status == "met"
    assert clock_of(r.Facts(**base, dispatched_at=at(2026, 3, 3, 15, 1)), "dispatch").status == "late"


def test_r25_refused_transfer_has_no_dispatch_clock():
    f = r.Facts(direction="out", state="refused", reported_at=at(2026, 3, 2), head_decided_at=at(2026, 3, 3), approved=False)
    assert [x.kind for x in r.clocks(f, SCHEDULE, at(2026, 3, 9), POLICY)] == ["head_decision"]


# Each days clock of Order 310: the fact that starts it, the fact that stops it.
DAYS_CLOCKS = {
    "receipt": ("dispatched_at", "received_on"),
    "police_decision": ("received_on", "police_decision_on"),
    "reconsideration_request": ("first_not_filed_on", "reconsideration_requested_at"),
    "reconsideration_answer": ("reconsideration_requested_at", "reconsideration_answer_on"),
    "procuratorate": ("reconsideration_answer_on", "procuratorate_suggested_at"),
    "handover": ("filed_on", "handed_over_at"),
}


def _facts_starting(kind: str, start: dt.datetime) -> r.Facts:
    field, _ = DAYS_CLOCKS[kind]
    value = start if field.endswith("_at") else start.date()
    extra = {"reconsideration_result": "not_filed"} if kind == "procuratorate" else {}
    return r.Facts(direction="out", state="x", **{field: value}, **extra)


@pytest.mark.parametrize("kind", list(DAYS_CLOCKS))
@given(start=moments)
def test_r25_every_days_clock_over_the_calendar(kind, start):
    x = clock_of(_facts_starting(kind, start), kind, now=start)
    _check_calendar_period(start.date(), x.due, 3)
    assert x.unit == "days" and x.basis.startswith("行政执法机关移送涉嫌犯罪案件的规定")
    # in working days (configurable): the 3rd working day after the start
    y = clock_of(_facts_starting(kind, start), kind, now=start, policy=WORKING)
    assert y.due == SCHEDULE.add_working_days(start.date(), 3).date


@pytest.mark.parametrize("kind", list(DAYS_CLOCKS))
def test_r25_days_clock_overdue_and_optional_windows_lapse(kind):
    start = at(2026, 3, 2)
    x = clock_of(_facts_starting(kind, start), kind, now=at(2026, 3, 20))
    optional = kind in ("reconsideration_request", "procuratorate")
    assert x.status == ("lapsed" if optional else "overdue") and x.optional == optional


def test_r25_police_decision_clock_stops_on_first_decision():
    f = r.Facts(direction="out", state="reconsideration", received_on=dt.date(2026, 3, 2), police_decision="filed",
                police_decision_on=dt.date(2026, 3, 9), first_not_filed_on=dt.date(2026, 3, 4))
    x = clock_of(f, "police_decision")
    assert x.done_at == dt.date(2026, 3, 4) and x.status == "met"


@pytest.mark.parametrize("received, months, due", [
    (dt.date(2026, 1, 31), 1, dt.date(2026, 3, 2)),  # 28 Feb 2026 is a Saturday → Monday 2 March
    (dt.date(2026, 8, 3), 2, dt.date(2026, 10, 8)),  # 3 October in the National Day week → 8 October
    (dt.date(2026, 5, 12), 2, dt.date(2026, 7, 13)),  # 12 July a Sunday → 13 July
])
def test_r25_inward_reply_months(received, months, due):
    f = r.Facts(direction="in", state="registered", inward_kind="opinion", inward_received_on=received, reply_months=months)
    x = clock_of(f, "reply", now=at(2026, 1, 31))
    assert x.due == due and x.unit == "months"


def test_r25_opinion_default_two_months():
    f = r.Facts(direction="in", state="registered", inward_kind="opinion", inward_received_on=dt.date(2026, 3, 2))
    assert clock_of(f, "reply", now=at(2026, 3, 2)).due == dt.date(2026, 5, 4)  # 2 May is a Saturday


@given(moments)
def test_r25_next_due_is_the_earliest_duty_clock(reported):
    f = r.Facts(direction="out", state="approved", reported_at=reported, head_decided_at=reported + dt.timedelta(hours=2),
                approved=True)
    cl = r.clocks(f, SCHEDULE, reported, POLICY)
    due, kind = r.next_due(cl)
    assert kind == "dispatch" and due == reported + dt.timedelta(hours=26)


def test_r25_guards():
    assert r.check_team(1, 2)[0].code == r.TRANSFER_TEAM_TOO_SMALL
    assert r.check_team(2, 3) == []
    assert r.missing_materials("报告", ["无"], False, []) == []
    v = r.missing_materials("", [], True, [])
    assert v[0].code == r.TRANSFER_MATERIALS_MISSING and "检验报告" in v[0].message
    assert r.check_reply("none", "", False)[0].code == r.REPLY_OUTCOME_INVALID
    assert r.check_reply("reasoned_reply", " ", False)[0].code == "REASON_REQUIRED"


@pytest.mark.parametrize("state, decision, blocked", [
    ("reported", "", True), ("refused", "", False), ("not_filed", "not_filed", True), ("closed", "not_filed", False),
    ("closed", "filed", True), ("handed_over", "filed", True)])
def test_r25_blocks_fine(state, decision, blocked):
    assert r.blocks_fine("out", state, decision) is blocked
    assert r.blocks_fine("in", state, decision) is False


def test_r25_thresholds_in_force_on_the_act_date():
    th = [r.Threshold(1, "goods_value", Decimal("50000"), "生产、销售伪劣产品罪", "追诉标准", dt.date(2022, 5, 15)),
          r.Threshold(2, "amount", Decimal("10000"), "非法经营罪", "追诉标准")]
    assert [t.id for t in r.meets_threshold(th, Decimal("60000"), None, dt.date(2026, 1, 1))] == [1, 2]
    assert [t.id for t in r.meets_threshold(th, Decimal("60000"), None, dt.date(2021, 1, 1))] == [2]
    assert r.meets_threshold(th, None, Decimal("9999.99"), dt.date(2026, 1, 1)) == []


def test_r25_offset_lists_standing_measures_and_paid_fine():
    off = r.offset(["warning", "fine", "permit_revocation"], Decimal("3000"))
    assert off.standing == ["警告", "吊销许可证件"] and off.fine_paid == Decimal("3000")


def test_r25_every_action_has_a_known_role_and_states():
    for a in r.ACTIONS:
        assert a.role in r.ROLES and set(a.sources) <= set(r.STATES) and (a.target is None or a.target in r.STATES)
