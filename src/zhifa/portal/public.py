"""What the public reads of the portal's own data: a complaint followed by its tracking code
(state, dates, the answer — never the reporter's identity, which the reporter already knows and a
leaked code must not reveal), and the case guidance library with its Chinese search.

Search: ``icontains`` over the title, keywords, summary, points of law and legal basis — a
substring match, so 食品 finds 食品安全 on SQLite and PostgreSQL alike (no FTS index: the library is
hundreds of cases, not millions). Plain dicts, a constant number of queries.
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from zhifa.core import redaction
from zhifa.core.pagination import Paging, page_of

from . import rules
from .models import Complaint, GuidanceCase


def tracked_complaint(code: str) -> dict | None:
    """A complaint by its tracking code as its filer follows it, or ``None``. One query."""
    code = (code or "").strip().upper()
    if not rules.valid_tracking_code(code):
        return None
    found = Complaint.objects.select_related("body").filter(tracking_code=code).first()
    if found is None:
        return None
    state = rules.State(found.state)
    return {
        "tracking_code": found.tracking_code, "kind_label": found.get_kind_display(), "body_name": found.body.name,
        "subject": redaction.redact_text(found.subject), "received_on": found.received_on,
        "accept_due": found.accept_due, "state": state.value, "state_label": state.label,
        "decided_on": found.decided_on, "anonymous": found.anonymous,
        "reason": redaction.redact_text(found.state_reason) if state in (rules.State.REJECTED, rules.State.ABUSIVE) else "",
        "answer": redaction.redact_text(found.answer) if state == rules.State.ANSWERED else "",
        "answered_on": found.answered_on,
        "steps": [
            ("登记", found.received_on),
            ("受理决定", found.decided_on),
            ("答复", found.answered_on),
        ],
    }


def _guidance(case: GuidanceCase) -> dict:
    return {
        "id": case.pk, "number": case.number, "title": case.title, "domain": case.domain,
        "body_name": case.body.name if case.body_id else "", "keywords": case.keywords,
        "summary": redaction.redact_text(case.summary), "points_of_law": redaction.redact_text(case.points_of_law),
        "legal_basis": case.legal_basis, "published_on": case.published_on,
    }


def guidance_cases(paging: Paging = Paging(), *, q: str = "", domain: str = "") -> dict:
    """Published guidance cases, newest first; ``q`` a substring of the title, keywords, summary,
    points of law or legal basis (each word of ``q`` must match). Two queries."""
    qs = GuidanceCase.objects.select_related("body").filter(is_published=True)
    for word in (q or "").split()[:5]:
        qs = qs.filter(Q(title__icontains=word) | Q(keywords__icontains=word) | Q(summary__icontains=word)
                       | Q(points_of_law__icontains=word) | Q(legal_basis__icontains=word))
    if domain:
        qs = qs.filter(domain=domain)
    return page_of(qs.order_by("-published_on", "-id"), paging, _guidance)


def guidance_case(case_id: int) -> dict | None:
    found = GuidanceCase.objects.select_related("body").filter(pk=case_id, is_published=True).first()
    return _guidance(found) if found is not None else None


def guidance_domains() -> list[str]:
    return list(GuidanceCase.objects.filter(is_published=True).order_by("domain").values_list("domain", flat=True)
                .distinct())


def complaint_statistics(year: int) -> dict:
    """Complaint statistics published periodically (SAMR20 art.34): the year's complaints and
    reports by state and by body, counts only. Two queries."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    qs = Complaint.objects.filter(received_on__gte=start, received_on__lte=end)
    by_state = {row["state"]: row["n"] for row in qs.values("state").annotate(n=Count("id")).order_by()}
    by_body = [{"body_name": row["body__name"], "count": row["n"]}
               for row in qs.values("body__name").annotate(n=Count("id")).order_by("-n", "body__name")[:20]]
    return {"year": year, "total": sum(by_state.values()),
            "by_state": [(state.label, by_state.get(state.value, 0)) for state in rules.State],
            "by_body": by_body}
