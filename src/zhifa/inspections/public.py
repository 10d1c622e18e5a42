"""What the public may see of random inspections (双随机、一公开): draws — the commitment before,
the result and everything needed to verify it after (the seed of a surprise inspection only once
the task has ended) — and the published inspection results (抽查结果公示), with the natural-person
data of individual businesses (个体工商户) redacted through ``core.redaction``.

An individual business without a trade name is registered under its operator's name (个体工商户
无字号的，以经营者姓名为名称), so such a name is masked like a person's (张某); any ID number or
phone number inside a name is masked wherever it stands; the address of an individual business
keeps only its area. Organisations' names and unified social credit codes are public by law.

Plain dicts, already redacted, paginated, with a constant number of queries. ``disclosed`` and
``draw_view`` are the one definition of what is public about a draw.
"""
from __future__ import annotations

import datetime as dt
import re

from django.db.models import Q, QuerySet

from zhifa.core import clock, redaction
from zhifa.core.pagination import Paging, page_of
from zhifa.registry.models import Officer

from .models import Draw, Entity, Inspection, Task

# A name that is only a person's name: 2–4 Han characters (an ethnic-minority name may run longer
# with its middle dot), nothing that names a business (店, 厂, 商行 …). Where unsure, the reading
# that protects the operator wins: only unmistakable business words keep a short name whole.
_PERSON_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$|^[\u4e00-\u9fff]{1,10}[·•][\u4e00-\u9fff]{1,10}$")
_BUSINESS_WORDS = re.compile(r"[店厂馆铺坊吧厅摊社]|商行|超市|公司|中心|经营部|门市")


def entity_name(name: str, kind: str) -> str:
    """An entity's name as published: an individual business named after its operator is masked
    (张某); numbers that look like ID or phone numbers are masked in every name."""
    name = (name or "").strip()
    if kind == Entity.Kind.INDIVIDUAL and _PERSON_NAME.match(name) and not _BUSINESS_WORDS.search(name):
        return redaction.mask_name(name)
    return redaction.redact_text(name)


def entity_address(address: str, kind: str) -> str:
    """An individual business's address keeps its area only (the operator often lives there)."""
    if kind == Entity.Kind.INDIVIDUAL:
        return redaction.mask_address(address or "")
    return redaction.redact_text(address or "")


def disclosed(draw: Draw, today: dt.date | None = None) -> bool:
    """Whether the public may see the seed and who was drawn. At once for announced tasks; for a
    surprise inspection (飞行检查) only after the task's period, or the seed would tell every
    entity in advance that it is to be inspected (the frozen list, the commitment and the result
    digest are public from the start, so the draw stays verifiable afterwards)."""
    if not draw.is_drawn:
        return False
    return draw.task.kind != Task.Kind.SURPRISE or (today or clock.today()) > draw.task.ends_on


def draw_view(draw: Draw, *, withhold: bool = False) -> dict:
    """What is public about a draw: before the reveal only the commitment; after it the secret,
    the witness, the seed and the result digest too — unless ``withhold`` (a surprise inspection
    not yet ``disclosed``), when the seed and what leads to it stay back until the task ends."""
    data = {
        "id": draw.pk, "task": draw.task_id, "task_title": draw.task.title, "algorithm": draw.algorithm,
        "status": draw.status, "committed_at": draw.committed_at.isoformat(), "scheduled_at": draw.scheduled_at.isoformat(),
        "document_digest": draw.document_digest, "commitment": draw.commitment,
        "candidate_count": draw.candidate_count, "excluded_count": draw.excluded_count,
        "inspector_count": draw.inspector_count, "sample": draw.sample,
    }
    if draw.is_drawn:
        data.update(result_digest=draw.result_digest, revealed_at=draw.revealed_at.isoformat())
        if withhold:
            data["disclosed_after"] = draw.task.ends_on.isoformat()
        else:
            data.update(secret=draw.secret, witness=draw.witness, witness_name=draw.witness_name, seed=draw.seed)
    if draw.is_refused and not withhold:
        data["refusal"] = draw.refusal
    return data


def draw_for_public(draw: Draw) -> dict:
    """``draw_view`` with the seed withheld while a surprise inspection is not ``disclosed``."""
    return draw_view(draw, withhold=draw.is_drawn and not disclosed(draw))


def draws(paging: Paging = Paging(), *, status: str = "") -> dict:
    """A page of draws as the public sees them, newest first. Two queries."""
    qs = Draw.objects.select_related("task")
    if status:
        qs = qs.filter(status=status)
    return page_of(qs.order_by("-committed_at", "-id"), paging, draw_for_public)


def draw(draw_id: int) -> dict | None:
    found = Draw.objects.select_related("task").filter(pk=draw_id).first()
    return draw_for_public(found) if found is not None else None


def inspection_rows(inspections: list[Inspection], *, insider: bool = False) -> list[dict]:
    """Drawn inspections as rows (rank, entity, inspectors, outcome once published): one query for
    the inspectors of them all. Outsiders see an outcome only once published (公示) and the
    entity's name redacted (``entity_name``); ``insider`` rows (the task's own staff) are whole."""
    officers = Officer.objects.in_bulk({pk for i in inspections for pk in i.inspector_ids})
    rows = []
    for i in inspections:
        shown = insider or i.published_on is not None
        rows.append({
            "id": i.pk, "rank": i.rank, "credit_code": i.entity.credit_code,
            "entity_name": i.entity.name if insider else entity_name(i.entity.name, i.entity.kind),
            "inspectors": [officers[pk].name for pk in i.inspector_ids if pk in officers],
            "outcome": i.outcome if shown else "", "outcome_label": i.get_outcome_display() if shown else "",
            "inspected_on": i.inspected_on if shown else None,
            "published_on": i.published_on,
        })
    return rows


def _page_of_inspections(qs: QuerySet[Inspection], paging: Paging) -> dict:
    envelope = page_of(qs.select_related("entity"), paging, lambda row: row)
    envelope["items"] = inspection_rows(envelope["items"])
    return envelope


def draw_result(draw_id: int, paging: Paging = Paging()) -> dict | None:
    """Who was drawn (entities and inspectors) once the draw is ``disclosed``; ``None`` before
    (or for an unknown draw). Four queries."""
    found = Draw.objects.select_related("task").filter(pk=draw_id).first()
    if found is None or not disclosed(found):
        return None
    return _page_of_inspections(Inspection.objects.filter(draw=found).order_by("rank"), paging)


def published_results(paging: Paging = Paging(), *, q: str = "") -> dict:
    """Published inspection results (抽查结果公示), newest first; ``q`` is part of a name or a whole
    credit code. Three queries."""
    qs = Inspection.objects.filter(published_on__isnull=False)
    if q.strip():
        text = q.strip()
        qs = qs.filter(Q(entity__name__icontains=text) | Q(entity__credit_code=text.upper()))
    return _page_of_inspections(qs.order_by("-published_on", "-id"), paging)


def exclusion_rows(exclusions) -> list[dict]:
    """Entities excluded from a draw by the inspection frequency, with the reason, redacted."""
    return [{"credit_code": e.entity.credit_code, "entity_name": entity_name(e.entity.name, e.entity.kind),
             "reason_code": e.reason_code, "reason": e.reason} for e in exclusions]


__all__ = ["disclosed", "draw", "draw_result", "draw_for_public", "draw_view", "draws", "entity_address", "entity_name", "exclusion_rows",
           "inspection_rows", "published_results"]
