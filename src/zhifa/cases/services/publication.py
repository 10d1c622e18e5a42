"""Publication of penalty decisions (行政处罚信息公示, 3S, SAMR45) and its withdrawal (APL art.48).
"""
from __future__ import annotations

import datetime as dt


from zhifa.core import clock
from zhifa.core.usecase import use_case
from zhifa.core.violations import INVALID_INPUT, Violation
from zhifa.registry import access

from .. import rules
from ..models import Case
from ..selectors import policy, publishable
from ._core import (
    _act, action,
)


@action("publish")
@use_case
def publish(case_id: int, *, published_on: dt.date | None = None, where: str = "", actor: access.Actor) -> Case:
    """公示 a penalty decision: within 7 working days (3S), market regulation 20 (SAMR45 art.9)."""
    today = clock.today()
    published_on = published_on or today
    pol = policy()
    with _act(case_id, "publish", actor) as (case, act):
        if not publishable(case, pol) or case.published_on:
            act.v.append(Violation(rules.NOT_PUBLISHABLE, "本案没有待公示的行政处罚决定（未作出处罚、已撤销或者已公示）。", rules.ART48))
        if published_on > today or (case.decided_on and published_on < case.decided_on):
            act.v.append(Violation(INVALID_INPUT, "公示日期不得晚于今天或者早于决定日期。", rules.ART48))
        act.refuse()
        case.published_on = published_on
        days, basis = pol.publication_rule(case.body.sector)
        return act.commit({"published_on": published_on, "where": where, "due": case.publication_due,
                           "late": bool(case.publication_due and published_on > case.publication_due),
                           "basis": basis, "working_days": days}, fields=[])


@action("withdraw_publication")
@use_case
def withdraw_publication(case_id: int, *, reason: str, actor: access.Actor) -> Case:
    """撤回公示 (APL art.48 ¶2, SAMR45 art.11): within 3 working days of a change, revocation or
    declaration of voidness, with the reason made public."""
    today = clock.today()
    with _act(case_id, "withdraw_publication", actor) as (case, act):
        if not case.published_on or case.withdrawal_due is None:
            act.v.append(Violation(rules.WRONG_STATE, "本案没有需要撤回的公示信息。", rules.ART48))
        act.v += rules.check_reason(reason, "撤回公示", rules.ART48)
        act.refuse()
        due = case.withdrawal_due
        case.published_on, case.withdrawal_due, case.publication_withdrawn_on = None, None, today
        return act.commit({"reason": reason, "due": due, "late": today > due, "basis": rules.ART48}, fields=[])
