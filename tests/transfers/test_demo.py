"""R25 demo data: transfers in every state — one overdue at the head, one refused by the police and
reconsidered, reverse transfers and a procuratorate's opinion — each with a verifying record."""
from __future__ import annotations

from zhifa.core import clock, ledger
from zhifa.transfers import rules
from zhifa.transfers.demo import build_demo_transfers
from zhifa.transfers.models import CriminalThreshold, Transfer


def test_r25_demo_transfers_in_every_state(cw, world):
    made = build_demo_transfers(world.market, clock.today())
    states = set(Transfer.objects.values_list("state", flat=True))
    assert made == Transfer.objects.count() >= 15
    assert set(rules.STATES) - states == set()
    overdue_head = Transfer.objects.filter(state="reported", next_due_kind="head_decision", next_due_at__lt=clock.now())
    assert overdue_head.exists()
    reconsidered = Transfer.objects.filter(reconsideration_requested_at__isnull=False, first_not_filed_on__isnull=False,
                                           state="filed")
    assert reconsidered.exists()
    assert Transfer.objects.filter(direction="in", inward_kind="reverse").exists()
    assert CriminalThreshold.objects.exists()
    assert all(ledger.verify(t.stream) is None for t in Transfer.objects.all())
    assert build_demo_transfers(world.market, clock.today()) == 0  # idempotent
