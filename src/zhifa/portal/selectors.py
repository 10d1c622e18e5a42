"""The staff side's reads of complaints (投诉举报): the list in the actor's scope (the body's head
and legal reviewers, the supervision office, the administrator), without the complainant's
identity unless the actor is the supervision office (SAMR20 art.33)."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from zhifa.core import clock
from zhifa.registry.access import Actor

from . import permissions
from .models import Complaint

STATE_CHOICES = [("", "全部")] + list(Complaint.States.choices)


@dataclass(frozen=True)
class ComplaintFilter:
    state: str = ""
    overdue: bool = False


def complaints(actor: Actor, f: ComplaintFilter = ComplaintFilter()) -> QuerySet[Complaint]:
    qs = permissions.visible(actor, Complaint.objects.select_related("body"))
    if f.state:
        qs = qs.filter(state=f.state)
    if f.overdue:
        qs = qs.filter(state=Complaint.States.RECEIVED, accept_due__lt=clock.today())
    return qs.order_by("-received_at", "-id")


def complaint(actor: Actor, complaint_id: int) -> Complaint | None:
    return permissions.visible(actor, Complaint.objects.select_related("body")).filter(pk=complaint_id).first()


def complaint_counts_since(since) -> list[tuple[int, str, str, int, int]]:
    """For supervision's alert rule COMPLAINTS_NEVER_ACTED (registered in ``apps.py``): per body
    and kind, the complaints received since ``since`` and how many were accepted, handled or
    answered — one GROUP BY query."""
    from django.db.models import Count, Q

    acted = [Complaint.States.ACCEPTED, Complaint.States.HANDLED, Complaint.States.ANSWERED]
    rows = (Complaint.objects.filter(received_on__gte=since).exclude(state=Complaint.States.ABUSIVE)
            .values("body_id", "body__name", "kind").annotate(received=Count("pk"), acted=Count("pk", filter=Q(state__in=acted)))
            .order_by("body_id", "kind"))
    return [(r["body_id"], r["body__name"], r["kind"], r["received"], r["acted"]) for r in rows]
