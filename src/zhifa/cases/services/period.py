"""The 90-day decision period (办案期限, APL art.60): pauses not counted (中止期间) and approved
extensions (延长办案期限).
"""
from __future__ import annotations

import datetime as dt


from zhifa.core import clock
from zhifa.core.usecase import use_case
from zhifa.core.violations import Violation
from zhifa.registry import access

from .. import deadlines, rules
from ..models import Case, Pause
from ..selectors import policy
from ._core import (
    _act, action,
)


@action("pause")
@use_case
def pause_clock(case_id: int, *, kind: str, start: dt.date | None = None, end: dt.date | None = None, reason: str = "",
                actor: access.Actor) -> Pause:
    """不计入办案期限的期间 (APL art.60): testing, appraisal, hearing, notice; never overlapping."""
    today = clock.today()
    with _act(case_id, "pause", actor) as (case, act):
        start = start or today
        existing = [deadlines.Interval(p.start, p.end) for p in case.pauses.all()]
        act.v += deadlines.check_pause(existing, deadlines.Interval(start, end))
        if case.filed_on and start < case.filed_on:
            act.v.append(Violation(rules.PAUSE_OVERLAP, "中止期间不得早于立案日期。", rules.ART60))
        act.refuse()
        pause = Pause.objects.create(case=case, kind=kind, start=start, end=end, reason=reason)
        case.has_pauses = True  # the deadlines of the commit read it (``_due_items``)
        act.commit({"pause_id": pause.pk, "kind": kind, "start": start, "end": end, "reason": reason}, fields=[])
        return pause


@action("resume")
@use_case
def resume_clock(case_id: int, *, end: dt.date | None = None, actor: access.Actor) -> Pause:
    today = clock.today()
    with _act(case_id, "resume", actor) as (case, act):
        running = case.pauses.filter(end__isnull=True).first()
        end = end or today
        if running is None:
            act.v.append(Violation(rules.WRONG_STATE, "没有正在进行的中止期间。", rules.ART60))
        elif end < running.start:
            act.v.append(Violation(rules.PAUSE_OVERLAP, "结束日期早于中止开始日期。", rules.ART60))
        act.refuse()
        running.end = end
        running.save(update_fields=["end"])
        act.commit({"pause_id": running.pk, "end": end}, fields=[])
        return running


@action("extend")
@use_case
def extend_period(case_id: int, *, reason: str, days: int | None = None, actor: access.Actor) -> Case:
    """延长办案期限 (APL art.60): the head approves with a reason; a second one needs a collective
    discussion held."""
    with _act(case_id, "extend", actor) as (case, act):
        act.v += deadlines.check_extension(reason, True, case.extensions, case.collective_discussion_on is not None)
        act.refuse()
        days = days or policy().extension_days
        case.extensions += 1
        case.extension_days += days
        return act.commit({"reason": reason, "days": days, "extensions": case.extensions},
                          fields=["extensions", "extension_days"])
