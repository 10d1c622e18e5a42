"""Hypothesis RuleBasedStateMachine over the workflow (issue 4 quality bar): whatever sequence of
actions is tried, a penalty decision never exists without a notice served before it, without a
passed legal review where one was required, or with fewer than two certified officers; refused
actions leave nothing behind and the record always verifies."""
from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from tests.conftest import TODAY
from zhifa.cases import services as s
from zhifa.cases.models import Case, Decision
from zhifa.core import clock, ledger
from zhifa.core.models import RecordEntry
from zhifa.core.violations import Refused
from zhifa.registry import services as registry

pytestmark = pytest.mark.django_db
AMOUNTS = st.sampled_from([Decimal("500"), Decimal("5000"), Decimal("20000"), Decimal("150000")])
_serial = itertools.count(1)


def make_machine(cw):
    officers = {k: cw.officer(k).pk for k in ("officer1", "officer2", "officer3", "aux1", "reviewer1", "head1")}
    actors = {k: cw.actor(k) for k in ("officer1", "head1", "reviewer1")}

    class CaseMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.today = TODAY
            n = next(_serial)
            with clock.frozen(self.today):
                self.case = cw.register(party_id_code=f"9165020000000{n:05d}", party_name=f"第{n}号公司")

        def attempt(self, fn, *args, **kw):
            entries = RecordEntry.objects.filter(stream=self.case.stream).count()
            version = Case.objects.get(pk=self.case.pk).version
            with clock.frozen(self.today):
                try:
                    fn(self.case.pk, *args, **kw)
                except (Refused, PermissionDenied):
                    # a refusal writes nothing
                    assert RecordEntry.objects.filter(stream=self.case.stream).count() == entries
                    assert Case.objects.get(pk=self.case.pk).version == version

        @rule(pair=st.sampled_from([("officer1", "officer2"), ("officer1", "officer3"), ("officer1", "aux1"), ("officer2", "head1")]))
        def file(self, pair):
            self.attempt(s.file_case, officer_ids=[officers[p] for p in pair], actor=actors["head1"])

        @rule(pair=st.sampled_from([("officer1", "officer3"), ("officer1", "officer2"), ("aux1", "officer2")]))
        def assign(self, pair):
            self.attempt(s.assign_officers, officer_ids=[officers[p] for p in pair], actor=actors["head1"])

        @rule(amount=AMOUNTS)
        def end_investigation(self, amount):
            self.attempt(s.end_investigation, report="调查终结", proposed_kinds=["fine"], proposed_amount=amount, actor=actors["officer1"])

        @rule(major=st.booleans())
        def review_case(self, major):
            self.attempt(s.review_case, opinion="审核", is_major=major, actor=actors["head1"])

        @rule(amount=AMOUNTS, new_facts=st.booleans())
        def notify(self, amount, new_facts):
            self.attempt(s.notify, kinds=["fine"], amount=amount, new_facts=new_facts, actor=actors["officer1"])

        @rule()
        def show_credentials(self):
            self.attempt(s.show_credentials, actor=actors["officer1"])

        @rule(kind=st.sampled_from(["reconsideration", "litigation"]))
        def record_remedy(self, kind):
            self.attempt(s.record_remedy, kind=kind, actor=actors["officer1"])

        @rule()
        def end_remedy(self):
            self.attempt(s.end_remedy, actor=actors["officer1"])

        @rule()
        def waive_defence(self):
            self.attempt(s.waive_defence, actor=actors["officer1"])

        @rule()
        def request_hearing(self):
            self.attempt(s.request_hearing, actor=actors["officer1"])

        @rule()
        def waive_hearing(self):
            self.attempt(s.waive_hearing, actor=actors["officer1"])

        @rule()
        def request_review(self):
            self.attempt(s.request_review, reviewer_id=officers["reviewer1"], actor=actors["officer1"])

        @rule(result=st.sampled_from(["pass", "fail"]))
        def complete_review(self, result):
            self.attempt(s.complete_review, result=result, opinion="意见", actor=actors["reviewer1"])

        @rule()
        def collective(self):
            self.attempt(s.hold_collective_discussion, minutes="讨论", actor=actors["head1"])

        @rule(amount=AMOUNTS, outcome=st.sampled_from(["penalty", "penalty", "no_penalty"]))
        def decide(self, amount, outcome):
            self.attempt(s.decide, outcome=outcome, kinds=["fine"], amount=amount, reasoning="说理", actor=actors["head1"])

        @rule()
        def serve(self):
            self.attempt(s.serve, actor=actors["officer1"])

        @rule(amount=AMOUNTS)
        def pay(self, amount):
            self.attempt(s.pay, amount=amount, actor=actors["officer1"])

        @rule()
        def close(self):
            self.attempt(s.close_case, actor=actors["head1"])

        @rule(days=st.integers(1, 12))
        def wait(self, days):
            self.today += dt.timedelta(days=days)

        @invariant()
        def decisions_are_lawful(self):
            case = Case.objects.get(pk=self.case.pk)
            for d in Decision.objects.filter(case=case, kind="original", outcome="penalty"):
                assert case.notices.filter(served_on__lte=d.decided_on).exists(), "decision without notice"
                assert case.credentials_shown_on and case.credentials_shown_on <= d.decided_on, "decision without 亮证 (R15)"
                if case.is_major:
                    assert case.reviews.filter(result="pass", completed_on__lte=d.decided_on).exists(), "no passed review"
                    assert case.collective_discussion_on is not None
                if case.hearing_status in ("requested", "scheduled"):
                    raise AssertionError("decided while a hearing was pending")
                ids = list(case.officers.values_list("pk", flat=True))
                assert registry.check_officers_may_act(ids, d.decided_on) == [], "decided with uncertified officers"
                assert d.amount <= case.notices.order_by("-id").first().amount

        @invariant()
        def stored_next_due_is_the_most_urgent_deadline(self):
            case = Case.objects.get(pk=self.case.pk)
            with clock.frozen(self.today):
                first = next(iter(s.deadlines_of(case)), None)
            if case.state not in ("investigating", "investigated", "reviewed", "notified"):  # no running pause moves it
                assert case.next_due == (first.due if first else None)

        @invariant()
        def record_verifies(self):
            assert ledger.verify(self.case.stream) is None

    return CaseMachine


def test_r14_no_sequence_of_actions_breaks_the_law(cw):
    machine = make_machine(cw)
    run_state_machine_as_test(machine, settings=settings(
        max_examples=25, stateful_step_count=30, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
    ))
