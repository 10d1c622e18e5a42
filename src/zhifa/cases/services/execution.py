"""Service and execution (送达与执行): service of the decision, payment, deferral (暂缓或者分期),
on-the-spot collection (当场收缴) and its hand-over, reminder (催告) and court enforcement.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal


from zhifa.core import citations
from zhifa.core import clock, workdays
from zhifa.core.usecase import use_case
from zhifa.core.violations import INVALID_INPUT, Violation
from zhifa.registry import access

from .. import deadlines, paperwork, rules
from ..models import Case, Payment, ServiceRecord
from ..selectors import policy
from ._core import (
    _act, action, _av_guard, _court_window, _digest, _plain, _remedies, _set_and_record,
)


@action("serve")
@use_case
def serve(case_id: int, *, method: str = "direct", served_on: dt.date | None = None, consent: bool = False,
          actor: access.Actor) -> ServiceRecord:
    """送达 (APL art.61): within 7 working days; fax or e-mail only with consent. The 15-day
    payment period runs from service (APL art.67)."""
    today = clock.today()
    served_on = served_on or today
    with _act(case_id, "serve", actor) as (case, act):
        act.v += rules.check_service(method, consent)
        if served_on > today or (case.decided_on and served_on < case.decided_on):
            act.v.append(Violation(INVALID_INPUT, "送达日期不得晚于今天或者早于决定日期。", rules.ART61))
        if method in ("leaving", "notice"):
            act.v += _av_guard(case, "service_leaving" if method == "leaving" else "service_notice", "送达")
        act.refuse()
        document = {"penalty": "penalty_decision", "no_penalty": "no_penalty_decision", "transfer": "crime_transfer_letter"}.get(case.outcome, "")
        content = {"document": document, "method": method, "served_on": served_on, "party": case.party_name, "consent": consent}
        record = ServiceRecord.objects.create(case=case, document=document, method=method, served_on=served_on, consent=consent, content=_plain(content))
        case.served_on = served_on
        has_fine = "fine" in (case.decision_kinds or []) and case.decision_amount
        if has_fine:
            case.payment_due = workdays.add_calendar_days(served_on, policy().payment_days).date
        served = paperwork.current(case, paperwork.DECISION_KINDS)
        doc = paperwork.issue(case, "service_receipt", actor=actor, extra={
            "served_documents": [{"title": served.title, "number": served.number} if served else {"title": document, "number": ""}],
            "method": ServiceRecord.Method(method).label, "served_at": served_on, "service_id": record.pk})
        act.commit({"service_id": record.pk, "method": method, "served_on": served_on, "payment_due": case.payment_due,
                    "document": "service_receipt", "content": content, "content_sha256": _digest(content),
                    **paperwork.record(doc)},
                   target="served" if has_fine else "executed")
        return record


@action("request_deferral")
@use_case
def request_deferral(case_id: int, *, reason: str, instalments: int = 1, actor: access.Actor) -> Case:
    """The party applies for deferred or instalment payment (APL art.66 ¶2); the head decides
    (``defer_payment``), the request waits in the head's approvals queue."""
    today = clock.today()
    return _set_and_record(case_id, "request_deferral", actor, {"deferral_requested_on": today},
                           {"reason": reason, "instalments": instalments},
                           checks=rules.check_reason(reason, "延期（分期）缴纳申请", citations.APL_ART66))


@action("defer_payment")
@use_case
def defer_payment(case_id: int, *, new_due: dt.date, reason: str, instalments: int = 1, actor: access.Actor) -> Case:
    """暂缓或者分期缴纳 (APL art.66): on the party's application, approved."""
    with _act(case_id, "defer_payment", actor) as (case, act):
        act.v += rules.check_reason(reason, "延期或者分期缴纳罚款", citations.APL_ART66)
        if case.payment_due and new_due <= case.payment_due:
            act.v.append(Violation(INVALID_INPUT, "延期后的缴款期限应当晚于原期限。", citations.APL_ART66))
        act.refuse()
        old, case.payment_due = case.payment_due, new_due
        case.payment_deferred_on, case.deferral_requested_on = clock.today(), None
        doc = paperwork.issue(case, "payment_deferral_approval", actor=actor, extra={
            "request": reason, "plan": f"缴款期限延至{new_due.isoformat()}" + (f"，分{instalments}期缴纳" if instalments > 1 else "")})
        return act.commit({"from": old, "new_due": new_due, "instalments": instalments, "reason": reason,
                           "document": "payment_deferral_approval", **paperwork.record(doc)}, fields=["payment_due"])


@action("pay")
@use_case
def pay(case_id: int, *, amount: Decimal, paid_on: dt.date | None = None, receipt: str = "", actor: access.Actor) -> Payment:
    """缴款; late fee 3% a day capped at the fine (APL art.72, ACL art.45). Paid in full → executed."""
    today = clock.today()
    paid_on = paid_on or today
    with _act(case_id, "pay", actor) as (case, act):
        if amount is None or amount <= 0:
            act.v.append(Violation(INVALID_INPUT, "缴款金额应当大于零。", citations.APL_ART67))
        if paid_on > today:
            act.v.append(Violation(INVALID_INPUT, "缴款日期不得晚于今天。", citations.APL_ART67))
        act.refuse()
        fine = case.decision_amount or Decimal(0)
        fee = deadlines.late_fee_excluding(fine, case.payment_due, paid_on, _remedies(case)) if case.payment_due else Decimal(0)
        payment = Payment.objects.create(case=case, paid_on=paid_on, amount=amount, late_fee=fee, receipt=receipt)
        case.paid_amount = (case.paid_amount or Decimal(0)) + amount
        done = case.paid_amount >= fine + fee
        if done:
            case.paid_on = paid_on
        act.commit({"payment_id": payment.pk, "amount": amount, "late_fee": fee, "paid_total": case.paid_amount,
                    "settled": done}, target="executed" if done else None, fields=["paid_amount", "paid_on"])
        return payment


@action("collect_on_spot")
@use_case
def collect_on_spot(case_id: int, *, ground: str, receipt: str, amount: Decimal | None = None, actor: access.Actor) -> Payment:
    """当场收缴 (APL arts.68–70): ≤ 100 yuan or impractical later (simple procedure), remote places
    on the party's request; always with the special receipt; handed over within 2 days (art.71)."""
    today = clock.today()
    with _act(case_id, "collect_on_spot", actor) as (case, act):
        fine = case.decision_amount or Decimal(0)
        amount = amount if amount is not None else fine - (case.paid_amount or Decimal(0))
        act.v += rules.check_on_spot_collection(case.procedure, ground, case.decision_amount, receipt)
        if case.collected_on_spot_on:
            act.v.append(Violation(rules.WRONG_STATE, "本案罚款已当场收缴。", rules.ART68_71))
        if amount is None or amount <= 0:
            act.v.append(Violation(INVALID_INPUT, "收缴金额应当大于零。", rules.ART68_71))
        act.refuse()
        fee = deadlines.late_fee_excluding(fine, case.payment_due, today, _remedies(case)) if case.payment_due else Decimal(0)
        payment = Payment.objects.create(case=case, paid_on=today, amount=amount, late_fee=fee, receipt=receipt)
        case.paid_amount = (case.paid_amount or Decimal(0)) + amount
        case.collected_on_spot_on = today
        done = case.paid_amount >= fine + fee
        if done:
            case.paid_on = today
        handover = workdays.add_working_days(today, policy().handover_working_days)
        act.commit({"payment_id": payment.pk, "amount": amount, "ground": ground, "receipt": receipt,
                    "ground_label": rules.COLLECTION_GROUNDS[ground], "hand_over_by": handover.date, "settled": done},
                   target="executed" if done else None, fields=["paid_amount", "paid_on"])
        return payment


@action("hand_over_collection")
@use_case
def hand_over_collection(case_id: int, *, handed_over_on: dt.date | None = None, actor: access.Actor) -> Case:
    """交款 (APL art.71): money collected on the spot reaches the body within 2 (working) days; a late
    hand-over is recorded as late."""
    today = clock.today()
    handed_over_on = handed_over_on or today
    with _act(case_id, "hand_over_collection", actor) as (case, act):
        if not case.collected_on_spot_on or case.collection_handed_over_on:
            act.v.append(Violation(rules.WRONG_STATE, "本案没有待交至机关的当场收缴罚款。", rules.ART71))
        elif handed_over_on > today or handed_over_on < case.collected_on_spot_on:
            act.v.append(Violation(INVALID_INPUT, "交款日期不得晚于今天或者早于收缴日期。", rules.ART71))
        act.refuse()
        due = workdays.add_working_days(case.collected_on_spot_on, policy().handover_working_days).date
        case.collection_handed_over_on = handed_over_on
        return act.commit({"handed_over_on": handed_over_on, "due": due,
                           "late": deadlines.handover_late(case.collected_on_spot_on, due, handed_over_on)}, fields=[])


@action("remind")
@use_case
def remind(case_id: int, *, actor: access.Actor) -> Case:
    """催告 (ACL art.35): written, before any enforcement."""
    today = clock.today()
    with _act(case_id, "remind", actor) as (case, act):
        if case.payment_due and today <= case.payment_due:
            act.v.append(Violation(rules.WRONG_STATE, f"缴款期限至{case.payment_due.isoformat()}，尚未届满。", rules.ACL35))
        act.refuse()
        case.reminded_on = today
        fee = (deadlines.late_fee_excluding(case.decision_amount or Decimal(0), case.payment_due, today, _remedies(case))
               if case.payment_due else Decimal(0))
        owed = (case.decision_amount or Decimal(0)) + fee - (case.paid_amount or Decimal(0))
        doc = paperwork.issue(case, "reminder", actor=actor, extra={  # ACL art.35; court after 10 working days (art.54)
            "amount": f"{paperwork.money(owed)}（含加处罚款{paperwork.money(fee)}）" if fee else paperwork.money(owed),
            "deadline": workdays.add_working_days(today, policy().reminder_working_days).date})
        return act.commit({"reminded_on": today, "late_fee": fee, "document": "reminder", **paperwork.record(doc)},
                          fields=["reminded_on"])


@action("apply_court")
@use_case
def apply_court(case_id: int, *, actor: access.Actor) -> Case:
    """申请人民法院强制执行 (ACL arts.53–54): only after a reminder and ten working days, and within
    the three months that follow the party's reconsideration and litigation periods."""
    today = clock.today()
    with _act(case_id, "apply_court", actor) as (case, act):
        earliest = workdays.add_working_days(case.reminded_on, policy().reminder_working_days).date if case.reminded_on else None
        act.v += rules.check_court_application(case.reminded_on, earliest, today)
        opens, closes = _court_window(case)
        act.v += deadlines.check_court_window(opens.date, closes, today)  # ACL art.53
        act.v += rules.check_no_running_remedy(case.remedy_since)  # ACL art.53, APL art.73
        act.refuse()
        case.court_applied_on = today
        doc = paperwork.issue(case, "enforcement_application", actor=actor, extra={
            "request": f"强制执行{paperwork.penalty_text(case.decision_kinds, case.decision_amount)}（扣除已缴部分）及依法加处的罚款"})
        return act.commit({"applied_on": today, "document": "court_enforcement_application", **paperwork.record(doc)},
                          fields=["court_applied_on"])
