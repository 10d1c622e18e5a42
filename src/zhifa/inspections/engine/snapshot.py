"""The register snapshot (名录快照): the whole register in credit code order, stored once per
register version, so that a draw of every entity need not read half a million rows again."""
from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass

import numpy as np
from django.db import connection

from zhifa.core import clock

from .. import bulk
from ..models import (
    Entity,
    FrozenList,
    RegisterSnapshot,
    RegisterVersion,
    without_lines,
)
from . import scan as scanning


@dataclass
class Snapshot:
    """The whole register in credit code order (``RegisterSnapshot`` ``pk``): its candidates
    section at weight ``RegisterSnapshot.WEIGHT`` and the entity ids in the same order."""

    pk: int
    count: int
    block: bytes
    ids: bytes


def register_version() -> int:
    """The register's version as this transaction sees it (``RegisterVersion``)."""
    return RegisterVersion.objects.filter(pk=1).values_list("n", flat=True).first() or 0  # no row before the first write


def register_snapshot(parallel: bool = False) -> Snapshot | None:
    """The whole register as this transaction sees it, for a draw of every entity: the stored
    snapshot of the current register version, or — the register changed since — the register read
    now (``scan.scan``, on two connections with ``parallel``) and stored for the next draws. ``None``
    off PostgreSQL (no version trigger) and for a register whose credit codes are not all 18
    characters long: the draw then reads the register itself.

    The version is read before the register: a snapshot is never labelled newer than what it
    holds, so a write committed in between only makes it useless, never wrong."""
    if not bulk.is_postgres():
        return None
    version = register_version()
    pk = RegisterSnapshot.objects.filter(version=version).order_by("-pk").values_list("pk", flat=True).first()
    if pk is not None:
        with suppress(LookupError):  # removed since by a draw on a newer register (only unreferenced ones are): read it ourselves
            return Snapshot(pk, *RegisterSnapshot.data(pk))
    scan = scanning.scan(Entity.objects.all(), RegisterSnapshot.WEIGHT, set(), set(), scoped=False, parallel=parallel)
    if len(scan.block) != RegisterSnapshot.LINE * scan.count:
        return None
    table = RegisterSnapshot._meta.db_table
    (pk,) = bulk.fetch_binary(f'INSERT INTO "{table}" (version, count, block, ids, created_at) VALUES (%s, %s, %b, %b, %s) RETURNING id',
                              [version, scan.count, scan.block, scan.ids, clock.now()])
    with connection.cursor() as cursor:  # only the newest is ever taken; older ones stay while a frozen list needs them
        cursor.execute(f'DELETE FROM "{table}" s WHERE s.id < %s AND NOT EXISTS '
                       f'(SELECT 1 FROM "{FrozenList._meta.db_table}" f WHERE f.snapshot_id = s.id)', [pk])
    RegisterSnapshot.remember(pk, (scan.count, scan.block, scan.ids))
    return Snapshot(pk, scan.count, scan.block, scan.ids)


def candidates_from(snapshot: Snapshot, weight: int, excluded: set[int], named: set[int]) -> scanning.Scan:
    """What ``scan.scan`` reads from the register, taken from its snapshot: the lines and ids of every
    entity but the ``excluded`` (their positions: ``Scan.gone``), with the task's weight, and the
    codes of the ``named``. Array operations over the ids and lines (numpy): byte for byte the
    section ``scan.scan`` builds."""
    table = np.frombuffer(snapshot.ids, dtype=">i8")
    at = np.flatnonzero(np.isin(table, np.fromiter(named, dtype=np.int64, count=len(named))))
    line = RegisterSnapshot.LINE
    found = list(zip(at.tolist(), table[at].tolist()))
    codes = {pk: snapshot.block[line * p:line * p + 18].decode() for p, pk in found}
    gone = [p for p, pk in found if pk in excluded]
    block, ids = without_lines(snapshot.count, snapshot.block, snapshot.ids, gone, weight)
    return scanning.Scan(block, snapshot.count - len(gone), ids, codes, gone)
