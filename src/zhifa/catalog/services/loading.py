"""Bulk loaders of the catalogue outside ``core.importing`` (法律文本载入, 清单载入): the shipped law
texts and their links to the items (R09), the default lists of each body (R12, R13) and the
published exemption list (R11). Spreadsheet imports registered with ``core.importing`` are
recorded by ``run_import``; these loaders record ONE entry per run themselves, with its counts:

- ``load_laws`` → ``import:laws`` (the files' sha256, laws and articles created/updated, links);
- ``seed_default_lists`` / ``load_demo_lists`` → ``list:review`` and ``list:recording``;
- ``load_exemption_list`` → ``import:exemption_list`` (the file's sha256, entries).

``actor`` is None when the system runs them (a command, the demo data).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from django.db import transaction

from zhifa.core.usecase import use_case
from zhifa.registry.models import Body

from .. import exemption_import, lists, provisions
from ..models import ExemptionEntry, Item
from ..recording import record


@dataclass
class LawsRun:
    """What one run of ``load_laws`` did."""

    loaded: provisions.LoadReport
    linked: provisions.LinkReport | None = None


@use_case
@transaction.atomic
def load_laws(directory: Path | None = None, *, link: bool = True, actor=None) -> LawsRun:
    """Load (or refresh) every law file into laws and articles, then (``link``) link every item's
    legal basis to the articles (``zhifa load_laws``). Idempotent. Records ``load`` on ``import:laws``."""
    root = Path(directory or provisions.LAWS_DIR)
    run = LawsRun(provisions.load_all_laws(root))
    if link:
        run.linked = provisions.link_items(Item.objects.all())
    loaded, linked = run.loaded, run.linked
    record("import:laws", "load", {
        "sha256": _digest(sorted(p for p in root.rglob("*.md") if p.name != "SOURCES.md")),
        "laws": loaded.laws, "laws_created": loaded.laws_created, "laws_updated": loaded.laws_updated,
        "provisions": loaded.provisions, "provisions_created": loaded.provisions_created,
        "provisions_updated": loaded.provisions_updated, "provisions_deleted": loaded.provisions_deleted,
        "items_linked": linked.items_linked if linked else None, "links": linked.links if linked else None,
    }, actor)
    return run


@use_case
@transaction.atomic
def seed_default_lists(body: Body, *, actor=None) -> lists.SeedResult:
    """Write the default legal-review list (R12) and recording catalogue (R13) of ``body``; rows
    already there are kept as the body edited them. Idempotent. Records on ``list:review`` and
    ``list:recording`` when it wrote anything."""
    result = lists.seed_bodies([body])
    _record_seed(result, [body.pk], actor)
    return result


@use_case
@transaction.atomic
def load_demo_lists(*, actor=None) -> lists.DemoListsResult:
    """The demo's lists: defaults for every body and the Jiangmen exemption list for ``SHJ``
    (``lists.load_demo_lists``). Records like ``seed_default_lists`` and ``load_exemption_list``."""
    bodies = list(Body.objects.order_by("pk"))
    result = lists.DemoListsResult(seeded=lists.seed_bodies(bodies))
    _record_seed(result.seeded, [b.pk for b in bodies], actor)
    body = next((b for b in bodies if b.code == lists.DEMO_EXEMPTION_BODY), None)
    source = f"{exemption_import.JIANGMEN_FILE} "
    if body is not None and not ExemptionEntry.objects.filter(body=body, source__startswith=source).exists():
        result.exemptions = load_exemption_list(body, keep_in_force=True, actor=actor)
    return result


@use_case
@transaction.atomic
def load_exemption_list(body: Body, path: Path | None = None, *, keep_in_force: bool = False, publish: bool = True,
                        actor=None, **options) -> exemption_import.LoadResult:
    """Write a published exemption list (免罚轻罚清单, R11) as entries of ``body``, all or nothing
    (``exemption_import.load_exemption_list``). Records ``load`` on ``import:exemption_list``
    when the file was written."""
    path = path or exemption_import.LISTS_DIR / exemption_import.JIANGMEN_FILE
    result = exemption_import.load_exemption_list(body, path, keep_in_force=keep_in_force, publish=publish, **options)
    if result.ok:
        record("import:exemption_list", "load", {
            "file": path.name, "sha256": _digest([path]), "body_id": body.pk, "created": result.created,
            "deleted": result.deleted, "matched": result.matched, "unmatched": len(result.unmatched),
            "keep_in_force": keep_in_force, "dry_run": False,
        }, actor)
    return result


def _record_seed(result: lists.SeedResult, body_ids: list[int], actor) -> None:
    if result.review_rules:
        record("list:review", "seed_defaults", {"bodies": body_ids, "created": result.review_rules}, actor)
    if result.recording_rules:
        record("list:recording", "seed_defaults", {"bodies": body_ids, "created": result.recording_rules}, actor)


def _digest(paths: Iterable[Path]) -> str:
    """sha256 over the files' names and contents, in order."""
    h = hashlib.sha256()
    for p in paths:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()
