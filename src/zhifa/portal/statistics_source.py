"""Complaints as a source of the statistics (投诉举报统计, R34): registered in
``settings.ZHIFA["STATISTICS_SOURCES"]`` because supervision, below the portal, cannot import it.
Counted by the date the complaint was registered (登记日期)."""
from __future__ import annotations

from zhifa.supervision.statistics_sources import Fact, FactMap, Source

from .models import Complaint


def complaint_facts(ids: list[int]) -> FactMap:
    rows = Complaint.objects.filter(pk__in=ids).values_list("pk", "body_id", "received_on")
    return {f"complaint:{pk}": [Fact("complaints", body, 0, day)] for pk, body, day in rows}


SOURCE = Source("complaint", complaint_facts,
                lambda: Complaint.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=5000))
