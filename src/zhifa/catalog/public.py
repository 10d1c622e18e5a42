"""What the public may see of the catalog (公开信息): the power lists (权责清单) of published bodies
(R09), and the discretion benchmarks (裁量基准) as published (APL art.34: only a published
benchmark applies, so only published versions are shown; drafts stay with their body), and the
three lists (三张清单: 免罚轻罚清单 R11, 重大执法决定法制审核清单 R12, 音像记录事项目录 R13) as published.

Plain dicts, public fields only, a constant number of queries per call. ``published_items`` is
the one definition of "public items" the unauthenticated API uses too.
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet

from zhifa.core import clock
from zhifa.core.pagination import Paging, page_of

from . import selectors
from .models import Benchmark, BenchmarkGrade, ExemptionEntry, Item, LegalReviewRule, RecordingRule


def published_items() -> QuerySet[Item]:
    """Items of published bodies (R09: the power lists are public once the body is)."""
    return Item.objects.select_related("body").filter(body__is_published=True)


def _item(item: Item, today: dt.date) -> dict:
    return {
        "id": item.pk, "code": item.code, "name": item.name, "sub_name": item.sub_name, "full_name": item.full_name,
        "kind": item.kind, "kind_label": item.get_kind_display(), "legal_basis": item.legal_basis,
        "body_id": item.body_id, "body_name": item.body.name, "handling_unit": item.handling_unit, "level": item.level,
        "valid_from": item.valid_from, "valid_to": item.valid_to,
        "is_valid_today": item.valid_from <= today and (item.valid_to is None or today <= item.valid_to),
        "source_seq": item.source_seq,
    }


def items(paging: Paging = Paging(), *, q: str = "", body_id: int | None = None, kind: str = "",
          valid_on: dt.date | None = None) -> dict:
    """A page of published items; ``q`` searches name, sub-item, code and legal basis. Two queries."""
    qs = selectors.filter_items(published_items(), q=q, body=body_id, kind=kind, valid_on=valid_on)
    today = clock.today()
    return page_of(qs.order_by("body_id", "code", "id"), paging, lambda item: _item(item, today))


def item(code: str) -> dict | None:
    """One published item by code, or ``None``."""
    if not code or "\x00" in code or len(code) > 40:
        return None
    found = published_items().filter(code=code).first()
    return _item(found, clock.today()) if found is not None else None


def _grade(grade: BenchmarkGrade) -> dict:
    return {
        "order": grade.order, "name": grade.name, "conditions": grade.conditions, "penalty_kinds": grade.penalty_kinds,
        "amount_basis": grade.amount_basis, "basis_label": grade.basis_label,
        "amount_min": grade.amount_min, "amount_max": grade.amount_max,
        "confiscate_gains": grade.confiscate_gains, "confiscate_property": grade.confiscate_property,
        "other_penalties": grade.other_penalties, "standard_text": grade.standard_text,
    }


def _benchmark(benchmark: Benchmark) -> dict:
    return {
        "id": benchmark.pk, "item_code": benchmark.item.code, "item_name": benchmark.item.full_name,
        "body_id": benchmark.body_id, "body_name": benchmark.body.name, "version": benchmark.version,
        "published_on": benchmark.published_on, "valid_from": benchmark.valid_from, "valid_to": benchmark.valid_to,
        "title": benchmark.title, "legal_basis": benchmark.legal_basis,
        "statutory_min": benchmark.statutory_min, "statutory_max": benchmark.statutory_max,
        "grades": [_grade(grade) for grade in benchmark.grades.all()],
    }


def published_benchmarks() -> QuerySet[Benchmark]:
    """Published versions (not drafts, not withdrawn) of items of published bodies, grades prefetched."""
    return (Benchmark.objects.select_related("item__body", "body")
            .filter(status=Benchmark.Status.PUBLISHED, item__body__is_published=True)
            .prefetch_related(Prefetch("grades", queryset=BenchmarkGrade.objects.order_by("order", "id"))))


def benchmarks(paging: Paging = Paging(), *, item_code: str = "", in_force_on: dt.date | None = None) -> dict:
    """A page of published benchmarks with their grades, newest first; ``item_code`` limits to one
    item, ``in_force_on`` to the versions in force that day. Three queries."""
    qs = published_benchmarks()
    if item_code:
        qs = qs.filter(item__code=item_code)
    if in_force_on is not None:
        qs = qs.filter(selectors.in_force_on(in_force_on))
    return page_of(qs.order_by("-valid_from", "-id"), paging, _benchmark)


# --- The three lists (三张清单) as published: 免罚轻罚清单 (R11), 法制审核清单 (R12), 音像记录目录 (R13)

def _exemption(entry: ExemptionEntry) -> dict:
    return {
        "id": entry.pk, "body_id": entry.body_id, "body_name": entry.body.name,
        "item_code": entry.item.code if entry.item_id else None, "act": entry.act,
        "kind": entry.kind, "kind_label": entry.get_kind_display(), "conditions": entry.conditions,
        "violated": entry.violated, "citation": entry.citation, "valid_from": entry.valid_from, "valid_to": entry.valid_to,
    }


def _review_rule(rule: LegalReviewRule) -> dict:
    return {
        "id": rule.pk, "body_id": rule.body_id, "body_name": rule.body.name,
        "item_code": rule.item.code if rule.item_id else None, "description": rule.description,
        "penalty_kinds": rule.penalty_kinds, "threshold_person": rule.threshold_person,
        "threshold_organisation": rule.threshold_organisation, "requires_hearing": rule.requires_hearing,
        "trigger": rule.trigger, "citation": rule.citation,
    }


def _recording_rule(rule: RecordingRule) -> dict:
    return {
        "id": rule.pk, "body_id": rule.body_id, "body_name": rule.body.name if rule.body_id else "",
        "act_kind": rule.act_kind, "act_kind_label": rule.get_act_kind_display(),
        "level": rule.level, "level_label": rule.get_level_display(), "citation": rule.citation,
    }


def _of_published_bodies(queryset: QuerySet, body_id: int | None) -> QuerySet:
    queryset = queryset.filter(is_published=True, body__is_published=True)
    return queryset.filter(body_id=body_id) if body_id is not None else queryset


def exemption_list(paging: Paging = Paging(), *, body_id: int | None = None, kind: str = "") -> dict:
    """免罚轻罚清单 (R11) as published: entries published by published bodies. Two queries."""
    qs = _of_published_bodies(ExemptionEntry.objects.select_related("body", "item"), body_id)
    if kind:
        qs = qs.filter(kind=kind)
    return page_of(qs.order_by("body_id", "id"), paging, _exemption)


def legal_review_list(paging: Paging = Paging(), *, body_id: int | None = None) -> dict:
    """重大执法决定法制审核清单 (R12) as published. Two queries."""
    qs = _of_published_bodies(LegalReviewRule.objects.select_related("body", "item"), body_id)
    return page_of(qs.order_by("body_id", "id"), paging, _review_rule)


def recording_list(paging: Paging = Paging(), *, body_id: int | None = None) -> dict:
    """音像记录事项目录 (R13): the national defaults (no body) and the rules of published bodies. Two queries."""
    qs = RecordingRule.objects.select_related("body").filter(Q(body__isnull=True) | Q(body__is_published=True))
    if body_id is not None:
        qs = qs.filter(Q(body__isnull=True) | Q(body_id=body_id))
    return page_of(qs.order_by("body_id", "act_kind", "id"), paging, _recording_rule)


__all__ = ["benchmarks", "exemption_list", "item", "items", "legal_review_list", "published_benchmarks", "published_items",
           "recording_list"]
