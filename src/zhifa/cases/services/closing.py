"""Closing (结案) and archiving (归档).
"""
from __future__ import annotations



from zhifa.core import clock
from zhifa.core.usecase import use_case
from zhifa.core.violations import Violation
from zhifa.registry import access

from .. import flexible_rules, flexible_selectors, hooks, paperwork, rules
from ..models import Case
from ._core import _act, action


@action("close")
@use_case
def close_case(case_id: int, *, summary: str = "", actor: access.Actor) -> Case:
    """结案: after no penalty, transfer, or execution; open seizures must be released first."""
    today = clock.today()
    with _act(case_id, "close", actor) as (case, act):
        if case.state == "decided" and case.outcome == "penalty":
            act.v.append(Violation(rules.WRONG_STATE, "处罚决定尚未送达执行，不能结案。", rules.ART47))
        if case.has_open_seizures:  # annotated by the lock (``_core._lock``)
            act.v.append(Violation(rules.SEIZURE_PERIOD_EXCEEDED, "尚有未解除的查封、扣押，不能结案。", rules.ACL25))
        if case.collected_on_spot_on and not case.collection_handed_over_on:
            act.v.append(Violation(rules.COLLECTION_NOT_HANDED_OVER, "当场收缴的罚款尚未交至行政机关，不能结案。", rules.ART71))
        act.v += flexible_rules.check_education_before_closing(case.outcome, flexible_selectors.education_acts(case.pk))  # APL art.33 ¶3
        act.refuse()
        case.closed_on = today
        doc = paperwork.issue(case, "closing_approval", actor=actor, extra={"summary": summary})
        return act.commit({"summary": summary, "document": "closing_approval", **paperwork.record(doc)}, fields=["closed_on"])


@action("archive")
@use_case
def archive_case(case_id: int, *, actor: access.Actor) -> Case:
    """归档: archiving requires the bound case file (卷宗); the file is bound (or its latest
    binding confirmed current) by the binder a higher app registered in ``hooks``."""
    today = clock.today()
    with _act(case_id, "archive", actor) as (case, act):
        act.v, bound = hooks.bind_on_archive(case, actor) if not act.v else (act.v, {})
        act.refuse()
        case.archived_on = today
        return act.commit({"archived_on": today, **bound}, fields=["archived_on"])
