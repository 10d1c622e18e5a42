"""Keeping the statistics aggregates current (统计汇总的增量刷新, R34).

The full-process record (``core.ledger``) is the list of dirty keys: every act that can change a
figure appends an entry to its object's stream in the same transaction as the act. A refresh
reads the entries after the last one it saw (an indexed primary-key range), recomputes the facts
of the objects they name (``statistics_sources``), and applies the difference between the new
and the stored facts to the daily sums — so only the (body, item, level, day, measure) keys an
act touched change, and no page view scans the cases table. docs/statistics.md has the argument
for why the sums equal a recount, and the test that checks it.

Reading the statistics never refreshes them (the read path is pure). ``refresh()`` runs in the
task worker after every transaction that recorded an act on a statistics source (``on_record``,
queued on commit), when a statistics page or the API finds the aggregates behind the record
(``request_refresh``, one indexed read), from ``zhifa sweep`` and from ``zhifa refresh-statistics``;
``rebuild()`` (``--full``) recomputes everything.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from decimal import Decimal
from itertools import islice

from django.db import connection, transaction

from zhifa.core import clock, ledger
from zhifa.core.ledger import RecordEntry
from zhifa.core.usecase import use_case
from zhifa.core.txlocal import TransactionLocal

from ..models_statistics import StatBodyMonthly, StatBodyYearly, StatDaily, StatFact, StatMonthly, StatState, StatYearly
from ..statistics_sources import Fact, FactMap, body_levels, sources

log = logging.getLogger(__name__)

#: Entries read per refresh round (a larger backlog is read in several rounds).
BATCH = 20_000
#: Entries re-read behind the watermark: on PostgreSQL an entry with a smaller id can commit
#: after one with a larger id; re-reading a window is harmless, the refresh being idempotent.
LOOKBACK = 200
CHUNK = 2_000

Key = tuple[int, int, str, object, str]  # body, item, level, day, measure


def _key(fact: Fact, levels: dict[int, str]) -> Key:
    return (fact.body_id, fact.item_id, levels.get(fact.body_id, ""), fact.day, fact.measure)


def _state(lock: bool) -> StatState:
    StatState.objects.get_or_create(pk=1)
    qs = StatState.objects.all()
    if lock and connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True)
    return qs.filter(pk=1).first()


def _chunks(items, size=CHUNK):
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _apply(new: FactMap, levels: dict[int, str]) -> int:
    """Replace the stored facts of the sources in ``new`` and move the daily sums by the
    difference. Returns the number of daily keys changed."""
    delta: dict[Key, list] = defaultdict(lambda: [0, Decimal("0")])
    names = list(new)
    for chunk in _chunks(names):
        for f in StatFact.objects.filter(source__in=chunk).values_list("body_id", "item_id", "level", "day", "measure",
                                                                         "count", "amount"):
            d = delta[f[:5]]
            d[0] -= f[5]
            d[1] -= f[6]
        StatFact.objects.filter(source__in=chunk).delete()
    rows = []
    for source, facts in new.items():
        for fact in facts:
            key = _key(fact, levels)
            d = delta[key]
            d[0] += fact.count
            d[1] += fact.amount
            rows.append(StatFact(source=source, measure=fact.measure, body_id=fact.body_id, item_id=fact.item_id,
                                 level=key[2], day=fact.day, count=fact.count, amount=fact.amount))
    StatFact.objects.bulk_create(rows, batch_size=CHUNK)
    changed = {k: v for k, v in delta.items() if v[0] or v[1]}
    _move_daily(changed)
    return len(changed)


def _month(day) -> object:
    return day.replace(day=1)


def _year(day) -> object:
    return day.replace(month=1, day=1)


#: The sum tables: the model, its key fields, and the key of a daily key in it. Every one is
#: moved by the same deltas in the same transaction, so each equals the daily sums rolled up.
TABLES = (
    (StatDaily, ("body_id", "item_id", "level", "day", "measure"), lambda k: k),
    (StatMonthly, ("body_id", "item_id", "level", "month", "measure"), lambda k: (k[0], k[1], k[2], _month(k[3]), k[4])),
    (StatBodyMonthly, ("body_id", "level", "month", "measure"), lambda k: (k[0], k[2], _month(k[3]), k[4])),
    (StatYearly, ("body_id", "item_id", "level", "year", "measure"), lambda k: (k[0], k[1], k[2], _year(k[3]), k[4])),
    (StatBodyYearly, ("body_id", "level", "year", "measure"), lambda k: (k[0], k[2], _year(k[3]), k[4])),
)


def _rollups(daily: dict) -> list[tuple[type, tuple, dict]]:
    """The daily sums (or deltas) rolled up into each table's keys."""
    out = []
    for model, fields, key_of in TABLES:
        sums: dict = defaultdict(lambda: [0, Decimal("0")])
        for key, (count, amount) in daily.items():
            acc = sums[key_of(key)]
            acc[0] += count
            acc[1] += amount
        out.append((model, fields, {k: v for k, v in sums.items() if v[0] or v[1]}))
    return out


def _move_daily(changed: dict[Key, list]) -> None:
    for model, fields, deltas in _rollups(changed):
        _move(model, fields, deltas)


def _move(model, fields: tuple, changed: dict) -> None:
    """Add ``changed`` (key → [count, amount]) to ``model``'s rows: update, create or drop."""
    date_at = next(i for i, name in enumerate(fields) if name in ("day", "month", "year"))
    date_field = fields[date_at]
    measures = sorted({key[-1] for key in changed})
    existing: dict = {}
    # by date and measure first (the tables' leading index), then the exact keys in Python
    for chunk in _chunks(sorted({key[date_at] for key in changed}), 300):
        dates = set(chunk)
        bodies = sorted({key[0] for key in changed if key[date_at] in dates})
        for row in model.objects.filter(**{f"{date_field}__in": chunk, "measure__in": measures, "body_id__in": bodies}):
            key = tuple(getattr(row, f) for f in fields)
            if key in changed:
                existing[key] = row
    create, update, drop = [], [], []
    for key, (count, amount) in changed.items():
        row = existing.get(key)
        if row is None:
            create.append(model(**dict(zip(fields, key)), count=count, amount=amount))
            continue
        row.count += count
        row.amount += amount
        (drop if row.count == 0 and row.amount == 0 else update).append(row)
    model.objects.bulk_create(create, batch_size=CHUNK)
    model.objects.bulk_update(update, ["count", "amount"], batch_size=CHUNK)
    for chunk in _chunks([r.pk for r in drop]):
        model.objects.filter(pk__in=chunk).delete()


def _facts_for_streams(streams: set[str]) -> FactMap:
    known = sources()
    ids: dict[str, list[int]] = defaultdict(list)
    for stream in streams:
        kind, _, key = stream.partition(":")
        if kind in known and key.isdigit():
            ids[kind].append(int(key))
    new: FactMap = {}
    for kind, pks in ids.items():
        for chunk in _chunks(sorted(pks)):
            found = known[kind].facts(chunk)
            new.update(found)
            # An object that no longer exists (or never produced a row) contributes nothing.
            for pk in chunk:
                new.setdefault(f"{kind}:{pk}", [])
    return new


@use_case(derived=True)
def refresh(*, force: bool = False) -> int:
    """Bring the aggregates up to the latest record entry; returns the daily keys changed.
    Without ``force`` it returns at once when no entry is newer than the last applied one (the
    look-back window is then re-read by the next refresh that has new entries, or the sweep's).

    Concurrent refreshes do not wait for one another: on PostgreSQL the state row is locked
    with SKIP LOCKED and a second refresh returns at once (the first one covers its entries)."""
    changed = 0
    current = StatState.objects.filter(pk=1).values_list("last_entry_id", "full_at").first()
    if current is None or current[1] is None:
        rebuild()  # first use: the data may predate the aggregates (migrations, demo, restore)
    elif not force and not RecordEntry.objects.filter(pk__gt=current[0]).exists():
        return 0  # nothing new: a page view takes no lock and writes nothing
    while True:
        with transaction.atomic():
            state = _state(lock=True)
            if state is None:
                return changed
            entries = list(RecordEntry.objects.filter(pk__gt=max(state.last_entry_id - LOOKBACK, 0))
                           .order_by("pk").values_list("pk", "stream")[:BATCH + LOOKBACK])
            if not entries or (entries[-1][0] <= state.last_entry_id and not force):
                if state.refreshed_at is None:
                    state.refreshed_at = clock.now()
                    state.save(update_fields=["refreshed_at"])
                return changed
            kinds = set(sources())
            streams = {s for _, s in entries if s.partition(":")[0] in kinds}
            changed += _apply(_facts_for_streams(streams), body_levels()) if streams else 0
            state.last_entry_id = entries[-1][0]
            state.refreshed_at = clock.now()
            state.save(update_fields=["last_entry_id", "refreshed_at"])
            if len(entries) < BATCH:
                return changed


@use_case
def rebuild(*, actor=None) -> dict[str, int]:
    """Recompute every fact and daily sum from the source tables (``zhifa refresh-statistics
    --full``): after a restore, a data correction made outside the services, or a change of the
    measures. Records one entry on the ``statistics:aggregates`` stream."""
    levels = body_levels()
    counts: dict[str, int] = {}
    with transaction.atomic():
        state = _state(lock=False)
        StatState.objects.filter(pk=1).select_for_update().first()
        last = RecordEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        StatFact.objects.all().delete()
        for model, _, _ in TABLES:
            model.objects.all().delete()
        sums: dict[Key, list] = defaultdict(lambda: [0, Decimal("0")])
        for kind, source in sources().items():
            n = 0
            for chunk in _chunks(source.all_ids(), 5000):
                rows = []
                for name, facts in source.facts(chunk).items():
                    for fact in facts:
                        key = _key(fact, levels)
                        s = sums[key]
                        s[0] += fact.count
                        s[1] += fact.amount
                        rows.append(StatFact(source=name, measure=fact.measure, body_id=fact.body_id, item_id=fact.item_id,
                                             level=key[2], day=fact.day, count=fact.count, amount=fact.amount))
                StatFact.objects.bulk_create(rows, batch_size=CHUNK)
                n += len(chunk)
            counts[kind] = n
        for model, fields, rows in _rollups(sums):
            model.objects.bulk_create((model(**dict(zip(fields, k)), count=v[0], amount=v[1]) for k, v in rows.items()),
                                      batch_size=CHUNK)
        now = clock.now()
        StatState.objects.filter(pk=state.pk).update(last_entry_id=last, refreshed_at=now, full_at=now)
        ledger.append("statistics:aggregates", "rebuild", {"label": "全量重建统计汇总表", "objects": counts,
                                                           "daily_rows": sum(1 for v in sums.values() if v[0] or v[1])},
                      actor=actor, actor_name="" if actor else "系统")
    return counts


def _queue_refresh() -> None:
    from ..tasks import refresh_statistics

    try:
        refresh_statistics.enqueue()
    except Exception:  # pragma: no cover - logged; the next page view or the nightly sweep catches up
        log.exception("统计汇总刷新任务排队失败")


@use_case(derived=True)
def on_record(sender=None, instance: RecordEntry | None = None, created: bool = False, raw: bool = False, **kwargs) -> None:
    """``post_save`` of a record entry (connected in ``apps.py``): when the entry names a statistics
    source (``case:42``, ``draw:7`` …), queue one refresh for the task worker after the
    transaction commits — once per transaction, however many acts it records."""
    if not created or raw or instance is None or instance.stream.partition(":")[0] not in sources():
        return
    if _refresh_queued.get():
        return  # already queued at this transaction's commit
    transaction.on_commit(_queue_refresh)
    _refresh_queued.set(True)


# Whether the running transaction has queued its refresh (gone at its commit or rollback). Not a
# reference to the connection's list of commit callbacks: keeping that list would keep a
# rolled-back transaction's callbacks alive (the documents' files are deleted when theirs are dropped).
_refresh_queued = TransactionLocal()


@use_case(derived=True)
def request_refresh() -> bool:
    """The explicit staleness check of the statistics pages, the API and the congress report: when
    the record has entries newer than the last applied one, queue a refresh for the task worker
    (the request does not wait for it; the page says the figures are being brought up to date).
    One indexed read when current. Returns whether the aggregates were behind."""
    current = StatState.objects.filter(pk=1).values_list("last_entry_id", "full_at").first()
    if current is not None and current[1] is not None and not RecordEntry.objects.filter(pk__gt=current[0]).exists():
        return False
    _queue_refresh()
    return True


@use_case(derived=True)
def sweep() -> str:
    """The daily work of ``zhifa sweep`` (``settings.ZHIFA["SWEEP_TASKS"]``)."""
    changed = refresh(force=True)
    return f"更新统计汇总：{changed} 个统计键有变化。"
