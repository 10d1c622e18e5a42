"""The one clock (architecture.md, principle 4): services ask it, rules are handed its answer.

Tests freeze it with ``zhifa.core.clock.frozen(date)``.
"""
from __future__ import annotations

import contextlib
import datetime as dt
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    """The current moment, aware, in Asia/Shanghai."""
    return _frozen if _frozen is not None else dt.datetime.now(SHANGHAI)


def today() -> dt.date:
    """Today's date in Asia/Shanghai: legal periods are dates there."""
    return now().date()


@contextlib.contextmanager
def frozen(moment: dt.date | dt.datetime):
    """Freeze the clock at ``moment`` (a date means 09:00 that day) for the block."""
    global _frozen
    if isinstance(moment, dt.datetime):
        value = moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)
    else:
        value = dt.datetime.combine(moment, dt.time(9, 0), tzinfo=SHANGHAI)
    previous, _frozen = _frozen, value
    try:
        yield value
    finally:
        _frozen = previous


def as_of(day: dt.date | None):
    """Run a block "as of" ``day``: the clock frozen there unless ``day`` is None or already today.

    For loaders (the demo) that take a day and call services that date what they record by
    the clock: without it, a demo loaded for Monday just after midnight Tuesday in Shanghai
    would record results dated before their draws."""
    return frozen(day) if day is not None and day != today() else contextlib.nullcontext()
