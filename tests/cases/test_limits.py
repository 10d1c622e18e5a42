"""Issue 14, finding 3: the limits the law sets, computed before and now enforced — the decision
period (APL art.60), the statutory maximum, the court-enforcement window (ACL art.53), one act one
fine across bodies (APL art.29), the filing period with its one extension and the legal review's
own period."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.conftest import TODAY
from tests.factories import ItemFactory
from zhifa.cases import deadlines as dl
from zhifa.cases import rules as r
from zhifa.cases import services as s
from zhifa.cases.models import Case
from zhifa.catalog.models import Benchmark, BenchmarkGrade
from zhifa.core import clock, workdays
from zhifa.core.calendar import weekends_only
from zhifa.registry import access

from .conftest import refused

D = Decimal


def codes(violations) -> list[str]:
    return [v.code for v in violations]


def on(day: dt.date):
    return clock.frozen(day)


def _heard(cw, amount=D("5000")):
    case = cw.walk(cw.register(), "notified", amount=amount)
    off = cw.actor("officer1")
    s.waive_defence(case.pk, actor=off)
    if Case.objects.get(pk=case.pk).hearing_due:
        s.waive_hearing(case.pk, actor=off)
    return case


def _decide(cw, case, amount=D("5000"), **kw):
    return s.decide(case.pk, outcome="penalty", kinds=["fine"], amount=amount, reasoning="当事人销售过期食品，违法事实清楚，证据确凿，依法应予处罚。", actor=cw.actor("head1"), **kw)


# --- APL art.60: the decision period ----------------------------------------------------------

def test_apl60_pure_the_decisions_own_date_counts():
    due = dt.date(2026, 6, 1)
    assert dl.check_decision_deadline(due, due) == []
    assert codes(dl.check_decision_deadline(due, due + dt.timedelta(days=1))) == ["DECISION_DEADLINE_PASSED"]


def test_apl60_a_decision_after_the_90_days_is_refused(cw):
    case = _heard(cw)
    due = workdays.add_calendar_days(TODAY, 90).date
    with on(due + dt.timedelta(days=1)):
        assert refused(_decide, cw, case) == ["DECISION_DEADLINE_PASSED"]
    with on(due):
        _decide(cw, case)
    assert Case.objects.get(pk=case.pk).state == "decided"


def test_apl60_an_approved_extension_and_a_pause_move_the_last_day(cw):
    case = _heard(cw)
    head = cw.actor("head1")
    s.extend_period(case.pk, reason="案情复杂，需补充鉴定", days=30, actor=head)
    late = workdays.add_calendar_days(TODAY, 90).date + dt.timedelta(days=10)
    with on(late):
        _decide(cw, case)


# --- The statutory maximum ----------------------------------------------------------------------

def _benchmark(item, statutory_max=D("50000")):
    b = Benchmark.objects.create(item=item, body=item.body, version="2026版", status=Benchmark.Status.PUBLISHED,
                                 valid_from=TODAY - dt.timedelta(days=400), published_on=TODAY - dt.timedelta(days=400),
                                 legal_basis="《中华人民共和国食品安全法》第一百二十四条", statutory_min=D("5000"), statutory_max=statutory_max)
    BenchmarkGrade.objects.create(benchmark=b, order=1, name="一般", penalty_kinds=["fine"], amount_min=D("5000"), amount_max=D("20000"))
    BenchmarkGrade.objects.create(benchmark=b, order=2, name="严重", penalty_kinds=["fine"], amount_min=D("20000"), amount_max=D("50000"))
    return b


def test_statutory_maximum_pure():
    assert r.statutory_maximum(D("50000"), True, None) == D("50000")
    assert r.statutory_maximum(D("10"), False, D("3000")) == D("30000.00")  # ten times the goods' value
    assert r.statutory_maximum(D("10"), False, None) is None
    assert codes(r.check_statutory_maximum(D("50000.01"), D("50000"), "")) == ["ABOVE_STATUTORY_MAXIMUM"]
    assert r.check_statutory_maximum(D("50000"), D("50000"), "") == []


def test_statutory_maximum_refused_whatever_the_reason(cw):
    case = _heard(cw, amount=D("60000"))  # noticed before the benchmark was published
    _benchmark(cw.item)
    v = refused(_decide, cw, case, amount=D("60000"), grades=[2], outside_benchmark_reason="情节特别严重，顶格处罚")
    assert "ABOVE_STATUTORY_MAXIMUM" in v
    _decide(cw, case, amount=D("50000"), grades=[2], outside_benchmark_reason="情节严重")


def test_statutory_maximum_is_not_even_noticed(cw):
    _benchmark(cw.item)
    case = cw.walk(cw.register(), "reviewed")
    assert refused(s.notify, case.pk, kinds=["fine"], amount=D("80000"), actor=cw.actor("officer1")) == ["ABOVE_STATUTORY_MAXIMUM"]


# --- ACL art.53: the court-enforcement window -------------------------------------------------

def test_acl53_pure_window_after_the_remedy_periods():
    cal = weekends_only()
    served = dt.date(2026, 1, 5)
    opens, closes = dl.court_window(cal, served)
    assert opens.date == dt.date(2026, 7, 7)  # 6 months end Sunday 5 July → Monday 6 July; open the day after
    assert opens.date > dl.add_months(served, 6)
    assert closes == dt.date(2026, 10, 6)
    assert codes(dl.check_court_window(opens.date, closes, opens.date - dt.timedelta(days=1))) == ["COURT_APPLICATION_WINDOW"]
    assert dl.check_court_window(opens.date, closes, closes) == []
    assert codes(dl.check_court_window(opens.date, closes, closes + dt.timedelta(days=1))) == ["COURT_APPLICATION_WINDOW"]
    # a reconsideration that ended late gives the party 15 more days to sue (ALL art.45)
    later_opens, _ = dl.court_window(cal, served, [dt.date(2026, 7, 1)])
    assert later_opens.date > opens.date
    assert dl.add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)


def test_acl53_an_application_after_the_three_months_is_refused(cw):
    case = cw.walk(cw.register(), "served")
    off, head = cw.actor("officer1"), cw.actor("head1")
    with on(TODAY + dt.timedelta(days=20)):
        s.remind(case.pk, actor=off)
    with on(TODAY + dt.timedelta(days=290)):
        assert refused(s.apply_court, case.pk, actor=head) == ["COURT_APPLICATION_WINDOW"]
    with on(TODAY + dt.timedelta(days=100)):
        assert refused(s.apply_court, case.pk, actor=head) == ["COURT_APPLICATION_WINDOW"]
    with on(TODAY + dt.timedelta(days=200)):
        s.apply_court(case.pk, actor=head)


# --- APL art.29: one act, one fine ---------------------------------------------------------------

def test_apl29_pure_same_act_by_party_and_overlapping_dates():
    d = dt.date(2026, 3, 1)
    assert r.same_act("X1", d, None, "X1", d, None)
    assert r.same_act("X1", d, d + dt.timedelta(days=10), "X1", d + dt.timedelta(days=5), None)  # within a continuing act
    assert not r.same_act("X1", d, None, "X1", d + dt.timedelta(days=1), None)
    assert not r.same_act("X1", d, None, "X2", d, None)
    assert not r.same_act("", d, None, "", d, None)


def _fined_by_another_body(cw, party_id_code: str, act_date: dt.date) -> Case:
    """The urban management bureau fined the same party for the same act under its own item."""
    item = ItemFactory(body=cw.world.urban, code="CGJ-CF-009", name="对占道经营的处罚")
    other = s.register_source(item_code=item.code, party_kind="organisation", party_name="示例商贸有限公司",
                              party_id_code=party_id_code, act_date=act_date, body_id=cw.world.urban.pk,
                              actor=access.actor_for(cw.world.users["admin"]))
    Case.objects.filter(pk=other.pk).update(state="served", outcome="penalty", decision_kinds=["fine"],
                                            decision_amount=D("2000"), decided_on=TODAY - dt.timedelta(days=3))
    return other


def test_apl29_a_second_fine_is_refused_when_another_body_fined_first(cw):
    case = cw.walk(cw.register(), "reviewed")
    _fined_by_another_body(cw, case.party_id_code, case.act_date)
    assert refused(s.notify, case.pk, kinds=["fine"], amount=D("5000"), actor=cw.actor("officer1")) == ["DUPLICATE_FINE"]
    s.notify(case.pk, kinds=["warning"], actor=cw.actor("officer1"))  # another kind of penalty remains possible


def test_apl29_another_act_of_the_same_party_may_be_fined(cw):
    case = cw.walk(cw.register(), "reviewed")
    _fined_by_another_body(cw, case.party_id_code, case.act_date - dt.timedelta(days=40))
    s.notify(case.pk, kinds=["fine"], amount=D("5000"), actor=cw.actor("officer1"))


# --- The filing period and its one extension; the legal review's own period -------------------

def test_filing_period_pure_one_extension_before_it_runs_out():
    cal = weekends_only()
    clue = dt.date(2026, 3, 2)  # a Monday
    due = dl.filing_due(cal, clue, False).date
    assert due == dt.date(2026, 3, 23)  # 15 working days
    assert dl.filing_due(cal, clue, True).date == dt.date(2026, 4, 13)  # + 15 with approval
    assert dl.check_filing_extension(False, due, due, "案情复杂", "依据") == []
    assert codes(dl.check_filing_extension(True, due, due, "案情复杂", "依据")) == ["EXTENSION_NOT_ALLOWED"]
    assert codes(dl.check_filing_extension(False, due, due + dt.timedelta(days=1), "", "依据")) == ["REASON_REQUIRED", "EXTENSION_NOT_ALLOWED"]
    market = r.CasePolicy(filing_by_sector=(("market", 10, 5, "某规定"),))
    assert dl.filing_due(cal, clue, True, market, "market").date == dt.date(2026, 3, 23)
    assert dl.filing_due(cal, clue, False, market, "urban").date == due


def test_filing_extension_is_an_action_shown_as_a_deadline(cw):
    case = cw.register()
    first = {d.kind: d for d in s.deadlines_of(Case.objects.get(pk=case.pk))}["filing"]
    assert first.due == workdays.add_working_days(TODAY, 15).date
    head = cw.actor("head1")
    assert "extend_filing" in s.allowed_actions(Case.objects.select_related("body").get(pk=case.pk), head)
    s.extend_filing(case.pk, reason="需核查进货来源", actor=head)
    case = Case.objects.get(pk=case.pk)
    extended = {d.kind: d for d in s.deadlines_of(case)}["filing"]
    assert extended.due == workdays.add_working_days(TODAY, 30).date and case.next_due == extended.due
    entry = s.record_of(case.pk, head).last()
    assert entry.action == "extend_filing" and entry.payload["reason"] == "需核查进货来源"
    assert "extend_filing" not in s.allowed_actions(Case.objects.select_related("body").get(pk=case.pk), head)
    assert refused(s.extend_filing, case.pk, reason="再延长", actor=head) == ["EXTENSION_NOT_ALLOWED"]


def test_filing_extension_after_the_period_is_refused(cw):
    case = cw.register()
    with on(workdays.add_working_days(TODAY, 16).date):
        assert refused(s.extend_filing, case.pk, reason="需核查", actor=cw.actor("head1")) == ["EXTENSION_NOT_ALLOWED"]


def test_legal_review_period_is_a_deadline(cw, settings):
    case = cw.walk(cw.register(), "reviewed")
    s.request_review(case.pk, reviewer_id=cw.officer("reviewer1").pk, actor=cw.actor("officer1"))
    case = Case.objects.get(pk=case.pk)
    assert {d.kind: d.due for d in s.deadlines_of(case)}["review"] == workdays.add_working_days(TODAY, 5).date
    settings.ZHIFA = {**settings.ZHIFA, "CASE_POLICY": {"review_by_body": {cw.world.market.code: 10}}}
    case = Case.objects.select_related("body").get(pk=case.pk)
    assert {d.kind: d.due for d in s.deadlines_of(case)}["review"] == workdays.add_working_days(TODAY, 10).date
    s.complete_review(case.pk, result="pass", opinion="同意", actor=cw.actor("reviewer1"))
    assert "review" not in {d.kind for d in s.deadlines_of(Case.objects.get(pk=case.pk))}


def test_acl53_the_court_window_is_shown_on_the_case(cw):
    case = cw.walk(cw.register(), "served")
    with on(TODAY + dt.timedelta(days=20)):
        s.remind(case.pk, actor=cw.actor("officer1"))
        kinds = {d.kind: d.due for d in s.deadlines_of(Case.objects.get(pk=case.pk))}
    opens, closes = dl.court_window(workdays.schedule(), TODAY)
    assert kinds["court"] == opens.date and kinds["court_last"] == closes
