"""Demo cases (演示案件) for ``zhifa demo``: cases in every state, made through the services so
that every one has its full-process record, with the clock set back so that deadlines fall in
the past, the present and the future (some overdue). Includes a hearing, a seizure, a legal
review failed then passed, and a self-corrected decision.

    build_demo_cases(rng, body, count=30, today=None) -> list[Case]

``body`` needs at least two certified officers with a head among its active staff, a legal
reviewer (or one in its parent department) and a penalty item it may enforce; otherwise nothing
is built and an empty list is returned.
"""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Q

from zhifa.catalog import selectors as catalog_selectors
from zhifa.catalog.models import Item
from zhifa.core import clock
from zhifa.core.violations import Refused
from zhifa.documents import services as documents
from zhifa.registry import access
from zhifa.registry import services as registry
from zhifa.registry.models import Body, Officer

from . import services as s
from .models import Case

# Where each demo case stops: every state of the workflow.
TARGETS = ["source", "not_filed", "investigating", "investigated", "reviewed", "notified", "decided", "served",
           "executed", "enforcing", "closed", "archived"]
COMPANIES = ["示例商贸有限公司", "东方食品超市", "华兴五金店", "百味餐饮店", "安康药房", "新城建材经营部", "明珠美容店", "顺达物流有限公司"]
PEOPLE = ["张某", "李某", "王某", "刘某", "陈某", "杨某"]
STREETS = ["人民路", "解放路", "建设路", "和平路", "新华街", "友谊路"]


def _address(day: dt.date) -> str:
    """A party's address (needed by the documents), without drawing from ``rng``."""
    return f"示例市{STREETS[day.toordinal() % len(STREETS)]}{day.toordinal() % 300 + 1}号"


def _actor(officer: Officer) -> access.Actor:
    roles = {access.Role.OFFICER}
    if officer.is_head:
        roles.add(access.Role.HEAD)
    if officer.is_legal_reviewer:
        roles.add(access.Role.LEGAL_REVIEWER)
    return access.Actor(user=officer.user, roles=frozenset(roles), officer=officer, body_id=officer.body_id)


def _staff(body: Body, today: dt.date):
    people = list(registry.with_current_certificate(Officer.objects.filter(body=body, status=Officer.Status.ACTIVE, is_auxiliary=False)))
    valid = [o for o in people if registry.certificate_state_of(o, today).value == "valid"]
    heads = [o for o in valid if o.is_head]
    reviewers = [o for o in valid if o.is_legal_reviewer]
    if not reviewers and body.parent_department_id:
        reviewers = [o for o in Officer.objects.filter(body_id=body.parent_department_id, is_legal_reviewer=True, status="active")]
    investigators = [o for o in valid if not o.is_head and not o.is_legal_reviewer]
    return heads, reviewers, investigators


def build_demo_cases(rng: random.Random, body: Body, count: int = 30, today: dt.date | None = None) -> list[Case]:
    today = today or clock.today()
    heads, reviewers, investigators = _staff(body, today)
    competence = catalog_selectors.competence_of(body.pk)
    own = Item.objects.filter(kind=Item.Kind.PENALTY).filter(pk__in=list(competence.own_item_ids)[:500])
    # Items whose legal basis resolved to a penalty article: their decisions can cite 违反 and 依据
    # (legal-rules.md §F+); the others only when there is nothing better.
    resolved = list(own.filter(Q(item_provisions__role="violated") | Q(
        item_provisions__role="penalty", item_provisions__provision__text__regex=r"违反本(法|条例|办法|规定|细则)第")).distinct()[:50])
    items = resolved or list(own[:50])
    if not heads or len(investigators) < 2 or not items:
        return []
    built: list[Case] = []
    # The documents of the demo cases are numbered and stored with their data now and rendered
    # to PDF and DOCX on first download (or by ``zhifa render-documents``): ~0.4 s a PDF would
    # make the demo take minutes.
    with documents.render_mode(documents.DEFERRED):
        for n in range(count):
            _build_one(rng, body, items, heads, reviewers, investigators, n, today, built)
    return built


def _build_one(rng, body, items, heads, reviewers, investigators, n, today, built) -> None:
    target = TARGETS[n % len(TARGETS)]
    special = {0: "review_failed", 1: "hearing", 2: "seizure", 3: "corrected"}.get(n, "")
    if special == "corrected":
        target = "served"
    if special in ("review_failed", "hearing"):
        target = "decided"
    if special == "seizure":
        target = "investigating"
    try:
        built.append(_one(rng, body, items, heads[0], reviewers, investigators, target, special, today))
    except Refused:
        return  # e.g. a certificate not yet valid on the back-dated day: skip that case


def _one(rng, body, items, head, reviewers, investigators, target, special, today) -> Case:
    o1, o2 = rng.sample(investigators, 2)
    off, boss = _actor(o1), _actor(head)
    person = rng.random() < 0.3
    amount = Decimal(rng.choice([200, 1000, 3000, 5000, 8000, 20000]))
    if special == "hearing":
        amount = Decimal("150000")
    day = today - dt.timedelta(days=rng.randint(10, 80) if target not in ("source",) else rng.randint(0, 30))
    if target == "enforcing":
        # ACL art.53: the court is asked only once the party's six months to sue have run out
        # (and within the three months after): such a case was decided seven to nine months ago.
        day = today - dt.timedelta(days=rng.randint(215, 270))

    def at(delta: int):
        return clock.frozen(min(day + dt.timedelta(days=delta), today))

    with at(0):
        case = _register(rng, body, items, person, day, off)
    if target == "source":
        return case
    with at(1):
        if target == "not_filed":
            s.decline_case(case.pk, reason="经核查不存在违法事实", actor=boss)
            return case
        s.file_case(case.pk, officer_ids=[o1.pk, o2.pk], actor=boss)
        s.show_credentials(case.pk, place=case.party_address, actor=off)  # R15: 亮证 at the first inspection
        s.record_evidence(case.pk, kind="record", title="现场检查笔录", place=case.party_address, actor=off)
        s.record_evidence(case.pk, kind="photo", title="现场照片", place=case.party_address, actor=off)
    if special == "seizure":
        with at(2):
            s.record_evidence(case.pk, kind="video", title="扣押现场执法记录仪录像", act="detention", actor=off)
            s.seize(case.pk, kind="detention", items=[{"name": "涉案商品", "quantity": rng.randint(5, 50), "unit": "件"}], actor=off)
    if target == "investigating":
        return case
    with at(4):
        s.end_investigation(case.pk, report="经调查，违法事实清楚，证据确凿。", facts=_conduct(case),
                            proposed_kinds=["fine"], proposed_amount=amount, act_place=case.party_address, actor=off)
    if target == "investigated":
        return case
    with at(5):
        s.review_case(case.pk, opinion="同意调查终结意见", is_major=special == "review_failed", actor=boss)
    if special == "review_failed" and reviewers:
        _review_failed_then_passed(case, reviewers[0], off, boss, at)
    if target == "reviewed":
        return case
    with at(8):
        s.notify(case.pk, kinds=["fine"], amount=amount, actor=off)
    if target == "notified":
        return case
    if special == "hearing":
        return _heard_and_decided(case, head, reviewers, amount, min(day + dt.timedelta(days=9), today), off, boss, at)
    with at(9):
        s.waive_defence(case.pk, actor=off)
        if Case.objects.get(pk=case.pk).hearing_due:
            s.waive_hearing(case.pk, actor=off)
        s.decide(case.pk, outcome="penalty", kinds=["fine"], amount=amount, reasoning="违法事实清楚，证据确凿，依法处罚。",
                 outside_benchmark_reason="综合考虑违法情节酌定", actor=boss)
    if target == "decided":
        return case
    return _execute(case, target, special, amount, off, boss, at)


def _register(rng, body, items, person: bool, day: dt.date, off: access.Actor) -> Case:
    """案源登记 of a demo case: a person or a company, an act some days before the clue."""
    return s.register_source(
        item_code=rng.choice(items).code, party_kind="person" if person else "organisation",
        party_name=rng.choice(PEOPLE if person else COMPANIES), act_date=day - dt.timedelta(days=rng.randint(1, 60)),
        party_id_code=f"6502{rng.randint(10**13, 10**14 - 1)}" if person else f"9165{rng.randint(10**13, 10**14 - 1)}",
        party_legal_representative="" if person else rng.choice(PEOPLE), clue="日常检查发现", actor=off,
        party_address=_address(day), body_id=body.pk,
    )


def _conduct(case: Case) -> str:
    """The conduct the demo investigation finds: what the item punishes (对销售过期食品的处罚 → 销售过期食品)."""
    name = case.item.name.removeprefix("对").removesuffix("的行政处罚").removesuffix("的处罚")
    name = name.replace(",", "，").replace(";", "；").replace("(", "（").replace(")", "）")  # full-width in Chinese text
    return f"经现场检查和询问调查，当事人存在{name}的行为，违法事实清楚"


def _review_failed_then_passed(case: Case, reviewer, off: access.Actor, boss: access.Actor, at) -> None:
    """A major case whose first legal review fails (evidence missing) and the second passes (R18)."""
    with at(6):
        s.request_review(case.pk, reviewer_id=reviewer.pk, actor=off)
        s.complete_review(case.pk, result="fail", opinion="证据不足：缺少进货凭证，请补充。", actor=_actor(reviewer))
    with at(7):
        s.request_review(case.pk, reviewer_id=reviewer.pk, actor=off)
        s.complete_review(case.pk, result="pass", opinion="补充证据后，事实清楚，同意。", actor=_actor(reviewer))
        s.hold_collective_discussion(case.pk, minutes="集体讨论同意处罚意见", actor=boss)


def _heard_and_decided(case: Case, head, reviewers, amount: Decimal, requested_on: dt.date, off: access.Actor,
                       boss: access.Actor, at) -> Case:
    """A fine that opens the hearing right (APL art.63): requested, noticed 7 working days ahead
    (art.64), held, reviewed, decided."""
    from zhifa.core import workdays

    with at(9):
        s.request_hearing(case.pk, actor=off)
        hearing_day = workdays.add_working_days(requested_on, 7).date
        s.schedule_hearing(case.pk, chair_id=head.pk, hearing_on=hearing_day, actor=boss)
    with clock.frozen(hearing_day):
        s.hold_hearing(case.pk, minutes="当事人到场陈述申辩", actor=off)
        if reviewers:
            s.request_review(case.pk, reviewer_id=reviewers[0].pk, actor=off)
            s.complete_review(case.pk, result="pass", opinion="同意", actor=_actor(reviewers[0]))
        s.record_defence(case.pk, statement="请求从轻处罚", actor=off)
        s.decide(case.pk, outcome="penalty", kinds=["fine"], amount=amount, reasoning="经听证，违法事实清楚，依法处罚。",
                 outside_benchmark_reason="依据听证意见酌定",
                 defence_opinion="当事人请求从轻处罚，但未提供应当从轻处罚的事实和证据，该意见不予采纳", actor=boss)
    return case


def _execute(case: Case, target: str, special: str, amount: Decimal, off: access.Actor, boss: access.Actor, at) -> Case:
    """After the decision: service, then a correction, payment or court enforcement, closing and
    archiving, as far as ``target`` (``at(delta)``: the day ``delta`` days after the case began)."""
    with at(10):
        s.serve(case.pk, actor=off)
    if special == "corrected":
        with at(11):
            s.correct(case.pk, kind="amend", reason="罚款计算有误，予以更正", kinds=["fine"], amount=amount / 2, actor=boss)
        return case
    if target == "served":
        return case
    if target == "enforcing":
        with at(27):
            s.remind(case.pk, actor=off)
        with at(212):  # served on day 10: the remedy periods ended about day 194 (ACL art.53)
            s.apply_court(case.pk, actor=boss)
        return case
    with at(12):
        s.pay(case.pk, amount=Case.objects.get(pk=case.pk).decision_amount, actor=off)
    if target == "executed":
        return case
    with at(13):
        s.close_case(case.pk, actor=boss)
    if target == "closed":
        return case
    with at(14):
        s.archive_case(case.pk, actor=off)
    return case
