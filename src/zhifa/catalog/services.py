"""Write use cases of the item catalogue: item versions (事项版本, R09).

Items are versioned, adjusted as laws change. A revision is a new row; the old row stays, with its
cases, benchmarks and list entries, as the version that applied until the day before the new one.

**Codes.** ``Item.code`` stays unique. The canonical code (e.g. ``SHJ-CF-0042``) always names the
*current* version, so every lookup by code (API, importers, the case workflow, the assess page)
gets the version in force now without change. A superseded version is archived under
``<code>@v<version>`` (``SHJ-CF-0042@v1``). The version in force on another day (the day of the
act, APL art.37) is found by ``item_version_on(code, day)``: one query over the canonical code and
its archived codes.

Visibility and permissions: the body's head or the administrator revises an item
(``access.can_manage_body``).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from zhifa.core.violations import Refused, Violation
from zhifa.registry import access
from zhifa.registry.models import Delegation

from .models import Benchmark, BenchmarkGrade, ExemptionEntry, Factor, Item, ItemProvision, LegalReviewRule

VERSION_SEPARATOR = "@v"
REVISABLE_FIELDS = frozenset({"name", "sub_name", "kind", "legal_basis", "handling_unit", "level", "valid_to", "source", "source_seq"})
ITEM_NOT_CURRENT = "ITEM_NOT_CURRENT"
ITEM_VERSION_DATE = "ITEM_VERSION_DATE"
ITEM_CODE_TAKEN = "ITEM_CODE_TAKEN"


def archived_code(code: str, version: int) -> str:
    """The code of a superseded version: ``SHJ-CF-0042`` version 1 → ``SHJ-CF-0042@v1``."""
    return f"{code}{VERSION_SEPARATOR}{version}"


def canonical_code(code: str) -> str:
    """``SHJ-CF-0042@v1`` → ``SHJ-CF-0042``."""
    return code.split(VERSION_SEPARATOR, 1)[0]


def versions_of(code: str):
    """Every version of the item named ``code`` (canonical or archived), newest first. One query."""
    base = canonical_code(code)
    return Item.objects.filter(Q(code=base) | Q(code__startswith=f"{base}{VERSION_SEPARATOR}")).order_by("-version")


def item_version_on(code: str, day: dt.date, queryset=None) -> Item | None:
    """The version of ``code`` in force on ``day`` (APL art.37: the law at the time of the act),
    else None. ``queryset`` scopes the search (e.g. the items an actor may see). One query."""
    base = canonical_code(code)
    qs = (queryset if queryset is not None else Item.objects.all()).filter(
        Q(code=base) | Q(code__startswith=f"{base}{VERSION_SEPARATOR}"),
        Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day)),
    )
    return qs.order_by("-version").first()


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
    violations = []
    if Item.objects.filter(supersedes=old).exists() or VERSION_SEPARATOR in old.code:
        violations.append(Violation(ITEM_NOT_CURRENT, "只能修订现行版本的执法事项。", ""))
    if valid_from <= old.valid_from:
        violations.append(Violation(ITEM_VERSION_DATE, f"新版本的生效日期应晚于现行版本的生效日期（{old.valid_from.isoformat()}）。", ""))
    if old.valid_to is not None and valid_from > old.valid_to + dt.timedelta(days=1):
        violations.append(Violation(ITEM_VERSION_DATE, f"现行版本已于{old.valid_to.isoformat()}失效，新版本应自次日起生效。", ""))
    code = old.code
    archive = archived_code(code, old.version)
    if len(archive) > Item._meta.get_field("code").max_length:
        violations.append(Violation(ITEM_CODE_TAKEN, f"事项编码“{code}”过长，无法保存旧版本编码“{archive}”。", ""))
    elif Item.objects.filter(code=archive).exists():
        violations.append(Violation(ITEM_CODE_TAKEN, f"旧版本编码“{archive}”已被占用。", ""))
    if violations:
        raise Refused(violations)

    day_before = valid_from - dt.timedelta(days=1)
    old.code = archive
    old.valid_to = day_before
    old.save(update_fields=["code", "valid_to"])
    values = {f.name: getattr(old, f.name) for f in Item._meta.concrete_fields
              if f.name not in {"id", "code", "version", "supersedes", "valid_from", "valid_to"}}
    values.update(changes)
    new = Item.objects.create(**{**values, "code": code, "version": old.version + 1, "supersedes": old,
                                 "valid_from": valid_from, "valid_to": changes.get("valid_to")})

    # Legal basis: hand-made links carried over, derived ones rebuilt for the new date.
    ItemProvision.objects.bulk_create([
        ItemProvision(item=new, provision_id=p.provision_id, role=p.role, paragraph=p.paragraph, cited_as="")
        for p in old.item_provisions.filter(cited_as="")
    ])
    from .provisions import link_items  # provisions imports models only; late to keep this module light

    link_items(Item.objects.filter(pk=new.pk))

    running = Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    entries = list(ExemptionEntry.objects.filter(running, item=old))
    for e in entries:
        starts = e.valid_from if e.valid_from and e.valid_from > valid_from else valid_from
        copy = ExemptionEntry(**{f.name: getattr(e, f.name) for f in ExemptionEntry._meta.concrete_fields if f.name != "id"})
        copy.item, copy.valid_from = new, starts
        copy.save()
        if e.valid_from is None or e.valid_from < valid_from:
            e.valid_to = day_before
            e.save(update_fields=["valid_to"])
        else:  # not yet started: it belongs to the new version only
            e.delete()
    LegalReviewRule.objects.filter(item=old).update(item=new)
    for d in Delegation.objects.filter(running, item=old, revoked_on__isnull=True):
        Delegation.objects.create(kind=d.kind, from_body_id=d.from_body_id, to_body_id=d.to_body_id, item=new,
                                  valid_from=max(d.valid_from, valid_from), valid_to=d.valid_to, document_ref=d.document_ref)
        if d.valid_from < valid_from:
            d.valid_to = day_before
            d.save(update_fields=["valid_to"])
        else:
            d.delete()

    if copy_benchmark:
        source = (Benchmark.objects.filter(item=old, status=Benchmark.Status.PUBLISHED, valid_from__lte=valid_from)
                  .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
                  .order_by("-valid_from", "-id").first())
        if source is not None:
            _copy_benchmark_as_draft(source, new, valid_from)
    return new


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
