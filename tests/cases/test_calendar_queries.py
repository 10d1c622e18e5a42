"""Legal-rules §0 at volume: one case action reads the calendar's version stamp at most once,
however many deadlines it computes (the stamp is held for the action's transaction)."""
from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.cases import services as s


def stamp_queries(ctx) -> int:
    return sum(1 for q in ctx.captured_queries if "MAX(loaded_at)" in q["sql"].replace('"', ""))


def test_s0_each_case_action_reads_the_calendar_stamp_at_most_once(cw):
    case = cw.walk(cw.register(), "reviewed")
    off, head = cw.actor("officer1"), cw.actor("head1")
    actions = {
        "notify": lambda: s.notify(case.pk, kinds=["fine"], amount=Decimal("5000"), actor=off),
        "waive_defence": lambda: s.waive_defence(case.pk, actor=off),
        "decide": lambda: s.decide(case.pk, outcome="penalty", kinds=["fine"], amount=Decimal("5000"),
                                   reasoning="当事人销售过期食品，依法应予处罚。", actor=head),
        "serve": lambda: s.serve(case.pk, actor=off),
    }
    counts = {}
    for name, action in actions.items():
        with CaptureQueriesContext(connection) as ctx:
            action()
        counts[name] = stamp_queries(ctx)
    assert all(n <= 1 for n in counts.values()), counts
    assert counts["decide"] == 1  # it does compute deadlines (payment, remedies): read once, not per deadline
