"""What the portal gives the annual assessment (年度考核, R36): complaints per body, as a
component function ``(year, body_ids) -> {body_id: ComponentValue}`` named in
``supervision/assessment.toml``. It lives here because the portal owns complaints and sits above
supervision (architecture.md: an app never imports the apps after it); supervision reaches it by
the dotted name in its configuration.

The handling step records whether a complaint was upheld (成立 / 部分成立 / 不成立): the
assessment counts the upheld ones (``complaints_upheld``); the workload pages still count the
accepted ones (a complaint in handling has no finding yet). The parties' ratings of acts
(行政执法评议) give the satisfaction rate per body (``rating_satisfaction``)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Iterable

from django.db.models import Count, Q, QuerySet

from zhifa.registry.models import Officer
from zhifa.supervision.assessment_components import ComponentValue, detail_url

from . import rules
from .models import ActRating, Complaint

ACCEPTED = (Complaint.States.ACCEPTED, Complaint.States.HANDLED, Complaint.States.ANSWERED)


def _per_body(qs: QuerySet, body_ids: list[int]) -> dict[int, int]:
    return dict(qs.filter(body_id__in=body_ids).values("body_id").annotate(n=Count("id"))
                .values_list("body_id", "n").order_by())


def _per_ten_officers(year: int, body_ids: Iterable[int], qs: QuerySet, component: str) -> dict[int, ComponentValue]:
    """The rows of ``qs`` per body per ten active certified officers of the body."""
    body_ids = list(body_ids)
    officers = dict(Officer.objects.filter(body_id__in=body_ids, status=Officer.Status.ACTIVE, is_auxiliary=False)
                    .values("body_id").annotate(n=Count("id")).values_list("body_id", "n").order_by())
    counts = _per_body(qs, body_ids)
    return {b: ComponentValue((Decimal(counts.get(b, 0)) * 10 / n).quantize(Decimal("0.01")), detail_url(year, b, component))
            for b, n in officers.items() if n}


def _upheld(year: int) -> QuerySet:
    return Complaint.objects.filter(finding__in=rules.UPHELD_FINDINGS, received_on__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)))


def complaints_upheld(year: int, body_ids: Iterable[int]) -> dict[int, ComponentValue]:
    """Complaints of the year found upheld or partly upheld per ten active certified officers."""
    return _per_ten_officers(year, body_ids, _upheld(year), "complaints")


def upheld_rows(year: int, body_id: int):
    return (_upheld(year).filter(body_id=body_id).only("id", "tracking_code", "kind", "subject", "state", "finding", "received_on")
            .order_by("received_on", "id"))


def rating_satisfaction(year: int, body_ids: Iterable[int]) -> dict[int, ComponentValue]:
    """满意率 of the year's ratings per body: (满意 + 基本满意) ÷ ratings × 100; bodies without
    ratings are absent (the TOML's ``when_missing`` decides)."""
    rows = (ActRating.objects.filter(body_id__in=list(body_ids), rated_on__year=year).values("body_id").order_by()
            .annotate(total=Count("id"), good=Count("id", filter=Q(level__in=("satisfied", "basic")))))
    return {r["body_id"]: ComponentValue((Decimal(r["good"]) * 100 / r["total"]).quantize(Decimal("0.01")),
                                         detail_url(year, r["body_id"], "ratings")) for r in rows}


def rating_rows(year: int, body_id: int):
    return (ActRating.objects.filter(body_id=body_id, rated_on__year=year)
            .only("id", "act_kind", "act_id", "level", "aspects", "reasons", "rated_on").order_by("rated_on", "id"))


def complaint_rows(year: int, body_id: int):
    return (Complaint.objects.filter(body_id=body_id, state__in=ACCEPTED, received_on__year=year)
            .only("id", "tracking_code", "kind", "subject", "state", "received_on").order_by("received_on", "id"))


def complaints_accepted(year: int, body_ids: Iterable[int]) -> dict[int, ComponentValue]:
    """Accepted complaints of the year per ten active certified officers of the body."""
    return _per_ten_officers(year, body_ids, Complaint.objects.filter(state__in=ACCEPTED, received_on__year=year), "complaints")


def complaints_per_body(year: int, body_ids: Iterable[int]) -> dict[int, int]:
    """Accepted complaints of the year per body (the workload page shows them by body)."""
    return _per_body(Complaint.objects.filter(state__in=ACCEPTED, received_on__year=year), list(body_ids))


def complaints_per_officer(since, officer_ids: Iterable[int]) -> dict[int, int]:
    """Accepted complaints received since ``since`` that name a case of the officer by its number
    (``act_reference``, the document number the complainant quotes): one GROUP BY over the
    officers' links to their cases, each counted by a subquery on the case's body (the index
    body, state, received_at serves it)."""
    from django.db.models import IntegerField, OuterRef, Subquery, Sum
    from django.db.models.functions import Coalesce

    from zhifa.cases.models import Case

    per_case = (Complaint.objects.filter(body_id=OuterRef("case__body_id"), act_reference=OuterRef("case__number"), state__in=ACCEPTED, received_on__gte=since)
                .order_by().values("act_reference").annotate(n=Count("id")).values("n")[:1])
    rows = (Case.officers.through.objects.filter(officer_id__in=list(officer_ids)).exclude(case__number="")
            .annotate(n=Coalesce(Subquery(per_case, output_field=IntegerField()), 0))
            .values("officer_id").annotate(total=Sum("n")).values_list("officer_id", "total").order_by())
    return {officer: total for officer, total in rows if total}
