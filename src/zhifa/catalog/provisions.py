"""Legal provisions (R09) as data: load the shipped law texts into ``Law`` / ``Provision`` rows,
link items' free-text legal basis (实施依据) to the articles it names, and answer which version of
a law a case applies (APL art.37).

These are maintenance use cases run by the system (``zhifa load_laws``, ``zhifa demo``), not by
a user: they take no ``actor``. They are idempotent and run in bulk (a bounded number of queries
whatever the number of laws, articles and items).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import QuerySet

from zhifa.catalog import laws as lawtext
from zhifa.catalog.models import Item, ItemProvision, Law, Provision

LAWS_DIR = Path(__file__).resolve().parent / "laws_data"


# --- Loading ------------------------------------------------------------------------------------


@dataclass
class LoadReport:
    laws_created: int = 0
    laws_updated: int = 0
    provisions_created: int = 0
    provisions_updated: int = 0
    provisions_deleted: int = 0
    laws: int = 0
    provisions: int = 0


def parse_law_files(directory: Path | None = None) -> list[lawtext.ParsedLaw]:
    """Parse every ``名称(YYYY-MM-DD).md`` under ``directory`` (default: the shipped laws_data)."""
    root = Path(directory or LAWS_DIR)
    parsed = []
    for path in sorted(root.rglob("*.md")):
        if path.name == "SOURCES.md":
            continue
        parsed.append(lawtext.parse_law(path.read_text(encoding="utf-8"), path.relative_to(root).as_posix()))
    return parsed


def _sync_provisions(
    law: Law, articles: Iterable[lawtext.Article], existing: dict[tuple[int, int], Provision]
) -> tuple[list[Provision], list[Provision]]:
    create, update = [], []
    seen = set()
    for art in articles:
        key = (art.number, art.sub_number)
        if key in seen:  # a malformed file repeating a number: keep the first
            continue
        seen.add(key)
        values = dict(
            label=art.label, chapter=art.chapter[:100], section=art.section[:100], text=art.text,
            effective_from=law.effective_from, repealed_on=law.repealed_on,
        )
        row = existing.pop(key, None)
        if row is None:
            create.append(Provision(law=law, number=art.number, sub_number=art.sub_number, **values))
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            update.append(row)
    return create, update


def chain_versions(law_ids: Iterable[int] | None = None) -> None:
    """Link the versions of each law in order of effect: each version is superseded by the next
    one and stops being in force (``repealed_on``) the day the next one takes effect. The latest
    version keeps whatever repeal date an administrator has set. Provisions inherit the dates."""
    qs = Law.objects.all()
    if law_ids is not None:
        titles = Law.objects.filter(id__in=list(law_ids)).values_list("short_title", flat=True)
        qs = qs.filter(short_title__in=list(titles))
    groups: dict[str, list[Law]] = defaultdict(list)
    for law in qs.order_by("short_title", "effective_from", "version_date"):
        groups[law.short_title].append(law)
    changed: list[Law] = []
    for versions in groups.values():
        for older, newer in zip(versions, versions[1:]):
            if older.superseded_by_id != newer.id or older.repealed_on != newer.effective_from:
                older.superseded_by_id, older.repealed_on = newer.id, newer.effective_from
                changed.append(older)
        last = versions[-1]
        if last.superseded_by_id is not None:
            last.superseded_by_id = None
            changed.append(last)
    if changed:
        Law.objects.bulk_update(changed, ["superseded_by", "repealed_on"])
        for law in changed:
            Provision.objects.filter(law=law).update(effective_from=law.effective_from, repealed_on=law.repealed_on)


@transaction.atomic
def load_all_laws(directory: Path | None = None) -> LoadReport:
    """Load (or refresh) every law file into ``Law`` and ``Provision`` rows. Idempotent: a second
    run changes nothing. Versions are keyed by title and version date; an article's text is
    refreshed from its file; the versions of one law are chained (``chain_versions``)."""
    report = LoadReport()
    parsed = parse_law_files(directory)
    report.laws_created, report.laws_updated = _upsert_laws(parsed)
    by_key = {(law.title, law.version_date): law for law in Law.objects.filter(
        title__in=[p.title for p in parsed])}
    chain_versions(law.id for law in by_key.values())
    by_key = {(law.title, law.version_date): law for law in Law.objects.filter(id__in=[law.id for law in by_key.values()])}
    report.provisions_created, report.provisions_updated, report.provisions_deleted = _sync_all_provisions(parsed, by_key)
    report.laws = Law.objects.count()
    report.provisions = Provision.objects.count()
    return report


def _upsert_laws(parsed: list[lawtext.ParsedLaw]) -> tuple[int, int]:
    """One ``Law`` row per (title, version date): created, or updated where the file changed."""
    existing = {(law.title, law.version_date): law for law in Law.objects.all()}
    new_laws, changed_laws = [], []
    for p in parsed:
        values = dict(
            short_title=p.short_title, level=p.level, issuing_organ=p.issuing_organ,
            effective_from=p.effective_from, history=p.history, source=p.source,
        )
        law = existing.get((p.title, p.version_date))
        if law is None:
            new_laws.append(Law(title=p.title, version_date=p.version_date, **values))
        elif any(getattr(law, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(law, k, v)
            changed_laws.append(law)
    if new_laws:
        Law.objects.bulk_create(new_laws)
    if changed_laws:
        Law.objects.bulk_update(changed_laws, ["short_title", "level", "issuing_organ", "effective_from", "history", "source"])
    return len(new_laws), len(changed_laws)


def _sync_all_provisions(parsed: list[lawtext.ParsedLaw], by_key: dict) -> tuple[int, int, int]:
    """Every law's articles as ``Provision`` rows: created, updated, or deleted when no longer
    in the file. Returns (created, updated, deleted)."""
    current: dict[int, dict[tuple[int, int], Provision]] = defaultdict(dict)
    for prov in Provision.objects.filter(law_id__in=[law.id for law in by_key.values()]):
        current[prov.law_id][(prov.number, prov.sub_number)] = prov
    to_create: list[Provision] = []
    to_update: list[Provision] = []
    stale: list[int] = []
    for p in parsed:
        law = by_key[(p.title, p.version_date)]
        rows = current.get(law.id, {})
        create, update = _sync_provisions(law, p.articles, rows)
        to_create += create
        to_update += update
        stale += [row.id for row in rows.values()]  # articles no longer in the file
    if to_create:
        Provision.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        Provision.objects.bulk_update(
            to_update, ["label", "chapter", "section", "text", "effective_from", "repealed_on"], batch_size=500
        )
    if stale:
        Provision.objects.filter(id__in=stale).delete()
    return len(to_create), len(to_update), len(stale)


# --- Linking items ------------------------------------------------------------------------------


@dataclass
class LinkReport:
    items: int = 0
    items_linked: int = 0
    references: int = 0  # article references found in the legal-basis texts
    resolved: int = 0  # … that point to a loaded provision
    links: int = 0  # ItemProvision rows after the run, for these items
    unknown_laws: Counter = field(default_factory=Counter)  # title → unresolved references
    unknown_articles: list[str] = field(default_factory=list)  # 《title》第N条 not in the loaded text

    @property
    def resolved_share(self) -> float:
        return self.resolved / self.references if self.references else 0.0


def provision_role(item_kind: str, chapter: str, text: str, law_has_liability_chapter: bool) -> str:
    """The role of an article in an item's basis: for a penalty item, an article that sets the
    penalty (法律责任 chapter, naming a penalty) is the penalty provision (处罚条款); another article of
    the liability chapter (competence, aggravation) is another basis; an article elsewhere is the
    violated provision (违法条款). For any other item kind, every article is another basis."""
    if item_kind != Item.Kind.PENALTY:
        return ItemProvision.Role.OTHER
    article = lawtext.Article(0, 0, text, chapter)
    if lawtext.sets_penalty(article, law_has_liability_chapter):
        return ItemProvision.Role.PENALTY
    if lawtext.is_liability_chapter(chapter):
        return ItemProvision.Role.OTHER
    return ItemProvision.Role.VIOLATED


class _LawIndex:
    """All loaded laws and provisions in memory (a few thousand rows): three queries in all."""

    def __init__(self) -> None:
        self.versions: dict[str, list[Law]] = defaultdict(list)
        for law in Law.objects.order_by("effective_from"):
            self.versions[law.short_title].append(law)
        self.provisions: dict[tuple[int, int, int], tuple[int, str, str]] = {}
        self.liability: set[int] = set()
        for pid, law_id, number, sub, chapter, text in Provision.objects.values_list(
            "id", "law_id", "number", "sub_number", "chapter", "text"
        ):
            self.provisions[(law_id, number, sub)] = (pid, chapter, text)
            if lawtext.is_liability_chapter(chapter):
                self.liability.add(law_id)

    def law_for(self, title: str, day: dt.date | None) -> Law | None:
        versions = self.versions.get(lawtext.short_title(title))
        if not versions:
            return None
        if day is not None:
            found = lawtext.version_in_force(versions, day)
            if found is not None:
                return found
        return versions[-1]


@transaction.atomic
def link_items(items_qs: QuerySet[Item] | None = None) -> LinkReport:
    """Resolve the legal basis (实施依据) of the given items (default: all) to provisions and store
    the links (``ItemProvision``) with their role. Titles match with or without the 中华人民共和国
    prefix; the law version is the one in force on the item's ``valid_from`` (else the latest loaded).
    References to laws not loaded stay as text only and are counted in ``unknown_laws``.

    Idempotent: the links this function derives (those with ``cited_as`` set) are replaced; links
    added by hand without ``cited_as`` are kept.
    """
    report = LinkReport()
    index = _LawIndex()
    items = list((items_qs if items_qs is not None else Item.objects.all()).values_list("id", "kind", "legal_basis", "valid_from"))
    report.items = len(items)
    wanted: dict[tuple[int, int, int, str], str] = {}
    linked_items: set[int] = set()
    for item_id, kind, basis, valid_from in items:
        for ref in lawtext.parse_legal_basis(basis):
            law = index.law_for(ref.title, valid_from)
            for art in ref.articles:
                report.references += 1
                if law is None:
                    report.unknown_laws[ref.key] += 1
                    continue
                found = index.provisions.get((law.id, art.number, art.sub_number))
                if found is None:
                    report.unknown_articles.append(f"《{ref.key}》{art.cited_as}")
                    continue
                report.resolved += 1
                pid, chapter, text = found
                role = provision_role(kind, chapter, text, law.id in index.liability)
                wanted.setdefault((item_id, pid, art.paragraph, role), art.cited_as[:200])
                linked_items.add(item_id)
    item_ids = [i[0] for i in items]
    existing = {
        (row.item_id, row.provision_id, row.paragraph, row.role): row
        for row in ItemProvision.objects.filter(item_id__in=item_ids)
    }
    obsolete = [row.id for key, row in existing.items() if row.cited_as and key not in wanted]
    if obsolete:
        ItemProvision.objects.filter(id__in=obsolete).delete()
    ItemProvision.objects.bulk_create(
        [
            ItemProvision(item_id=i, provision_id=p, paragraph=para, role=role, cited_as=cited)
            for (i, p, para, role), cited in wanted.items()
            if (i, p, para, role) not in existing
        ],
        batch_size=500,
    )
    report.items_linked = len(linked_items)
    report.links = ItemProvision.objects.filter(item_id__in=item_ids).count()
    return report


# --- APL art.37 ---------------------------------------------------------------------------------


def law_versions(law_title: str) -> list[Law]:
    """All loaded versions of a law, oldest first; the title matches with or without 中华人民共和国."""
    return list(Law.objects.filter(short_title=lawtext.short_title(law_title)).order_by("effective_from"))


def applicable_version(
    law_title: str,
    act_date: dt.date,
    decision_date: dt.date,
    *,
    is_lighter: Callable[[Law, Law], bool] | None = None,
) -> lawtext.VersionChoice:
    """Which version of ``law_title`` a case applies (APL art.37, 从旧兼从轻): the version in force
    at the act, unless the version in force at the decision is lighter according to
    ``is_lighter(new, old)`` (the discretion engine compares penalties). See
    ``laws.choose_version`` for the cases and the reasons returned."""
    return lawtext.choose_version(law_versions(law_title), act_date, decision_date, is_lighter)
