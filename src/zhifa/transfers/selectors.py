"""The read side of transfers (移送台账): scope, the ledger's filters, clocks, allowed actions and
the supervision signals (有案不移, 以罚代刑). The API, the pages and the Excel export share them."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from zhifa.cases.models import Case
from zhifa.core import clock, workdays
from zhifa.registry import access
from zhifa.registry.models import Officer

from . import permissions, rules
from .models import CriminalThreshold, SigningKey, Transfer, TransferMaterial


def policy() -> rules.TransferPolicy:
    """Order 310's configurable numbers: ``settings.ZHIFA["TRANSFER_POLICY"]`` over the defaults."""
    return rules.TransferPolicy(**((getattr(settings, "ZHIFA", {}) or {}).get("TRANSFER_POLICY", {}) or {}))


def visible_transfers(actor: access.Actor) -> QuerySet[Transfer]:
    condition = permissions.scope(actor)
    qs = Transfer.objects.all()
    return qs if condition is None else qs.filter(condition)


@dataclass(frozen=True)
class TransferFilter:
    state: str | None = None
    body_id: int | None = None
    direction: str | None = None
    overdue: bool = False
    q: str | None = None


def filter_transfers(actor: access.Actor, f: TransferFilter, now: dt.datetime | None = None) -> QuerySet[Transfer]:
    """The ledger in the actor's scope, filtered; ``overdue``: the most urgent clock has run out
    (the stored ``next_due_at``, kept by every act and by ``refresh_clocks``)."""
    qs = visible_transfers(actor)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.body_id:
        qs = qs.filter(body_id=f.body_id)
    if f.direction:
        qs = qs.filter(direction=f.direction)
    if f.overdue:
        qs = qs.filter(next_due_at__lt=now or clock.now())
    if f.q:
        qs = qs.filter(Q(case__party_name__icontains=f.q) | Q(case__number__icontains=f.q) | Q(party_name__icontains=f.q)
                       | Q(suspected_offence__icontains=f.q))
    return qs


def with_relations(qs: QuerySet[Transfer]) -> QuerySet[Transfer]:
    """What a page of the ledger shows, in a constant number of queries."""
    return qs.select_related("body", "case", "case__item", "head").prefetch_related(
        Prefetch("team", queryset=Officer.objects.order_by("pk")))


def ordered(qs: QuerySet[Transfer], order: str) -> QuerySet[Transfer]:
    """``urgency``: the most urgent running clock first (none last); ``newest``: the latest first."""
    if order == "urgency":
        return qs.order_by(F("next_due_at").asc(nulls_last=True), "-id")
    return qs.order_by("-id")


def clocks_of(t: Transfer, schedule=None, now: dt.datetime | None = None) -> list[rules.Clock]:
    return rules.clocks(t.facts(), schedule or workdays.schedule(), now or clock.now(), policy())


def allowed_actions(t: Transfer, actor: access.Actor, today: dt.date | None = None) -> list[str]:
    """The actions the actor may take now: state and direction, role, and a valid certificate."""
    possible = rules.possible_actions(t.state, t.direction)
    if not possible:
        return []
    roles = permissions.roles_on(actor, t, {o.pk for o in t.team.all()})
    if not roles or permissions.check_actor_cached(actor, today or clock.today()):
        return []
    return [code for code in possible if rules.BY_CODE[code].role in roles]


def get_transfer(transfer_id: int, actor: access.Actor) -> Transfer:
    from django.http import Http404

    t = with_relations(visible_transfers(actor)).prefetch_related(
        Prefetch("materials", queryset=TransferMaterial.objects.select_related("document"))).filter(pk=transfer_id).first()
    if t is None:
        raise Http404("未找到该移送事项，或您无权查看。")
    return t


def offset_of(t: Transfer) -> rules.Offset:
    """Art.11 ¶2–3: what the case decided before — measures that stand, the fine paid (offset)."""
    case = t.case
    if case is None:
        return rules.Offset()
    return rules.offset(list(case.decision_kinds or []), case.paid_amount)


def record_of(t: Transfer):
    from zhifa.core.ledger import RecordEntry

    return RecordEntry.objects.filter(stream=t.stream).order_by("seq")


# --- Signals for supervision (R25: 有案不移, 以罚代刑) ----------------------------------------------

@dataclass(frozen=True)
class Signal:
    code: str  # CASE_NOT_TRANSFERRED | FINE_INSTEAD_OF_TRANSFER
    label: str
    case_id: int
    case_number: str
    body_id: int
    body_name: str
    message: str
    basis: str
    transfer_id: int | None = None

    def as_dict(self) -> dict:
        return self.__dict__.copy()


SIGNAL_LABELS = {"CASE_NOT_TRANSFERRED": "有案不移", "FINE_INSTEAD_OF_TRANSFER": "以罚代刑"}


def signals(actor: access.Actor, body_id: int | None = None) -> list[Signal]:
    """The transfer signals in the actor's scope, for the supervision office:

    - 有案不移: a case decided (penalty or no penalty) whose goods value or illegal gains reach a
      criminal threshold of its item in force on the act's date, with no transfer reported
      (a refusal by the head counts: it was reported and reasoned) — O310 arts.3, 16;
    - 以罚代刑: a fine decided on a case after its transfer was refused without reasons recorded, or
      after the report of a transfer the police then filed (a fine decided before the report stands
      and is offset, art.11 ¶3) — O310 art.11 ¶1, art.16 ¶2.
    A fixed number of queries: the candidate cases, their thresholds, their transfers."""
    cond = access.body_filter(actor, "body")
    cases = Case.objects.filter(decided_on__isnull=False, outcome__in=["penalty", "no_penalty"])
    if cond is not None:
        cases = cases.filter(cond)
    if body_id:
        cases = cases.filter(body_id=body_id)
    has_threshold = CriminalThreshold.objects.filter(item_id=OuterRef("item_id"))
    has_transfer = Transfer.objects.filter(case_id=OuterRef("pk"), direction="out")
    out: list[Signal] = []
    # 有案不移
    untransferred = list(cases.filter(Exists(has_threshold)).exclude(Exists(has_transfer)).select_related("body")
                         .only("pk", "number", "body__name", "body_id", "item_id", "goods_value", "illegal_gains", "act_date"))
    thresholds: dict[int, list[rules.Threshold]] = {}
    for th in CriminalThreshold.objects.filter(item_id__in={c.item_id for c in untransferred}):
        thresholds.setdefault(th.item_id, []).append(th.spec())
    for c in untransferred:
        met = rules.meets_threshold(thresholds.get(c.item_id, []), c.goods_value, c.illegal_gains, c.act_date)
        if met:
            t = met[0]
            out.append(Signal("CASE_NOT_TRANSFERRED", SIGNAL_LABELS["CASE_NOT_TRANSFERRED"], c.pk, c.number, c.body_id, c.body.name,
                              f"{rules.MEASURES[t.measure]}达到{t.offence}立案追诉标准（{t.amount:.2f}元，{t.source}），未报告移送。",
                              "行政执法机关移送涉嫌犯罪案件的规定第三条、第十六条"))
    # 以罚代刑
    fined = (cases.filter(outcome="penalty", decision_amount__gt=0).filter(Exists(has_transfer)).select_related("body")
             .only("pk", "number", "body__name", "body_id", "decided_on"))
    fined = list(fined)
    transfers = Transfer.objects.filter(case_id__in=[c.pk for c in fined], direction="out").order_by("pk")
    by_case: dict[int, list[Transfer]] = {}
    for t in transfers:
        by_case.setdefault(t.case_id, []).append(t)
    for c in fined:
        for t in by_case.get(c.pk, []):
            refused_bare = t.head_decision == "refused" and not t.refusal_reason.strip() and t.head_decided_at \
                and c.decided_on >= rules.local(t.head_decided_at).date()
            # a fine decided before the report stands and is offset (art.11 ¶3): only one decided on a later
            # day (a fine of the report's own day is given the benefit of the doubt)
            filed = (t.police_decision == "filed" or t.reconsideration_result == "filed") and t.reported_at is not None \
                and c.decided_on > rules.local(t.reported_at).date()
            if refused_bare or filed:
                why = "移送被不批准且未记录理由后作出罚款" if refused_bare else "公安机关已立案后仍作出罚款"
                out.append(Signal("FINE_INSTEAD_OF_TRANSFER", SIGNAL_LABELS["FINE_INSTEAD_OF_TRANSFER"], c.pk, c.number, c.body_id,
                                  c.body.name, f"{why}（移送编号{t.pk}）。", "行政执法机关移送涉嫌犯罪案件的规定第十一条第一款、第十六条第二款",
                                  t.pk))
                break
    return out


def thresholds_met(case: Case) -> list[rules.Threshold]:
    """The criminal thresholds of the case's item that its amounts reach (shown on the transfer)."""
    specs = [th.spec() for th in CriminalThreshold.objects.filter(item_id=case.item_id)]
    return rules.meets_threshold(specs, case.goods_value, case.illegal_gains, case.act_date)


def overdue_count(actor: access.Actor) -> int:
    """The transfers in the actor's scope whose most urgent duty clock has run out (the navigation's
    badge): one query."""
    return visible_transfers(actor).filter(next_due_at__lt=clock.now()).count()


def signing_keys(actor: access.Actor, body_id: int | None = None) -> QuerySet[SigningKey]:
    """The package signing keys (public part) of the bodies in the actor's scope, newest first."""
    condition = permissions.scope(actor)
    qs = SigningKey.objects.select_related("body").defer("private_key").order_by("body_id", "-created_at", "-id")
    if condition is not None:
        qs = qs.filter(condition)
    return qs.filter(body_id=body_id) if body_id else qs


def key_row(k: SigningKey) -> dict:
    return {"body_id": k.body_id, "body_name": k.body.name, "algorithm": k.algorithm, "key_id": k.key_id, "public_key": k.public_key,
            "created_at": k.created_at, "retired_at": k.retired_at, "reason": k.reason}


def finding(inspection_id: int, actor: access.Actor):
    """An inspection's finding in the actor's scope (``settings.ZHIFA["TRANSFER_FINDING_SOURCE"]``:
    inspections is a sibling app), or None."""
    from django.utils.module_loading import import_string

    source = (getattr(settings, "ZHIFA", {}) or {}).get("TRANSFER_FINDING_SOURCE", "zhifa.inspections.transfer_source.finding")
    return import_string(source)(inspection_id, actor)
