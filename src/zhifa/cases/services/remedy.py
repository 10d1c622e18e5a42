"""The party's remedies (行政复议、行政诉讼): while one runs, no late fee and no court enforcement
(APL art.73, ACL art.53).
"""
from __future__ import annotations

import datetime as dt


from zhifa.core import clock
from zhifa.core.usecase import use_case
from zhifa.core.violations import INVALID_INPUT, Refused, Violation
from zhifa.registry import access

from .. import deadlines, rules
from ..models import RemedyPeriod
from ._core import (
    _act, action,
)


@action("record_remedy")
@use_case
def record_remedy(case_id: int, *, kind: str, start: dt.date | None = None, actor: access.Actor) -> RemedyPeriod:
    """The party applied for reconsideration or sued (行政复议、行政诉讼): the late fee is not counted
    meanwhile (APL art.73 ¶3) and no court enforcement is applied for (ACL art.53)."""
    today = clock.today()
    start = start or today
    with _act(case_id, "record_remedy", actor) as (case, act):
        if case.remedy_since is not None:
            act.v.append(Violation(rules.WRONG_STATE, "已有正在进行的复议或者诉讼。", rules.ART73))
        if kind not in RemedyPeriod.Kind.values:
            act.v.append(Violation(INVALID_INPUT, "类别应为行政复议或者行政诉讼。", rules.ART73))
        if start > today or (case.decided_on and start < case.decided_on):
            act.v.append(Violation(INVALID_INPUT, "申请日期不得晚于今天或者早于决定日期。", rules.ART73))
        act.refuse()
        remedy = RemedyPeriod.objects.create(case=case, kind=kind, start=start)
        case.remedy_since = start
        act.commit({"remedy_id": remedy.pk, "kind": kind, "start": start, "basis": rules.ART73}, fields=[])
        return remedy


@action("end_remedy")
@use_case
def end_remedy(case_id: int, *, end: dt.date | None = None, result: str = "", actor: access.Actor) -> RemedyPeriod:
    today = clock.today()
    end = end or today
    with _act(case_id, "end_remedy", actor) as (case, act):
        remedy = RemedyPeriod.objects.filter(case=case, end__isnull=True).order_by("-start").first()
        if remedy is None:
            raise Refused([Violation(rules.WRONG_STATE, "没有正在进行的复议或者诉讼。", rules.ART73)])
        if end > today or end < remedy.start:
            act.v.append(Violation(INVALID_INPUT, "终结日期不得晚于今天或者早于申请日期。", rules.ART73))
        act.refuse()
        remedy.end, remedy.result = end, result
        remedy.save(update_fields=["end", "result"])
        case.remedy_since = None
        act.commit({"remedy_id": remedy.pk, "end": end, "result": result,
                    "paused_days": deadlines.days_within([deadlines.Interval(remedy.start, end)], remedy.start - dt.timedelta(days=1), end)},
                   fields=[])
        return remedy
