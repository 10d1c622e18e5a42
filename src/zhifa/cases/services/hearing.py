"""Pre-decision notice (事先告知), statement and defence (陈述申辩) and hearing (听证), APL arts.44, 45,
62–64.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal


from zhifa.core import clock, ledger, workdays
from zhifa.core.usecase import use_case
from zhifa.core.violations import INVALID_INPUT, Refused, Violation
from zhifa.registry import access
from zhifa.registry.models import Officer

from .. import paperwork, rules
from ..models import Case, Hearing, Notice
from ..selectors import policy
from ._core import (
    _act, action, _actor_name, _av_guard, _digest, _noticed, _officer_ids, _officers_ok, _other_fines, _party_kind,
    _plain, _require, _set_and_record, _statutory_guard,
)


def _notice_guards(case: Case, kinds: list[str], amount: Decimal | None, new_facts: bool, served_on: dt.date,
                   today: dt.date) -> list[Violation]:
    """Two certified officers, a lawful penalty for a punishable party fined once (APL art.29), a
    heavier re-notice only on new facts (art.45), within the statutory maximum, a service date
    between filing and today."""
    v = _officers_ok(_officer_ids(case), today, case)
    v += rules.check_penalty_kinds(kinds, amount)
    v += rules.check_punishable(case.party_age, case.party_mental_illness, case.no_fault, kinds)
    v += rules.check_one_fine(kinds, _other_fines(case))
    v += _statutory_guard(case, amount if "fine" in kinds else None)  # never propose what may not be decided
    v += rules.check_renotice(_noticed(case), kinds, amount, new_facts)
    if served_on > today or served_on < (case.filed_on or served_on):
        v.append(Violation(INVALID_INPUT, "送达日期不得晚于今天或者早于立案日期。", rules.ART44_62))
    return v


def _invalidate_review(case: Case, kinds: list[str], amount: Decimal | None, actor: access.Actor) -> None:
    """R18: a passed review no longer covers a changed proposal; a new review is needed (recorded)."""
    if case.review_status == "pass" and not rules.review_covers(case.review_basis, kinds, amount):
        ledger.append(case.stream, "review_invalidated", {
            "label": "拟处罚内容变化，原法制审核结论失效", "reviewed": case.review_basis, "kinds": kinds, "amount": amount,
            "basis": rules.ART58}, actor=actor.user, actor_name=_actor_name(actor))
        case.review_status = ""


@action("notify")
@use_case
def notify(case_id: int, *, kinds: list[str], amount: Decimal | None = None, new_facts: bool = False,
           served_on: dt.date | None = None, actor: access.Actor) -> Notice:
    """事先告知 (APL arts.44, 62–64): the proposed penalty, facts, reasons, basis and rights. A
    re-notice restarts the defence and hearing periods; a heavier one needs new facts (art.45)."""
    today = clock.today()
    served_on = served_on or today
    pol = policy()
    with _act(case_id, "notify", actor) as (case, act):
        act.v += _notice_guards(case, kinds, amount, new_facts, served_on, today)
        act.refuse()
        schedule = workdays.schedule()
        defence_due = schedule.add_working_days(served_on, pol.defence_working_days)
        hearing = rules.hearing_applies(_party_kind(case), kinds, amount, case.illegal_gains if "confiscate_gains" in kinds else None, pol)
        hearing_due = schedule.add_working_days(served_on, pol.hearing_request_working_days) if hearing else None
        previous = case.notices.order_by("-id").first()
        content = {
            "party": case.party_name, "facts": case.facts, "kinds": kinds, "amount": amount,
            "basis": case.item.legal_basis, "defence_due": defence_due.date,
            "hearing_due": hearing_due.date if hearing_due else None, "rights": "陈述、申辩" + ("、要求听证" if hearing else ""),
        }
        notice = Notice.objects.create(case=case, kinds=kinds, amount=amount, served_on=served_on, defence_due=defence_due.date,
                                       hearing_due=hearing_due.date if hearing_due else None, new_facts=new_facts,
                                       supersedes=previous, content=_plain(content))
        case.proposed_kinds, case.proposed_amount = kinds, amount
        case.notice_served_on, case.defence_due, case.defence_done = served_on, defence_due.date, False
        case.hearing_due = hearing_due.date if hearing_due else None
        case.hearing_status = "none"
        case.rights_told_on = case.rights_told_on or served_on  # APL art.44: the notice tells the rights
        _invalidate_review(case, kinds, amount, actor)
        doc = paperwork.issue(case, "penalty_notice", actor=actor, extra={
            "proposed_penalty": paperwork.penalty_text(kinds, amount), "defence_days": pol.defence_working_days, "hearing": hearing,
            "defence_due": defence_due.date, "hearing_due": hearing_due.date if hearing_due else None, "notice_id": notice.pk})
        act.commit({"notice_id": notice.pk, "renotice": previous is not None, "new_facts": new_facts,
                    "document": "penalty_notice" if not hearing else "penalty_and_hearing_notice",
                    **{k: v for k, v in paperwork.record(doc).items() if k != "document"},
                    "content": content, "content_sha256": _digest(content),
                    "provisional": defence_due.provisional or bool(hearing_due and hearing_due.provisional)})
        return notice


@action("record_defence")
@use_case
def record_defence(case_id: int, *, statement: str, accepted: bool = False, actor: access.Actor) -> Case:
    """陈述申辩: recorded and reviewed; the body must consider it (APL art.45)."""
    with _act(case_id, "record_defence", actor, rules.check_reason(statement, "陈述申辩笔录", rules.ART44_62)) as (case, act):
        case.defence_done = True
        doc = paperwork.issue(case, "defence_record", actor=actor, extra={"content": statement})
        return act.commit({"statement": statement, "accepted": accepted, "document": "defence_record", **paperwork.record(doc)},
                          fields=["defence_done"])


@action("waive_defence")
@use_case
def waive_defence(case_id: int, *, actor: access.Actor) -> Case:
    return _set_and_record(case_id, "waive_defence", actor, {"defence_done": True}, {})


@action("request_hearing")
@use_case
def request_hearing(case_id: int, *, requested_on: dt.date | None = None, actor: access.Actor) -> Hearing:
    """听证申请 within 5 working days of the notice (APL art.64)."""
    today = clock.today()
    requested_on = requested_on or today
    with _act(case_id, "request_hearing", actor) as (case, act):
        act.v += rules.check_hearing_request(_noticed(case), requested_on)
        if case.hearing_status != "none":
            act.v.append(Violation(rules.WRONG_STATE, "当事人已就本次告知申请或者放弃听证。", rules.ART64))
        act.refuse()
        hearing = Hearing.objects.create(case=case, requested_on=requested_on)
        case.hearing_status = "requested"
        act.commit({"hearing_id": hearing.pk, "requested_on": requested_on}, fields=["hearing_status"])
        return hearing


@action("waive_hearing")
@use_case
def waive_hearing(case_id: int, *, actor: access.Actor) -> Case:
    return _set_and_record(case_id, "waive_hearing", actor, {"hearing_status": "waived"}, {},
                           checks=lambda case: _require(case.hearing_due is not None, rules.HEARING_NOT_APPLICABLE,
                                                        "拟作出的处罚不属于听证范围。", rules.ART63))


@action("schedule_hearing")
@use_case
def schedule_hearing(case_id: int, *, chair_id: int, hearing_on: dt.date, actor: access.Actor) -> Hearing:
    """听证通知: a chair who is not an investigator; notice at least 7 working days before (art.64)."""
    today = clock.today()
    with _act(case_id, "schedule_hearing", actor) as (case, act):
        hearing = case.hearings.filter(held=False).order_by("-id").first()
        if hearing is None or case.hearing_status not in ("requested", "scheduled"):
            raise Refused([Violation(rules.WRONG_STATE, "当事人未申请听证。", rules.ART64)])
        if not Officer.objects.filter(pk=chair_id, body_id__in={case.body_id, case.body.parent_department_id}).exists():
            raise Refused([Violation(INVALID_INPUT, "听证主持人应当是本机关指定的非本案调查人员。", rules.ART64)])
        earliest = workdays.add_working_days(today, policy().hearing_notice_working_days).date
        act.v += rules.check_hearing_schedule(chair_id, _officer_ids(case), today, earliest, hearing_on)
        act.refuse()
        hearing.chair_id, hearing.notified_on, hearing.hearing_on = chair_id, today, hearing_on
        hearing.save(update_fields=["chair", "notified_on", "hearing_on"])
        case.hearing_status = "scheduled"
        doc = paperwork.issue(case, "hearing_notice", actor=actor, extra={
            "hearing_at": hearing_on.isoformat(), "chair": hearing.chair.name, "recorder": "听证主持人指定的非本案调查人员"})
        act.commit({"hearing_id": hearing.pk, "chair_id": chair_id, "hearing_on": hearing_on,
                    "document": "hearing_notice", **paperwork.record(doc)}, fields=["hearing_status"])
        return hearing


@action("hold_hearing")
@use_case
def hold_hearing(case_id: int, *, minutes: str, party_absent: bool = False, actor: access.Actor) -> Hearing:
    """举行听证; a party absent without good reason has waived it (APL art.64 (8))."""
    today = clock.today()
    with _act(case_id, "hold_hearing", actor) as (case, act):
        hearing = case.hearings.filter(held=False).order_by("-id").first()
        if hearing is None or case.hearing_status != "scheduled":
            raise Refused([Violation(rules.WRONG_STATE, "听证尚未通知。", rules.ART64)])
        if hearing.hearing_on and today < hearing.hearing_on:
            act.v.append(Violation(rules.WRONG_STATE, f"听证定于{hearing.hearing_on.isoformat()}举行。", rules.ART64))
        if not party_absent:
            act.v += _av_guard(case, "hearing", "举行听证")
        act.refuse()
        hearing.held, hearing.minutes = not party_absent, minutes
        hearing.save(update_fields=["held", "minutes"])
        case.hearing_status = "waived" if party_absent else "held"
        doc = paperwork.issue(case, "hearing_record", actor=actor, extra={
            "chair": hearing.chair.name if hearing.chair_id else "", "recorder": "听证主持人指定的非本案调查人员",
            "content": ("当事人无正当理由未到场，视为放弃听证。" if party_absent else "") + (minutes or "")})
        act.commit({"hearing_id": hearing.pk, "party_absent": party_absent, "minutes": minutes,
                    "document": "hearing_record", **paperwork.record(doc)}, fields=["hearing_status"])
        return hearing
