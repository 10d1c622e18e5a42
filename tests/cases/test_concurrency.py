"""Two simultaneous actions on one case (issue 4 quality bar): exactly one succeeds, the other is
refused with WRONG_STATE; the record chain stays intact. Needs PostgreSQL (row locks)."""
from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from zhifa.cases import services as s
from zhifa.core import ledger
from zhifa.core.violations import Refused

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_r14_two_concurrent_decisions_one_wins(cw):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (DATABASE_URL)")
    case = cw.walk(cw.register(), "notified")
    s.waive_defence(case.pk, actor=cw.actor("officer1"))
    head = cw.actor("head1")
    barrier = threading.Barrier(4)
    results: list[str] = []

    def decide():
        try:
            barrier.wait()  # the clock is frozen for the whole test (one global, shared by the threads)
            s.decide(case.pk, outcome="penalty", kinds=["fine"], amount=Decimal("5000"), reasoning="当事人销售过期食品，违法事实清楚，证据确凿，依法应予处罚。", actor=head)
            results.append("ok")
        except Refused as exc:
            results.append(exc.violations[0].code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["WRONG_STATE"] * 3 + ["ok"]
    assert case.decisions.count() == 1
    assert ledger.verify(case.stream) is None
