"""The data-driven components of the annual assessment (年度考核指标, R36), one function each:
``(year, body_ids) -> {body_id: ComponentValue(value, detail_url)}``, named in ``assessment.toml``.

Each one is a single aggregate query (GROUP BY body) whatever the number of bodies. A body
without data is absent from the result (the TOML's ``when_missing`` decides its points). The
``detail_url`` is the drill-down page listing the rows behind the figure; the ``*_rows``
functions (``(year, body_id) -> QuerySet``) are that list, so the figure and the list are the
same query.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from django.conf import settings
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Sum
from django.urls import reverse

from zhifa.core import clock

from zhifa.cases.models import Case, FlexibleAct, RemedyPeriod
from zhifa.catalog.models import Item
from zhifa.registry.models import Officer, TrainingRecord

from .models import Evaluation, NoOccurrenceMark
from .rules import assessment as rules

ENFORCEMENT_KINDS = (Item.Kind.PENALTY, Item.Kind.COERCION, Item.Kind.INSPECTION)


@dataclass(frozen=True)
class ComponentValue:
    """A component's figure for one body and the link to the list behind it (None: no data)."""

    value: Decimal | None
    detail_url: str


def detail_url(year: int, body_id: int, code: str) -> str:
    return reverse("supervision:assessment_detail", kwargs={"year": year, "body_id": body_id, "code": code})


def _year(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _pct(numerator, denominator) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.01"))


# --- 案卷评查结果 ---------------------------------------------------------------------------------

def evaluation_rows(year: int, body_id: int):
    start, end = _year(year)
    return (Evaluation.objects.filter(body_id=body_id, kind=Evaluation.Kind.OFFICE, state=Evaluation.State.SUBMITTED,
                                      submitted_on__range=(start, end))
            .select_related("case_file__case").order_by("submitted_on", "id"))


def evaluation_results(year: int, body_ids: Iterable[int]) -> dict[int, ComponentValue]:
    """Mean score of the office's submitted evaluations of the year (self-evaluations excluded)."""
    start, end = _year(year)
    rows = (Evaluation.objects.filter(body_id__in=list(body_ids), kind=Evaluation.Kind.OFFICE,
                                      state=Evaluation.State.SUBMITTED, submitted_on__range=(start, end))
            .values("body_id").annotate(mean=Avg("score")).order_by())
    return {r["body_id"]: ComponentValue(Decimal(r["mean"]).quantize(Decimal("0.01")), detail_url(year, r["body_id"], "evaluation"))
            for r in rows if r["mean"] is not None}


# --- 培训学时达标率 -------------------------------------------------------------------------------

def _certified(body_ids: Iterable[int]):
    return Officer.objects.filter(body_id__in=list(body_ids), status=Officer.Status.ACTIVE, is_auxiliary=False)


def training_rows(year: int, body_id: int):
    start, end = _year(year)
    return (_certified([body_id])
            .annotate(hours=Sum("trainings__hours", filter=Q(trainings__held_on__range=(start, end))))
            .order_by("name", "id"))


def training_hours() -> Decimal:
    """The yearly training minimum (R07; requirements D §三: 60 hours a year per officer), the one
    number the registry's flag, the alert rule and the congress report read too."""
    return Decimal(str(settings.ZHIFA["TRAINING_HOURS_PER_YEAR"]))


def training_rate(year: int, body_ids: Iterable[int]) -> dict[int, ComponentValue]:
    """Share of active certified officers with at least the yearly training hours in the year
    (``settings.ZHIFA["TRAINING_HOURS_PER_YEAR"]``, 60 by default)."""
    start, end = _year(year)
    body_ids = list(body_ids)
    officers = dict(_certified(body_ids).values("body_id").annotate(n=Count("id")).values_list("body_id", "n").order_by())
    reached = (TrainingRecord.objects.filter(officer__in=_certified(body_ids), held_on__range=(start, end))
               .values("officer_id", "officer__body_id").annotate(h=Sum("hours")).filter(h__gte=training_hours()).order_by())
    counts: dict[int, int] = {}
    for r in reached:
        counts[r["officer__body_id"]] = counts.get(r["officer__body_id"], 0) + 1
    return {b: ComponentValue(_pct(counts.get(b, 0), n), detail_url(year, b, "training")) for b, n in officers.items() if n}


# --- 复议、诉讼纠错率 ------------------------------------------------------------------------------

def _reversal_q() -> Q:
    q = Q(pk__in=[])
    for word in rules.REVERSAL_WORDS:
        q |= Q(result__contains=word)
    return q


def reversal_rows(year: int, body_id: int):
    start, end = _year(year)
    return (RemedyPeriod.objects.filter(case__body_id=body_id, end__range=(start, end))
            .annotate(reversed=Q(_reversal_q())).select_related("case").order_by("end", "id"))


def reversal_rate(year: int, body_ids: Iterable[int]) -> dict[int, ComponentValue]:
    """Share of the reconsiderations and suits concluded in the year that corrected the decision."""
    start, end = _year(year)
    rows = (RemedyPeriod.objects.filter(case__body_id__in=list(body_ids), end__range=(start, end))
            .values(body_id=F("case__body_id")).annotate(n=Count("id"), reversed=Count("id", filter=_reversal_q())).order_by())
    return {r["body_id"]: ComponentValue(_pct(r["reversed"], r["n"]), detail_url(year, r["body_id"], "reversals")) for r in rows}


# --- 零办案事项 -----------------------------------------------------------------------------------

def _items_with_activity(year: int):
    """Enforcement items of the year annotated with whether anything was done under them: a case
    registered (案源登记日期), a flexible act, or a double-random task that lists the item. Items
    marked "no occurrence expected" (无发生预期, with reason and approver) over the year are left out,
    as the zero-case alert leaves them out."""
    from zhifa.inspections.models import InspectionItem

    start, end = _year(year)
    marked = NoOccurrenceMark.objects.filter(item_id=OuterRef("pk"), marked_on__lte=end).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=end))
    return (Item.objects.filter(kind__in=ENFORCEMENT_KINDS, valid_from__lte=end)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start)).exclude(Exists(marked))
            .annotate(active=Exists(Case.objects.filter(item_id=OuterRef("pk"), clue_received_on__range=(start, end)))
                      | Exists(FlexibleAct.objects.filter(item_id=OuterRef("pk"), acted_on__range=(start, end)))
                      | Exists(InspectionItem.objects.filter(item_id=OuterRef("pk"), tasks__starts_on__lte=end,
                                                             tasks__ends_on__gte=start))))


def zero_case_rows(year: int, body_id: int):
    return _items_with_activity(year).filter(body_id=body_id, active=False).order_by("code")


def zero_case_rate(year: int, body_ids: Iterable[int]) -> dict[int, ComponentValue]:
    """Share of the body's enforcement items with no case, flexible act or inspection in the year."""
    rows = (_items_with_activity(year).filter(body_id__in=list(body_ids)).values("body_id")
            .annotate(n=Count("id"), idle=Count("id", filter=Q(active=False))).order_by())
    return {r["body_id"]: ComponentValue(_pct(r["idle"], r["n"]), detail_url(year, r["body_id"], "zero_case")) for r in rows}


# --- 按期公示率 -----------------------------------------------------------------------------------

def _due_window(year: int) -> tuple[dt.date, dt.date]:
    """Deadlines of the year that have come (a deadline later this year is not yet missed)."""
    start, end = _year(year)
    return start, min(end, clock.today())


def publication_rows(year: int, body_id: int):
    start, end = _due_window(year)
    return (Case.objects.filter(body_id=body_id, publication_due__range=(start, end))
            .annotate(on_time=Q(published_on__isnull=False, published_on__lte=F("publication_due")))
            .only("id", "number", "party_name", "publication_due", "published_on").order_by("publication_due", "id"))


def publication_on_time(year: int, body_ids: Iterable[int]) -> dict[int, ComponentValue]:
    """Share of the cases whose publication deadline falls in the year (up to today) that were
    published by it."""
    start, end = _due_window(year)
    rows = (Case.objects.filter(body_id__in=list(body_ids), publication_due__range=(start, end)).values("body_id")
            .annotate(n=Count("id"), on_time=Count("id", filter=Q(published_on__isnull=False, published_on__lte=F("publication_due"))))
            .order_by())
    return {r["body_id"]: ComponentValue(_pct(r["on_time"], r["n"]), detail_url(year, r["body_id"], "publication")) for r in rows}


# --- Alerts (预警), computed by the alert engine --------------------------------------------------
# The alert engine gives ``alert_figures(year) -> {body_id: {figure: value}}``; one TOML entry per
# figure wires it in (``function = "…:alert_figure"``, ``params = { figure = "open_at_end" }``).


def alert_figure(year: int, body_ids: Iterable[int], *, figure: str) -> dict[int, ComponentValue]:
    """One figure of the alert engine per body, linked to the body's alerts."""
    from .selectors_alerts import alert_figures

    figures = alert_figures(year)
    url = reverse("supervision:alerts")
    wanted = set(body_ids)
    return {b: ComponentValue(Decimal(str(f[figure])), f"{url}?body={b}")
            for b, f in figures.items() if b in wanted and f.get(figure) is not None}
