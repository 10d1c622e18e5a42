"""Published penalty decisions (行政处罚决定公示) as the public reads them: cases with a
``published_on`` and no ``publication_withdrawn_on`` (APL art.48: a decision revoked, confirmed
illegal or changed is withdrawn within three working days), redacted through ``core.redaction``.

A natural person's name is masked (张某) and their ID number kept to its first and last
character; free text (the act, the facts) has the party's name and address masked wherever they
occur, and every ID number, phone number, bank account and plate masked wherever it stands.
Organisations keep their name and unified social credit code (public by law). No phone number,
no age, nothing of the investigation leaves here.

Plain dicts, already redacted, paginated, with a constant number of queries.
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from zhifa.catalog.rules import PENALTY_KIND_LABELS, PenaltyKind
from zhifa.core import redaction
from zhifa.core.ledger import RecordEntry
from zhifa.core.pagination import Paging, page_of

from .models import Case


def published_decisions() -> QuerySet[Case]:
    """Decisions on public view: published and not withdrawn."""
    return (Case.objects.select_related("body", "item", "party")
            .filter(published_on__isnull=False, publication_withdrawn_on__isnull=True))


def _kind_label(code: str) -> str:
    try:
        return PENALTY_KIND_LABELS[PenaltyKind(code)]
    except ValueError:
        return code


def redact_case_text(case: Case, text: str) -> str:
    """``text`` of ``case`` as the public may read it (the party's name and address masked when a
    natural person, numbers masked always)."""
    person = case.party_kind == Case.PartyKind.PERSON
    party = case.party if case.party_id else None
    # A natural person's name and every address the case knows for them (住址, 送达地址) are masked.
    addresses = [a for a in (case.party_address, party.service_address if party else "") if a]
    names = [n for n in (case.party_name, party.name if party else "") if n]
    return redaction.redact_text(text or "", names=list(dict.fromkeys(names)) if person else [],
                                 addresses=list(dict.fromkeys(addresses)) if person else [])


def decision(case: Case) -> dict:
    """One published decision, redacted."""
    person = case.party_kind == Case.PartyKind.PERSON
    return {
        "id": case.pk, "number": case.number, "body_id": case.body_id, "body_name": case.body.name,
        "item_code": case.item.code, "item_name": case.item.full_name,
        "party_kind": case.party_kind, "party_name": redaction.party_name(case.party_name, natural_person=person),
        "party_id_code": redaction.party_id_code(case.party_id_code, natural_person=person),
        "act": redact_case_text(case, case.act_description), "facts": redact_case_text(case, case.facts),
        "act_date": case.act_date, "decision_kinds": list(case.decision_kinds or []),
        "decision_kind_labels": [_kind_label(code) for code in case.decision_kinds or []],
        "decision_amount": case.decision_amount, "decided_on": case.decided_on, "published_on": case.published_on,
    }


def decisions(paging: Paging = Paging(), *, q: str = "", body_id: int | None = None,
              published_from: dt.date | None = None, published_to: dt.date | None = None) -> dict:
    """A page of published decisions, newest first. ``q`` searches the decision number, the item
    and organisations' names (never a natural person's name: the public cannot search for one).
    Two queries."""
    qs = published_decisions()
    if q.strip():
        text = q.strip()
        qs = qs.filter(Q(number__icontains=text) | Q(item__name__icontains=text)
                       | Q(party_kind=Case.PartyKind.ORGANISATION, party_name__icontains=text))
    if body_id is not None:
        qs = qs.filter(body_id=body_id)
    if published_from is not None:
        qs = qs.filter(published_on__gte=published_from)
    if published_to is not None:
        qs = qs.filter(published_on__lte=published_to)
    return page_of(qs.order_by("-published_on", "-id"), paging, decision)


def decision_by_id(case_id: int) -> dict | None:
    found = published_decisions().filter(pk=case_id).first()
    return decision(found) if found is not None else None


def _withdrawal_reasons(cases: list[Case]) -> dict[int, str]:
    """The reason each case's publication was withdrawn, from its record (one query)."""
    reasons: dict[int, str] = {}
    streams = {f"case:{case.pk}": case for case in cases}
    entries = (RecordEntry.objects.filter(stream__in=list(streams), action="withdraw_publication")
               .order_by("stream", "-seq").values("stream", "payload"))
    for entry in entries:
        case = streams[entry["stream"]]
        if case.pk not in reasons:
            reasons[case.pk] = redact_case_text(case, str((entry["payload"] or {}).get("reason", "")))
    return reasons


def withdrawn_decisions(paging: Paging = Paging()) -> dict:
    """Decisions whose publication was withdrawn (APL art.48 ¶2: changed, revoked or confirmed
    void): only the decision number, the body, the withdrawal date and the reason (redacted) — the
    decision itself is no longer shown. Newest first. Three queries."""
    qs = Case.objects.select_related("body").filter(publication_withdrawn_on__isnull=False)
    envelope = page_of(qs.order_by("-publication_withdrawn_on", "-id"), paging, lambda case: case)
    reasons = _withdrawal_reasons(envelope["items"])
    envelope["items"] = [{"id": case.pk, "number": case.number, "body_name": case.body.name,
                          "withdrawn_on": case.publication_withdrawn_on, "reason": reasons.get(case.pk, "")}
                         for case in envelope["items"]]
    return envelope


def withdrawn_by_id(case_id: int) -> dict | None:
    """A withdrawn decision's public marker (number, body, date, reason), or ``None``."""
    found = Case.objects.select_related("body").filter(pk=case_id, publication_withdrawn_on__isnull=False).first()
    if found is None:
        return None
    return {"id": found.pk, "number": found.number, "body_name": found.body.name,
            "withdrawn_on": found.publication_withdrawn_on, "reason": _withdrawal_reasons([found]).get(found.pk, "")}


__all__ = ["decision", "decision_by_id", "decisions", "published_decisions", "redact_case_text", "withdrawn_by_id",
           "withdrawn_decisions"]
