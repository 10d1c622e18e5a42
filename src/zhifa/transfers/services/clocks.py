"""The stored clock of open transfers (``next_due_at``) recomputed after the holiday table changed
(a last day on a new rest day moves): derived from what is recorded, so it records nothing."""
from __future__ import annotations

from django.db import transaction

from zhifa.core import clock, workdays
from zhifa.core.usecase import use_case

from .. import rules
from ..models import Transfer
from ..selectors import policy


@use_case(derived=True)
def recompute_clocks(years: list[int] | None = None) -> int:
    """``ZHIFA["CALENDAR_RECOMPUTE_HOOKS"]`` hook (``zhifa load_holidays`` loaded ``years``):
    recompute ``next_due_at`` of every open transfer; returns how many changed."""
    schedule, now, pol, changed = workdays.schedule(), clock.now(), policy(), 0
    with transaction.atomic():
        for t in Transfer.objects.exclude(state__in=rules.TERMINAL).select_for_update():
            due, kind = rules.next_due(rules.clocks(t.facts(), schedule, now, pol))
            if (due, kind) != (t.next_due_at, t.next_due_kind):
                t.next_due_at, t.next_due_kind = due, kind
                t.save(update_fields=["next_due_at", "next_due_kind"])
                changed += 1
    return changed
