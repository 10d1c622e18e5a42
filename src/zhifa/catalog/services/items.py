"""Item versions (事项版本, R09): revising an item is a new row; see the package docstring."""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from zhifa.core.usecase import use_case
from zhifa.core.violations import refuse_if_any
from zhifa.registry import access

from .. import provisions, rules
from ..models import Benchmark, BenchmarkGrade, Delegation, ExemptionEntry, Factor, Item, ItemProvision, LegalReviewRule
from ..selectors import VERSION_SEPARATOR, archived_code
from ..recording import record

REVISABLE_FIELDS = frozenset({"name", "sub_name", "kind", "legal_basis", "handling_unit", "level", "valid_to", "source", "source_seq"})
ITEM_NOT_CURRENT, ITEM_VERSION_DATE, ITEM_CODE_TAKEN = rules.ITEM_NOT_CURRENT, rules.ITEM_VERSION_DATE, rules.ITEM_CODE_TAKEN


def _validate_changes(item: Item, changes: Mapping[str, Any], valid_from: dt.date) -> None:
    errors: dict[str, list[str]] = {}
    for name in changes:
        if name not in REVISABLE_FIELDS:
            errors.setdefault(name, []).append("该字段不能通过修订变更（编码、实施主体、版本由系统维护；主体变更应新设事项）。")
    if "kind" in changes and changes["kind"] not in Item.Kind.values:
        errors.setdefault("kind", []).append("权力类型不在规定范围内。")
    for name in ("name", "legal_basis"):
        if name in changes and not str(changes[name] or "").strip():
            errors.setdefault(name, []).append("不能为空。")
    valid_to = changes.get("valid_to")
    if valid_to is not None and valid_to < valid_from:
        errors.setdefault("valid_to", []).append("失效日期不得早于新版本的生效日期。")
    for name, value in changes.items():
        if name in REVISABLE_FIELDS and isinstance(value, str):
            limit = Item._meta.get_field(name).max_length
            if limit and len(value) > limit:
                errors.setdefault(name, []).append(f"不得超过{limit}个字符。")
    if errors:
        raise ValidationError(errors)


@use_case
@transaction.atomic
def revise_item(item: Item, *, changes: Mapping[str, Any], valid_from: dt.date, actor: access.Actor,
                copy_benchmark: bool = True) -> Item:
    """Create the next version of ``item`` in force from ``valid_from`` (修订执法事项).

    - the old version ends the day before (``valid_to``) and is archived as ``<code>@v<n>``; the
      new one takes the canonical code, ``version + 1`` and ``supersedes`` the old one;
    - its legal basis is linked again to the articles in force on ``valid_from`` (links added by
      hand are carried over);
    - list entries and delegations still running on ``valid_from`` are closed the day before on
      the old version and continued on the new one; the legal-review rules move to the new one;
    - ``copy_benchmark``: the benchmark published and in force on ``valid_from`` is copied to the
      new version as a **draft** — it applies only once the body publishes it (APL art.34).

    Records ``revise`` on ``item:<code>`` (and ``continue`` on each continued delegation).
    Raises ``PermissionDenied`` (not the body's head or the administrator), ``ValidationError``
    (bad changes, with field messages) and ``Refused`` (not the current version, a date not after
    the current version's start, the archived code taken or too long).
    """
    old = Item.objects.select_for_update().filter(pk=item.pk).first()
    if old is None:
        raise ValidationError({"item": ["未找到该执法事项。"]})
    if not access.can_manage_body(actor, old.body_id):
        raise PermissionDenied("只有本主体负责人或系统管理员可以修订执法事项。")
    _validate_changes(old, changes, valid_from)
    _refuse_bad_revision(old, valid_from)

    code = old.code
    new = _new_version(old, changes, valid_from)
    _carry_legal_basis(old, new)
    moved_entries = _continue_list_entries(old, new, valid_from)
    LegalReviewRule.objects.filter(item=old).update(item=new)
    delegations = _continue_delegations(old, new, valid_from, actor)
    draft = _copy_applicable_benchmark(old, new, valid_from) if copy_benchmark else None
    record(f"item:{code}", "revise", {
        "code": code, "old_id": old.pk, "archived_code": old.code, "new_id": new.pk, "version": new.version,
        "valid_from": valid_from, "changes": dict(changes), "exemption_entries": moved_entries,
        "delegations": delegations, "benchmark_draft": draft.pk if draft else None,
    }, actor)
    return new


def _refuse_bad_revision(old: Item, valid_from: dt.date) -> None:
    archive = archived_code(old.code, old.version)
    max_length = Item._meta.get_field("code").max_length
    refuse_if_any(rules.revision_violations(
        is_current=not (Item.objects.filter(supersedes=old).exists() or VERSION_SEPARATOR in old.code),
        current_from=old.valid_from, current_to=old.valid_to, valid_from=valid_from, code=old.code, archive=archive,
        max_code_length=max_length, archive_taken=len(archive) <= max_length and Item.objects.filter(code=archive).exists(),
    ))


def _new_version(old: Item, changes: Mapping[str, Any], valid_from: dt.date) -> Item:
    """Archive ``old`` (ends the day before, code ``<code>@v<n>``) and create its successor."""
    code = old.code
    old.code = archived_code(code, old.version)
    old.valid_to = valid_from - dt.timedelta(days=1)
    old.save(update_fields=["code", "valid_to"])
    values = {f.name: getattr(old, f.name) for f in Item._meta.concrete_fields
              if f.name not in {"id", "code", "version", "supersedes", "valid_from", "valid_to"}}
    values.update(changes)
    return Item.objects.create(**{**values, "code": code, "version": old.version + 1, "supersedes": old,
                                  "valid_from": valid_from, "valid_to": changes.get("valid_to")})


def _carry_legal_basis(old: Item, new: Item) -> None:
    """Hand-made links carried over, derived ones rebuilt for the new date."""
    ItemProvision.objects.bulk_create([
        ItemProvision(item=new, provision_id=p.provision_id, role=p.role, paragraph=p.paragraph, cited_as="")
        for p in old.item_provisions.filter(cited_as="")
    ])
    provisions.link_items(Item.objects.filter(pk=new.pk))


def _running_on(day: dt.date) -> Q:
    return Q(valid_to__isnull=True) | Q(valid_to__gte=day)


def _continue_list_entries(old: Item, new: Item, valid_from: dt.date) -> list[int]:
    """Exemption-list entries (R11) still running: closed on the old version, continued on the
    new one; an entry not yet started belongs to the new version only. Returns the new entries' ids."""
    day_before = valid_from - dt.timedelta(days=1)
    continued = []
    for e in list(ExemptionEntry.objects.filter(_running_on(valid_from), item=old)):
        starts = e.valid_from if e.valid_from and e.valid_from > valid_from else valid_from
        copy = ExemptionEntry(**{f.name: getattr(e, f.name) for f in ExemptionEntry._meta.concrete_fields if f.name != "id"})
        copy.item, copy.valid_from = new, starts
        copy.save()
        continued.append(copy.pk)
        if e.valid_from is None or e.valid_from < valid_from:
            e.valid_to = day_before
            e.save(update_fields=["valid_to"])
        else:  # not yet started: it belongs to the new version only
            e.delete()
    return continued


def _continue_delegations(old: Item, new: Item, valid_from: dt.date, actor: access.Actor) -> list[int]:
    """Delegations (R03) still running: closed on the old version, continued on the new one.
    Each continued delegation records ``continue`` on its new stream. Returns the new ids."""
    day_before = valid_from - dt.timedelta(days=1)
    continued = []
    for d in Delegation.objects.select_for_update().filter(_running_on(valid_from), item=old, revoked_on__isnull=True):
        copy = Delegation.objects.create(kind=d.kind, from_body_id=d.from_body_id, to_body_id=d.to_body_id, item=new,
                                         valid_from=max(d.valid_from, valid_from), valid_to=d.valid_to,
                                         document_ref=d.document_ref)
        continued.append(copy.pk)
        record(copy.stream, "continue", {"previous_id": d.pk, "item_id": new.pk, "item_code": new.code,
                                         "valid_from": copy.valid_from, "valid_to": copy.valid_to}, actor)
        if d.valid_from < valid_from:
            d.valid_to = day_before
            d.save(update_fields=["valid_to"])
        else:
            d.delete()
    return continued


def _copy_applicable_benchmark(old: Item, new: Item, valid_from: dt.date) -> Benchmark | None:
    source = (Benchmark.objects.filter(item=old, status=Benchmark.Status.PUBLISHED, valid_from__lte=valid_from)
              .filter(_running_on(valid_from))
              .order_by("-valid_from", "-id").first())
    return _copy_benchmark_as_draft(source, new, valid_from) if source is not None else None


def _copy_benchmark_as_draft(source: Benchmark, item: Item, valid_from: dt.date) -> Benchmark:
    skip = {"id", "item", "status", "published_on", "valid_from", "valid_to"}
    draft = Benchmark.objects.create(
        **{f.name: getattr(source, f.name) for f in Benchmark._meta.concrete_fields if f.name not in skip},
        item=item, status=Benchmark.Status.DRAFT, valid_from=valid_from,
    )
    BenchmarkGrade.objects.bulk_create([
        BenchmarkGrade(**{f.name: getattr(g, f.name) for f in BenchmarkGrade._meta.concrete_fields if f.name not in {"id", "benchmark"}},
                       benchmark=draft)
        for g in source.grades.all()
    ])
    Factor.objects.bulk_create([
        Factor(**{f.name: getattr(x, f.name) for f in Factor._meta.concrete_fields if f.name not in {"id", "benchmark"}},
               benchmark=draft)
        for x in source.factors.all()
    ])
    return draft
