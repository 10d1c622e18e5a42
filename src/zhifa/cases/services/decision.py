"""The decision (作出决定, APL art.57) under the normal procedure, and the on-the-spot decision
(当场处罚, APL arts.51–52).
"""
from __future__ import annotations

from decimal import Decimal


from zhifa.catalog import discretion
from zhifa.catalog import rules as cat
from zhifa.core import citations
from zhifa.core import clock, workdays
from zhifa.core.usecase import use_case
from zhifa.core.violations import INVALID_INPUT, Violation
from zhifa.registry import access

from .. import deadlines, paperwork, rules
from ..models import Case, Decision, ServiceRecord
from ..selectors import policy
from .flexible import _education_for_case
from ._core import (
    _act, action, _av_guard, _decision_due, _digest, _item_and_competence, _limitation, _noticed, _officer_ids,
    _officers_ok, _other_fines, _party_kind, _plain, _review_needed, _statutory_guard,
)


def _benchmark_range(case: Case, benchmark, grades: list[int], factors: list[str]) -> tuple[Decimal | None, Decimal | None, list[Violation]]:
    if benchmark is None:
        return None, None, []
    facts = cat.Facts(
        item_code=case.item.code, act_date=case.act_date, party_kind=_party_kind(case), age=case.party_age,
        illegal_gains=case.illegal_gains, goods_value=case.goods_value, grades=tuple(grades), factors=tuple(factors),
    )
    spec = discretion.benchmark_spec(benchmark)
    errors = cat.validate_facts(facts, spec)
    if errors:
        return None, None, [Violation(rules.BENCHMARK_FACTS_INVALID, f"{m}", cat.ART34) for _, m in errors]
    assessment = cat.assess(facts, spec)
    if assessment.amount is None:
        return None, None, []
    return assessment.amount.min_yuan, assessment.amount.max_yuan, []


def _penalty_guards(case: Case, kinds: list[str], amount: Decimal | None, today, outside_benchmark_reason: str,
                    grades: list[int], factors: list[str]) -> tuple[list[Violation], Decimal | None, Decimal | None]:
    """What a penalty decision must respect: the kinds, who may be punished, one fine (APL art.29),
    notice, defence, hearing, legal review still covering the proposal (R18), collective
    discussion, the decision period (APL art.60: only a penalty is barred once it has run out — a
    no-penalty decision or a transfer never harms the party), the statutory maximum and the
    benchmark range (R19). Returns the violations and the range applied."""
    v = rules.check_penalty_kinds(kinds, amount)
    v += rules.check_no_fine_during_transfer(kinds, case.transfer_pending)  # O310 art.11
    v += rules.check_punishable(case.party_age, case.party_mental_illness, case.no_fault, kinds)
    v += rules.check_one_fine(kinds, _other_fines(case))
    needed, reasons = _review_needed(case, kinds, amount)
    review = None if case.review_status in ("", "pending") else case.review_status
    if review == "pass" and not rules.review_covers(case.review_basis, case.proposed_kinds, case.proposed_amount):
        review = None  # R18: the proposal changed after the review passed
        reasons = [*reasons, "法制审核通过后拟处罚内容发生变化，应当重新审核"]
    v += rules.check_before_decision(
        kinds=kinds, amount=amount, notice=_noticed(case), today=today, review_needed=needed,
        review_result=review, review_reasons=reasons, collective_needed=case.is_major,
        collective_held=case.collective_discussion_on is not None,
    )
    if case.filed_on:  # APL art.60: the decision's own date within the decision period
        v += deadlines.check_decision_deadline(_decision_due(case, today), today)
    low = high = None
    if "fine" in kinds:
        benchmark = discretion.applicable_benchmark(case.item, case.act_date)
        low, high, errors = _benchmark_range(case, benchmark, grades, factors)
        v += errors
        v += _statutory_guard(case, amount, benchmark)
        v += rules.check_benchmark(amount, low, high, outside_benchmark_reason)
    return v, low, high


def _decision_guards(case: Case, outcome: str, kinds: list[str], amount: Decimal | None, reasoning: str, education: str,
                     outside_benchmark_reason: str, grades: list[int], factors: list[str],
                     today) -> tuple[list[Violation], Decimal | None, Decimal | None]:
    """Every guard of ``decide`` for every outcome, then the penalty's own (``_penalty_guards``)."""
    v = _officers_ok(_officer_ids(case), today, case)
    v += rules.check_reason(reasoning, "决定书说理", citations.APL_ART59)
    # R15: credentials shown (APL art.55) for every outcome
    v += [x for x in rules.check_formalities(case.credentials_shown_on is not None, case.rights_told_on is not None, on_spot=False)
          if x.code != rules.RIGHTS_NOT_TOLD]  # the rights are told by the notice (NOTICE_REQUIRED)
    v += rules.check_education(outcome, case.educated_on is not None or bool((education or "").strip()))  # APL art.33 ¶3
    if outcome not in DECISION_DOCUMENTS:
        v.append(Violation(INVALID_INPUT, "处理结果应为给予处罚、不予处罚或者移送司法机关。", rules.ART57))
    if outcome != "penalty":
        return v, None, None
    penalty, low, high = _penalty_guards(case, kinds, amount, today, outside_benchmark_reason, grades, factors)
    return v + penalty, low, high


# The document each outcome produces.
DECISION_DOCUMENTS = {"penalty": "penalty_decision", "no_penalty": "no_penalty_decision", "transfer": "crime_transfer_letter"}


def _decision_content(case: Case, outcome: str, kinds: list[str], amount: Decimal | None, reasoning: str,
                      outside_benchmark_reason: str, today) -> dict:
    """The decision's structured content (what the decision document says), hashed into the record."""
    return {
        "party": {"name": case.party_name, "id_code": case.party_id_code, "address": case.party_address},
        "facts": case.facts, "evidence": list(case.evidence.values_list("title", "sha256")),
        "outcome": outcome, "kinds": kinds, "amount": amount, "basis": case.item.legal_basis, "reasoning": reasoning,
        "outside_benchmark_reason": outside_benchmark_reason,
        "payment": "自收到本决定书之日起十五日内缴纳罚款" if "fine" in kinds else "",
        "remedies": "如不服本决定，可以在收到本决定书之日起六十日内申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。",
        "body": case.body.name, "decided_on": today,
    }


def _issue_decision_document(case: Case, decision: Decision, actor: access.Actor, grades=(), factors=(), defence_opinion: str = ""):
    document = DECISION_DOCUMENTS[decision.outcome]
    extra = {
        "penalty_decision": {"kinds": decision.kinds, "amount": decision.amount, "reasoning": decision.reasoning,
                             "outside_benchmark_reason": decision.outside_benchmark_reason, "grades": list(grades),
                             "factors": list(factors), "defence_opinion": defence_opinion},
        "no_penalty_decision": {"reason": decision.reasoning},
        "crime_transfer_letter": {},
    }[document]
    return document, paperwork.issue(case, document, actor=actor, extra=extra | {"decision_id": decision.pk})


@action("decide")
@use_case
def decide(case_id: int, *, outcome: str, reasoning: str, kinds: list[str] | None = None, amount: Decimal | None = None,
           outside_benchmark_reason: str = "", grades: list[int] | None = None, factors: list[str] | None = None,
           education: str = "", defence_opinion: str = "", actor: access.Actor) -> Decision:
    """作出决定 (APL art.57): penalty, no penalty or transfer as a suspected crime, after notice,
    defence, hearing, collective discussion and legal review where required, within the notice and
    the benchmark (or with a reason). ``defence_opinion``: how the party's statement and defence or
    the hearing was weighed (采纳情况及理由), printed in the decision; the decision is checked
    against the list of legal-rules.md §F+ (``documents.checks``) before it is issued."""
    today = clock.today()
    kinds = list(kinds or []) if outcome == "penalty" else []
    amount = amount if outcome == "penalty" else None
    with _act(case_id, "decide", actor) as (case, act):
        guards, low, high = _decision_guards(case, outcome, kinds, amount, reasoning, education, outside_benchmark_reason,
                                             grades or [], factors or [], today)
        act.v += guards
        act.refuse()
        content = _decision_content(case, outcome, kinds, amount, reasoning, outside_benchmark_reason, today)
        decision = Decision.objects.create(case=case, outcome=outcome, kinds=kinds, amount=amount, decided_on=today, reasoning=reasoning,
                                           benchmark_low=low, benchmark_high=high, outside_benchmark_reason=outside_benchmark_reason,
                                           content=_plain(content))
        case.outcome, case.decision_kinds, case.decision_amount, case.decided_on = outcome, kinds, amount, today
        if outcome == "no_penalty" and (education or "").strip():
            case.educated_on = today
            _education_for_case(case, education.strip(), actor, today)  # R21: the education is a flexible act
        if outcome == "penalty" and kinds:  # 3S / SAMR45 art.9: publish within the sector's working days
            case.publication_due = workdays.add_working_days(today, policy().publication_rule(case.body.sector)[0]).date
        document, doc = _issue_decision_document(case, decision, actor, grades or [], factors or [], defence_opinion)
        act.commit({"decision_id": decision.pk, "outcome": outcome, "kinds": kinds, "amount": amount,
                    "document": document, "content": content, "content_sha256": _digest(content), **paperwork.record(doc)})
        return decision


@action("decide_on_spot")
@use_case
def decide_on_spot(case_id: int, *, kinds: list[str], amount: Decimal | None = None, reasoning: str,
                   statement: str = "", violated_provision: str = "", actor: access.Actor) -> Decision:
    """当场处罚 (APL arts.51–52): show credentials, tell the facts, reasons, basis and rights, hear
    the party, hand the decision over on the spot; warning or a small fine only."""
    today = clock.today()
    with _act(case_id, "decide_on_spot", actor) as (case, act):
        act.v += _officers_ok(_officer_ids(case), today, case)
        act.v += _item_and_competence(case.body, case.item, today)
        act.v += _limitation(case, today)
        act.v += rules.check_penalty_kinds(kinds, amount)
        act.v += rules.check_simple_procedure(_party_kind(case), kinds, amount)
        act.v += rules.check_no_fine_during_transfer(kinds, case.transfer_pending)  # O310 art.11
        act.v += rules.check_punishable(case.party_age, case.party_mental_illness, case.no_fault, kinds)
        act.v += rules.check_one_fine(kinds, _other_fines(case))
        act.v += _statutory_guard(case, amount if "fine" in kinds else None)
        act.v += rules.check_reason(reasoning, "当场处罚决定书", citations.APL_ART52)
        act.v += _av_guard(case, "spot_penalty", "当场处罚")
        act.v += rules.check_formalities(case.credentials_shown_on is not None, case.rights_told_on is not None, on_spot=True)  # R15
        act.refuse()
        content = {"party": case.party_name, "facts": case.act_description, "kinds": kinds, "amount": amount,
                   "basis": case.item.legal_basis, "reasoning": reasoning, "statement": statement,
                   "credentials_shown": True, "rights_told": True, "decided_on": today, "body": case.body.name}
        decision = Decision.objects.create(case=case, outcome="penalty", kinds=kinds, amount=amount, decided_on=today,
                                           reasoning=reasoning, content=_plain(content))
        ServiceRecord.objects.create(case=case, document="on_spot_decision", method="direct", served_on=today, content={"on_spot": True})
        case.outcome, case.decision_kinds, case.decision_amount = "penalty", kinds, amount
        case.decided_on = case.served_on = today
        case.violated_provision = violated_provision or case.violated_provision
        if policy().publish_simple_procedure:
            case.publication_due = workdays.add_working_days(today, policy().publication_rule(case.body.sector)[0]).date
        has_fine = "fine" in kinds and amount
        if has_fine:
            case.payment_due = workdays.add_calendar_days(today, policy().payment_days).date
        doc = paperwork.issue(case, "on_the_spot_decision", actor=actor, extra={"kinds": kinds, "amount": amount, "decision_id": decision.pk})
        act.commit({"decision_id": decision.pk, "kinds": kinds, "amount": amount, "document": "on_spot_decision",
                    **{k: v for k, v in paperwork.record(doc).items() if k != "document"},
                    "content": content, "content_sha256": _digest(content), "credentials_shown": True,
                    "rights_told": True}, target="served" if has_fine else "executed")
        return decision
