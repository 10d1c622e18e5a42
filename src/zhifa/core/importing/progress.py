"""Progress of an import (导入进度): the phases, the reporter ``run_import`` hands importers, and
``report_progress`` for code that runs inside an import without a handle on it."""
from __future__ import annotations

import contextvars
from typing import Callable

PHASE_READ, PHASE_VALIDATE, PHASE_WRITE, PHASE_DONE = "读取", "校验", "写入", "完成"
PHASES = (PHASE_READ, PHASE_VALIDATE, PHASE_WRITE, PHASE_DONE)
#: ``records`` reports every this many data rows.
PROGRESS_EVERY = 1000

#: ``callback(done_rows, total_rows_or_None, phase)``.
Progress = Callable[[int, "int | None", str], None]


class ProgressReporter:
    """What ``run_import`` hands importers to report with: it keeps ``done`` monotone and
    ``total`` (when known) never below ``done``, fills an unknown total with the estimate made
    from the file (CSV lines), and forwards every report to the caller's callback."""

    __slots__ = ("callback", "done", "total", "phase", "estimate")

    def __init__(self, callback: Progress, estimate: int | None = None):
        self.callback = callback
        self.done = 0
        self.total: int | None = None
        self.phase = PHASE_READ
        self.estimate = estimate

    def __call__(self, done: int, total: int | None = None, phase: str = PHASE_VALIDATE) -> None:
        if done > self.done:
            self.done = done
        if total is None:
            total = self.estimate
        if total is not None and total < self.done:
            total = self.done
        self.total, self.phase = total, phase
        self.callback(self.done, total, phase)

    def finish(self, total: int) -> None:
        """The last report: every data row done."""
        total = max(total, self.done)
        self.done = self.total = total
        self.phase = PHASE_DONE
        self.callback(total, total, PHASE_DONE)


_reporter: contextvars.ContextVar[ProgressReporter | None] = contextvars.ContextVar("zhifa_import_progress", default=None)


def report_progress(done: int, total: int | None = None, phase: str = PHASE_VALIDATE) -> None:
    """Report the progress of the import running in this thread (a no-op when nobody listens).
    Call it at chunk boundaries, never per row: ``done`` rows handled so far, ``total`` if known."""
    reporter = _reporter.get()
    if reporter is not None:
        reporter(done, total, phase)
