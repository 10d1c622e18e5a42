"""What each source object contributes to the statistics (统计口径, legal-rules.md §K).

A *source* is one kind of record stream (``case:<id>``, ``flexible:<id>``, ``draw:<id>``,
``transfer:<id>``, ``evaluation:<id>``, ``notice:<id>``; ``complaint:<id>`` is registered by the
portal, see ``settings.ZHIFA["STATISTICS_SOURCES"]``). For a list of ids it answers the facts of
each object, read fresh from the source tables in a constant number of queries. The refresh
(``services.statistics``) compares them with the stored facts and applies the difference.

Every measure has one date basis (§K: "penalties count by decision date, cases by filing date,
inspections by draw date; every figure says which"), listed in ``MEASURES`` and repeated by every
figure the API, the pages and the congress report show.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module
from typing import Callable, Iterable, Iterator

from django.conf import settings

from zhifa.cases.models import Case, FlexibleAct
from zhifa.core import clock
from zhifa.inspections.models import Draw, Inspection
from zhifa.registry.models import Body
from zhifa.transfers.models import Transfer

from .models import Evaluation, SupervisionNotice


@dataclass(frozen=True)
class Measure:
    code: str
    label: str
    basis: str          # the date basis (统计口径), said beside every figure
    amount: bool = False  # also sums an amount in yuan (exact decimals)


#: The measures, in the order the pages show them. §K: cases by filing date, penalties by
#: decision date, inspections by draw date; the others by the date of their own act.
MEASURES: dict[str, Measure] = {m.code: m for m in (
    Measure("cases_filed", "立案数", "按立案日期"),
    Measure("penalties", "行政处罚决定数（罚没金额）", "按决定日期", amount=True),
    Measure("no_penalty", "不予行政处罚决定数", "按决定日期"),
    Measure("cases_closed", "结案数", "按结案日期"),
    Measure("flexible_acts", "柔性执法次数", "按实施日期"),
    Measure("inspections", "双随机抽查户次", "按抽取日期"),
    Measure("inspections_done", "已检查户次", "按抽取日期"),
    Measure("inspections_problem", "发现问题户次", "按抽取日期"),
    Measure("transfers_out", "移送涉嫌犯罪案件数", "按报告日期"),
    Measure("transfers_in", "反向移送和检察意见数", "按收文日期"),
    Measure("evaluations", "案卷评查数", "按评查提交日期"),
    Measure("evaluations_failed", "评查不合格数", "按评查提交日期"),
    Measure("notices", "监督通知书数", "按下发日期"),
    Measure("complaints", "投诉举报数", "按登记日期"),
)}

#: The measures that show a body acts on an item (R34 zero-case items: no case, inspection or
#: flexible act on it over the period).
ACTIVITY_MEASURES = ("cases_filed", "flexible_acts", "inspections")


@dataclass(frozen=True)
class Fact:
    """One object's contribution: ``count`` (and ``amount`` yuan) to ``measure`` on ``day``."""

    measure: str
    body_id: int
    item_id: int
    day: dt.date
    count: int = 1
    amount: Decimal = Decimal("0.00")


FactMap = dict[str, list[Fact]]


@dataclass(frozen=True)
class Source:
    """One kind of stream: its facts for some ids, and every id (for a full rebuild)."""

    kind: str
    facts: Callable[[list[int]], FactMap]
    all_ids: Callable[[], Iterable[int]]


def _money(value) -> Decimal:
    return (value or Decimal("0")).quantize(Decimal("0.01"))


def _local_day(moment: dt.datetime | None) -> dt.date | None:
    return moment.astimezone(clock.SHANGHAI).date() if moment else None


def case_facts(ids: list[int]) -> FactMap:
    out: FactMap = {}
    rows = Case.objects.filter(pk__in=ids).values_list(
        "pk", "body_id", "item_id", "filed_on", "outcome", "decided_on", "decision_amount", "closed_on")
    for pk, body, item, filed, outcome, decided, amount, closed in rows:
        facts = out.setdefault(f"case:{pk}", [])
        if filed:
            facts.append(Fact("cases_filed", body, item, filed))
        if decided and outcome == "penalty":
            facts.append(Fact("penalties", body, item, decided, 1, _money(amount)))
        elif decided and outcome == "no_penalty":
            facts.append(Fact("no_penalty", body, item, decided))
        if closed:
            facts.append(Fact("cases_closed", body, item, closed))
    return out


def flexible_facts(ids: list[int]) -> FactMap:
    rows = FlexibleAct.objects.filter(pk__in=ids).values_list("pk", "body_id", "item_id", "acted_on")
    return {f"flexible:{pk}": [Fact("flexible_acts", body, item, day)] for pk, body, item, day in rows}


PROBLEM_OUTCOMES = (Inspection.Outcome.RECTIFY, Inspection.Outcome.CASE, Inspection.Outcome.CORRECTED)


def draw_facts(ids: list[int]) -> FactMap:
    """A draw's inspections, by draw date (抽取日期, §K), counted per day for the plan's body."""
    out: FactMap = {f"draw:{pk}": [] for pk in Draw.objects.filter(pk__in=ids).values_list("pk", flat=True)}
    sums: dict[tuple[int, int, dt.date], list[int]] = {}
    rows = Inspection.objects.filter(draw_id__in=ids).values_list("draw_id", "task__plan__body_id", "planned_on", "outcome")
    for draw, body, day, outcome in rows.iterator(chunk_size=5000):
        acc = sums.setdefault((draw, body, day), [0, 0, 0])
        acc[0] += 1
        acc[1] += bool(outcome)
        acc[2] += outcome in PROBLEM_OUTCOMES
    for (draw, body, day), (n, done, problem) in sorted(sums.items()):
        facts = out.setdefault(f"draw:{draw}", [])
        facts.append(Fact("inspections", body, 0, day, n))
        if done:
            facts.append(Fact("inspections_done", body, 0, day, done))
        if problem:
            facts.append(Fact("inspections_problem", body, 0, day, problem))
    return out


def transfer_facts(ids: list[int]) -> FactMap:
    out: FactMap = {}
    rows = Transfer.objects.filter(pk__in=ids).values_list("pk", "body_id", "case__item_id", "direction", "reported_at",
                                                            "inward_received_on")
    for pk, body, item, direction, reported_at, received_on in rows:
        facts = out.setdefault(f"transfer:{pk}", [])
        if direction == Transfer.Direction.OUT and reported_at:
            facts.append(Fact("transfers_out", body, item or 0, _local_day(reported_at)))
        elif direction == Transfer.Direction.IN and received_on:
            facts.append(Fact("transfers_in", body, item or 0, received_on))
    return out


def evaluation_facts(ids: list[int]) -> FactMap:
    out: FactMap = {}
    rows = Evaluation.objects.filter(pk__in=ids).values_list("pk", "body_id", "case_file__case__item_id", "state",
                                                              "submitted_on", "grade", "kind")
    for pk, body, item, state, submitted, grade, kind in rows:
        facts = out.setdefault(f"evaluation:{pk}", [])
        if state == Evaluation.State.SUBMITTED and submitted and kind == Evaluation.Kind.OFFICE:
            facts.append(Fact("evaluations", body, item or 0, submitted))
            if grade == "fail":
                facts.append(Fact("evaluations_failed", body, item or 0, submitted))
    return out


def notice_facts(ids: list[int]) -> FactMap:
    rows = SupervisionNotice.objects.filter(pk__in=ids).values_list("pk", "body_id", "case__item_id", "issued_on")
    return {f"notice:{pk}": [Fact("notices", body, item or 0, day)] for pk, body, item, day in rows}


def _ids(model) -> Callable[[], Iterator[int]]:
    return lambda: model.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=5000)


BUILT_IN = (
    Source("case", case_facts, _ids(Case)),
    Source("flexible", flexible_facts, _ids(FlexibleAct)),
    Source("draw", draw_facts, _ids(Draw)),
    Source("transfer", transfer_facts, _ids(Transfer)),
    Source("evaluation", evaluation_facts, _ids(Evaluation)),
    Source("notice", notice_facts, _ids(SupervisionNotice)),
)


def sources() -> dict[str, Source]:
    """The built-in sources and those the apps above supervision register (each module's
    ``SOURCE``), by stream kind."""
    found = {s.kind: s for s in BUILT_IN}
    for path in (getattr(settings, "ZHIFA", {}) or {}).get("STATISTICS_SOURCES", ()):
        source = import_module(path).SOURCE
        found[source.kind] = source
    return found


def body_levels() -> dict[int, str]:
    """Each body's jurisdiction level (层级: 市、县（市、区）、镇（街道）), one query."""
    return dict(Body.objects.values_list("pk", "jurisdiction__level"))
