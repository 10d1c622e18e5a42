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
from .models import ActRating, Article, Complaint, ContactPoint, GuidanceCase, WorkPlan


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
        "finding_label": rules.FINDINGS.get(found.finding, "") if state == rules.State.ANSWERED else "",
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


# --- Ratings in aggregate (行政执法评议) ----------------------------------------------------------

def rating_summary(year: int, body_id: int | None = None) -> list[dict]:
    """Per body, the year's ratings: count, each level and the satisfaction rate — counts only,
    never a rating's text. One GROUP BY query."""
    qs = ActRating.objects.filter(rated_on__year=year)
    if body_id is not None:
        qs = qs.filter(body_id=body_id)
    rows = (qs.values("body_id", "body__name").order_by("body__name", "body_id")
            .annotate(total=Count("id"), satisfied=Count("id", filter=Q(level="satisfied")),
                      basic=Count("id", filter=Q(level="basic")), dissatisfied=Count("id", filter=Q(level="dissatisfied"))))
    return [{"body_id": r["body_id"], "body_name": r["body__name"], "total": r["total"], "satisfied": r["satisfied"],
             "basic": r["basic"], "dissatisfied": r["dissatisfied"],
             "satisfaction_rate": rules.satisfaction_rate(r["satisfied"], r["basic"], r["total"])} for r in rows]


# --- Filed work plans (R42), articles (普法), contact points -----------------------------------

def _plan(plan: WorkPlan) -> dict:
    return {"id": plan.pk, "body_id": plan.body_id, "body_name": plan.body.name, "kind": plan.kind,
            "kind_label": rules.PLAN_KINDS[plan.kind], "year": plan.year, "title": plan.title,
            "content": redaction.redact_text(plan.content), "filed_on": plan.filed_on, "accepted_on": plan.reviewed_on}


def filed_plans(paging: Paging = Paging(), *, body_id: int | None = None, year: int | None = None) -> dict:
    """The accepted (备案) plans, newest first; only the published bodies'. Two queries."""
    qs = WorkPlan.objects.select_related("body").filter(state="accepted", body__is_published=True)
    if body_id:
        qs = qs.filter(body_id=body_id)
    if year:
        qs = qs.filter(year=year)
    return page_of(qs.order_by("-year", "-reviewed_on", "-id"), paging, _plan)


def filed_plan(plan_id: int) -> dict | None:
    found = WorkPlan.objects.select_related("body").filter(pk=plan_id, state="accepted", body__is_published=True).first()
    return _plan(found) if found is not None else None


def _article(article: Article) -> dict:
    return {"id": article.pk, "body_id": article.body_id, "body_name": article.body.name, "title": article.title,
            "summary": redaction.redact_text(article.summary), "content": redaction.redact_text(article.content),
            "published_on": article.published_on}


def articles(paging: Paging = Paging(), *, q: str = "", body_id: int | None = None) -> dict:
    """Published law-popularisation articles; ``q`` a substring of title, summary or text (each
    word required, as the guidance library). Two queries."""
    qs = Article.objects.select_related("body").filter(state="published")
    for word in (q or "").split()[:5]:
        qs = qs.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(content__icontains=word))
    if body_id:
        qs = qs.filter(body_id=body_id)
    return page_of(qs.order_by("-published_on", "-id"), paging, _article)


def article(article_id: int) -> dict | None:
    found = Article.objects.select_related("body").filter(pk=article_id, state="published").first()
    return _article(found) if found is not None else None


def _contact(contact: ContactPoint) -> dict:
    return {"id": contact.pk, "kind": contact.kind, "kind_label": rules.CONTACT_KINDS[contact.kind], "name": contact.name,
            "organisation": contact.organisation, "body_name": contact.body.name if contact.body_id else "",
            "jurisdiction_name": contact.jurisdiction.name, "term_start": contact.term_start, "term_end": contact.term_end}


def contacts(today: dt.date, paging: Paging = Paging(), *, kind: str = "") -> dict:
    """Contact points and special supervisors serving on ``today`` (never their channel code).
    Two queries."""
    qs = (ContactPoint.objects.select_related("body", "jurisdiction")
          .filter(term_start__lte=today, term_end__gte=today, ended_on__isnull=True))
    if kind in rules.CONTACT_KINDS:
        qs = qs.filter(kind=kind)
    return page_of(qs.order_by("kind", "jurisdiction__path", "name", "id"), paging, _contact)


def act_rated(kind: str, number: int) -> dict | None:
    """The act's rating as its party sees it on the act's page (level and date), or ``None``."""
    found = ActRating.objects.filter(act_kind=kind, act_id=number).values("level", "rated_on").first()
    return {"level_label": rules.RATING_LEVELS[found["level"]], "rated_on": found["rated_on"]} if found else None
