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
