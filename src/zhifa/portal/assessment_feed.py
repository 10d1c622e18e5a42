"""What the portal gives the annual assessment (年度考核, R36): complaints per body, as a
component function ``(year, body_ids) -> {body_id: ComponentValue}`` named in
``supervision/assessment.toml``. It lives here because the portal owns complaints and sits above
supervision (architecture.md: an app never imports the apps after it); supervision reaches it by
the dotted name in its configuration.

The portal records whether a complaint was accepted, handled and answered, not whether it was
upheld (属实、成立): accepted complaints stand in for upheld ones until the handling step records
that finding."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Iterable

from django.db.models import Count

from zhifa.registry.models import Officer
from zhifa.supervision.assessment_components import ComponentValue, detail_url

from .models import Complaint

ACCEPTED = (Complaint.States.ACCEPTED, Complaint.States.HANDLED, Complaint.States.ANSWERED)


def complaint_rows(year: int, body_id: int):
    return (Complaint.objects.filter(body_id=body_id, state__in=ACCEPTED, received_on__year=year)
            .only("id", "tracking_code", "kind", "subject", "state", "received_on").order_by("received_on", "id"))


def complaints_accepted(year: int, body_ids: Iterable[int]) -> dict[int, ComponentValue]:
    """Accepted complaints of the year per ten active certified officers of the body."""
    body_ids = list(body_ids)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    officers = dict(Officer.objects.filter(body_id__in=body_ids, status=Officer.Status.ACTIVE, is_auxiliary=False)
                    .values("body_id").annotate(n=Count("id")).values_list("body_id", "n").order_by())
    counts = dict(Complaint.objects.filter(body_id__in=body_ids, state__in=ACCEPTED, received_on__range=(start, end))
                  .values("body_id").annotate(n=Count("id")).values_list("body_id", "n").order_by())
    return {b: ComponentValue((Decimal(counts.get(b, 0)) * 10 / n).quantize(Decimal("0.01")), detail_url(year, b, "complaints"))
            for b, n in officers.items() if n}


def complaints_per_body(year: int, body_ids: Iterable[int]) -> dict[int, int]:
    """Accepted complaints of the year per body (the workload page shows them by body)."""
    return dict(Complaint.objects.filter(body_id__in=list(body_ids), state__in=ACCEPTED, received_on__year=year)
                .values("body_id").annotate(n=Count("id")).values_list("body_id", "n").order_by())


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
