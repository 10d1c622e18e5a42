"""Hypothesis RuleBasedStateMachine over the workflow (issue 4 quality bar): whatever sequence of
actions is tried, a penalty decision never exists without a notice served before it, without a
passed legal review where one was required, or with fewer than two certified officers; no act
succeeds by an actor without a valid certificate on the act's date (R04) or, for the
investigating officers' acts, by an officer not assigned to the case (承办); refused actions leave
nothing behind and the record always verifies."""
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
from zhifa.cases import workflow
from zhifa.cases.models import Case, Decision
from zhifa.core import clock, ledger
from zhifa.core.models import RecordEntry
from zhifa.core.violations import Refused
from zhifa.registry import rules as registry_rules
from zhifa.registry import services as registry
from zhifa.registry.models import Certificate

pytestmark = pytest.mark.django_db
AMOUNTS = st.sampled_from([Decimal("500"), Decimal("5000"), Decimal("20000"), Decimal("150000")])
_serial = itertools.count(1)


def make_machine(cw):
    officers = {k: cw.officer(k).pk for k in ("officer1", "officer2", "officer3", "aux1", "reviewer1", "head1")}
    actors = {k: cw.actor(k) for k in ("officer1", "officer2", "officer3", "head1", "reviewer1")}
    codes = {fn: code for code, fn in s.PERFORM.items()}
    who = st.sampled_from(["officer1", "officer1", "officer2", "officer3"])  # officer3's certificate has expired
    officer1_expiry = Certificate.objects.filter(officer_id=officers["officer1"]).values_list("expires_on", flat=True).first()

    class CaseMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.today = TODAY
            n = next(_serial)
            Certificate.objects.filter(officer_id=officers["officer1"]).update(expires_on=officer1_expiry)
            with clock.frozen(self.today):
                self.case = cw.register(party_id_code=f"9165020000000{n:05d}", party_name=f"第{n}号公司")

        def attempt(self, fn, *args, **kw):
            entries = RecordEntry.objects.filter(stream=self.case.stream).count()
            version = Case.objects.get(pk=self.case.pk).version
            assigned = set(Case.objects.get(pk=self.case.pk).officers.values_list("pk", flat=True))
            with clock.frozen(self.today):
                try:
                    fn(self.case.pk, *args, **kw)
                except (Refused, PermissionDenied):
                    # a refusal writes nothing
                    assert RecordEntry.objects.filter(stream=self.case.stream).count() == entries
                    assert Case.objects.get(pk=self.case.pk).version == version
                else:
                    self.acted_lawfully(workflow.BY_CODE[codes[fn]], kw["actor"], assigned)

        def acted_lawfully(self, act, actor, assigned):
            """R04 and 承办: an act that succeeded was an act of a certified officer on its date and,
            for the investigating officers' acts, of one assigned to the case."""
            if act.role in ("officer", "head"):
                officer = registry.with_current_certificate(type(actor.officer).objects.filter(pk=actor.officer.pk)).get()
                assert registry_rules.may_act(registry.officer_facts(officer), self.today) == [], f"{act.code} without a valid certificate"
            if act.role == "officer":
                assert not assigned or actor.officer.pk in assigned, f"{act.code} by an officer not assigned"

        @rule(expired=st.booleans())
        def officer1_certificate(self, expired):
            """officer1's certificate expires (or is renewed) while the case runs."""
            expiry = self.today - dt.timedelta(days=1) if expired else officer1_expiry
            Certificate.objects.filter(officer_id=officers["officer1"]).update(expires_on=expiry)

        @rule(pair=st.sampled_from([("officer1", "officer2"), ("officer1", "officer3"), ("officer1", "aux1"), ("officer2", "head1")]))
        def file(self, pair):
            self.attempt(s.file_case, officer_ids=[officers[p] for p in pair], actor=actors["head1"])

        @rule(pair=st.sampled_from([("officer1", "officer3"), ("officer1", "officer2"), ("aux1", "officer2")]))
        def assign(self, pair):
            self.attempt(s.assign_officers, officer_ids=[officers[p] for p in pair], actor=actors["head1"])

        @rule(amount=AMOUNTS, by=who)
        def end_investigation(self, amount, by):
            self.attempt(s.end_investigation, report="调查终结", proposed_kinds=["fine"], proposed_amount=amount, actor=actors[by])

        @rule(major=st.booleans())
        def review_case(self, major):
            self.attempt(s.review_case, opinion="审核", is_major=major, actor=actors["head1"])

        @rule(amount=AMOUNTS, new_facts=st.booleans(), by=who)
        def notify(self, amount, new_facts, by):
            self.attempt(s.notify, kinds=["fine"], amount=amount, new_facts=new_facts, actor=actors[by])

        @rule(by=who)
        def show_credentials(self, by):
            self.attempt(s.show_credentials, actor=actors[by])

        @rule(kind=st.sampled_from(["reconsideration", "litigation"]))
        def record_remedy(self, kind):
            self.attempt(s.record_remedy, kind=kind, actor=actors["officer1"])

        @rule()
        def end_remedy(self):
            self.attempt(s.end_remedy, actor=actors["officer1"])

        @rule(by=who)
        def waive_defence(self, by):
            self.attempt(s.waive_defence, actor=actors[by])

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
            self.attempt(s.decide, outcome=outcome, kinds=["fine"], amount=amount, reasoning="当事人销售过期食品，违法事实清楚，证据确凿，依法应予处罚。", actor=actors["head1"])

        @rule(by=who)
        def serve(self, by):
            self.attempt(s.serve, actor=actors[by])

        @rule(amount=AMOUNTS, by=who)
        def pay(self, amount, by):
            self.attempt(s.pay, amount=amount, actor=actors[by])

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
