"""Closing (结案) and archiving (归档).
"""
from __future__ import annotations


from django.db import transaction

from zhifa.core import clock
from zhifa.core.usecase import use_case
from zhifa.core.violations import Violation, refuse_if_any
from zhifa.registry import access

from .. import paperwork, rules
from ..models import Case
from ._core import (
    _begin, _commit, _lock, action,
)


@action("close")
@use_case
def close_case(case_id: int, *, summary: str = "", actor: access.Actor) -> Case:
    """结案: after no penalty, transfer, or execution; open seizures must be released first."""
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "close", actor)
        if case.state == "decided" and case.outcome == "penalty":
            v.append(Violation(rules.WRONG_STATE, "处罚决定尚未送达执行，不能结案。", rules.ART47))
        if case.seizures.filter(released_on__isnull=True).exists():
            v.append(Violation(rules.SEIZURE_PERIOD_EXCEEDED, "尚有未解除的查封、扣押，不能结案。", rules.ACL25))
        if case.collected_on_spot_on and not case.collection_handed_over_on:
            v.append(Violation(rules.COLLECTION_NOT_HANDED_OVER, "当场收缴的罚款尚未交至行政机关，不能结案。", rules.ART71))
        refuse_if_any(v)
        case.closed_on = today
        doc = paperwork.issue(case, "closing_approval", actor=actor, extra={"summary": summary})
        return _commit(case, act, actor, {"summary": summary, "document": "closing_approval", **paperwork.record(doc)}, fields=["closed_on"])


@action("archive")
@use_case
def archive_case(case_id: int, *, actor: access.Actor) -> Case:
    today = clock.today()
    with transaction.atomic():
        case = _lock(case_id, actor)
        act, v = _begin(case, "archive", actor)
        refuse_if_any(v)
        case.archived_on = today
        return _commit(case, act, actor, {"archived_on": today}, fields=["archived_on"])
