"""The draw (抽取, R28): the draw of a task, its frozen list, the register snapshot a draw of the
whole register reads, and the entities left out by frequency control. Data and constraints only
(imported at the end of ``models.py``, whose names they stay)."""
from __future__ import annotations

import zlib
from typing import Iterable

import numpy as np
from django.db import models

from .models import Entity, Task
from .rules import candidates_offset


class Draw(models.Model):
    """抽取: one verifiable draw of a task. Committed first (frozen list digest, commitment to a
    secret seed, time of the draw published); revealed once with the witness value; never redone."""

    class Status(models.TextChoices):
        COMMITTED = "committed", "已公布承诺，待抽取"
        REVEALED = "revealed", "已抽取并公开种子"
        REFUSED = "refused", "无法完成，已记录并公开种子"

    task = models.OneToOneField(Task, verbose_name="抽查任务", on_delete=models.PROTECT, related_name="draw")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.COMMITTED)
    algorithm = models.CharField("算法", max_length=20)
    committed_at = models.DateTimeField("公布承诺时间")
    scheduled_at = models.DateTimeField("抽取时间")
    document_digest = models.CharField("冻结名单摘要（SHA-256）", max_length=64)
    candidate_count = models.PositiveIntegerField("候选对象数")
    excluded_count = models.PositiveIntegerField("频次排除数", default=0)
    inspector_count = models.PositiveIntegerField("候选检查人员数")
    sample = models.PositiveIntegerField("抽取户数")
    commitment = models.CharField("种子承诺（SHA-256）", max_length=64)
    secret = models.CharField("秘密种子", max_length=64, editable=False)
    witness = models.CharField("见证值", max_length=100, blank=True)
    witness_name = models.CharField("见证人", max_length=60, blank=True)
    seed = models.CharField("最终种子", max_length=64, blank=True)
    result_digest = models.CharField("结果摘要（SHA-256）", max_length=64, blank=True)
    revealed_at = models.DateTimeField("抽取时间（实际）", null=True, blank=True)
    refusal = models.TextField("拒绝原因", blank=True, help_text="种子使抽取无法完成时记录的原因；该抽取不得再以其他见证值重抽")

    class Meta:
        verbose_name = "抽取"
        verbose_name_plural = "抽取记录"
        ordering = ["-committed_at", "-id"]

    def __str__(self) -> str:
        return f"抽取 #{self.pk}（{self.task}）"

    @property
    def is_revealed(self) -> bool:
        return self.status == self.Status.REVEALED

    @property
    def is_refused(self) -> bool:
        return self.status == self.Status.REFUSED

    @property
    def is_drawn(self) -> bool:
        """The seed is public: revealed, or refused by the seed (never redone either way)."""
        return self.status != self.Status.COMMITTED

    def document_bytes(self) -> bytes:
        """The published frozen list (``FrozenList``)."""
        return FrozenList.read(self.pk)

    def document_text(self) -> str:
        return self.document_bytes().decode()


class FrozenList(models.Model):
    """冻结名单: the exact bytes of a draw's frozen list, whose SHA-256 was published at commit.
    In a table of its own so that a draw (listed on every plan and task page) never carries its
    list — ten megabytes at a city's half a million candidates. On PostgreSQL the bytes are
    stored as they are and the column is compressed by the database (lz4, migration 0007); they
    travel in binary format, as hex text they would cost several times more. Elsewhere they are
    zlib-compressed. A list whose candidates were taken from a register snapshot (a draw of the
    whole, unchanged register on PostgreSQL) keeps a reference instead of them: the snapshot, the
    positions left out, the weight, and ``document`` without its candidates section."""

    draw = models.OneToOneField(Draw, verbose_name="抽取", on_delete=models.CASCADE, primary_key=True, related_name="frozen_list")
    document = models.BinaryField("冻结名单", editable=False)
    candidate_ids = models.BinaryField(
        "候选对象编号", editable=False, default=b"",
        help_text="名单中每个候选对象在名录库中的编号，与名单同序，每个 8 字节（大端）；不公布，抽取时据此写入检查记录",
    )
    snapshot = models.ForeignKey(
        "RegisterSnapshot", verbose_name="名录快照", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="候选对象段取自该名录快照时，document 不含候选对象段：由快照去掉 gone 所列位置、按 weight 赋权还原",
    )
    gone = models.BinaryField("快照中排除的位置", editable=False, default=b"", db_default=b"", help_text="每个 4 字节（大端），升序")
    weight = models.PositiveSmallIntegerField("加权倍数", default=0, db_default=0)

    class Meta:
        verbose_name = "冻结名单"
        verbose_name_plural = verbose_name

    @classmethod
    def _columns(cls, draw_id: int) -> tuple[bytes, bytes, int | None, bytes, int]:
        from . import bulk

        names = ("document", "candidate_ids", "snapshot_id", "gone", "weight")
        if bulk.is_postgres():
            cols = ", ".join(f'"{name}"' for name in names)
            return bulk.fetch_binary(f'SELECT {cols} FROM "{cls._meta.db_table}" WHERE draw_id = %s', [draw_id])
        row = cls.objects.values_list(*names).get(draw_id=draw_id)
        return bytes(row[0]), bytes(row[1]), row[2], bytes(row[3]), row[4]

    @classmethod
    def read_both(cls, draw_id: int) -> tuple[bytes, bytes]:
        """The frozen list's bytes and its candidates' entity ids (8 bytes each, ``entity_ids_at``)."""
        document, ids, snapshot_id, gone, weight = cls._columns(draw_id)
        if snapshot_id is not None:
            block, ids = RegisterSnapshot.lines(snapshot_id, gone, weight)
            cut = candidates_offset(document)
            return document[:cut] + block + document[cut:], ids
        if not document.startswith(b"zhifa-draw-"):
            document = zlib.decompress(document)
        return document, zlib.decompress(ids) if ids[:1] == b"x" else ids

    @classmethod
    def read(cls, draw_id: int) -> bytes:
        """The frozen list's bytes."""
        return cls.read_both(draw_id)[0]


class RegisterVersion(models.Model):
    """名录版本: a counter the database raises with every statement that writes the entity
    register's credit codes, ids or weight tags (a statement-level trigger on PostgreSQL,
    migration 0009) — inside the writing transaction, so a reader sees the number that goes with
    the register it sees. ``RegisterSnapshot`` is valid while the number is unchanged."""

    n = models.BigIntegerField("版本号", default=0)

    class Meta:
        verbose_name = "名录版本"
        verbose_name_plural = verbose_name


class RegisterSnapshot(models.Model):
    """名录快照: the whole entity register as a draw reads it — a candidates section of every
    entity in credit code order (``code,1`` or, if on the abnormal-operation list or complained
    of, ``code,2``) and their ids in the same order, 8 bytes each — at register version
    ``version``. A draw of the whole register on an unchanged register takes its frozen list from
    here (less the excluded, weights applied) instead of reading half a million rows again; the
    daily ``zhifa sweep`` and a draw that finds the register changed store a new one. PostgreSQL
    only (the version needs the trigger); the columns are lz4-compressed there."""

    version = models.BigIntegerField("名录版本号")
    count = models.PositiveIntegerField("检查对象数")
    block = models.BinaryField("名录（信用代码,标记）", editable=False)
    ids = models.BinaryField("检查对象编号", editable=False)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "名录快照"
        verbose_name_plural = verbose_name

    WEIGHT = 2  # the weight a snapshot gives every flagged entity; a task's weight replaces it
    LINE = 21  # "<18-character credit code>,<weight digit>\n": every line of a snapshot
    _memo: dict[int, tuple[int, bytes, bytes]] = {}  # the last snapshot this process read: rows never change

    @classmethod
    def data(cls, pk: int) -> tuple[int, bytes, bytes]:
        """``(count, block, ids)`` of snapshot ``pk``, read once per process."""
        from . import bulk

        found = cls._memo.get(pk)
        if found is None:
            found = bulk.fetch_binary(f'SELECT count, block, ids FROM "{cls._meta.db_table}" WHERE id = %s', [pk])
            cls.remember(pk, found)
        return found

    @classmethod
    def remember(cls, pk: int, data: tuple[int, bytes, bytes]) -> None:
        cls._memo = {pk: data}  # one assignment: a thread reading the memo meanwhile sees the old one or the new one

    @classmethod
    def lines(cls, pk: int, gone: bytes, weight: int) -> tuple[bytes, bytes]:
        """The candidates section and ids of a frozen list taken from snapshot ``pk``: its lines
        less those at the positions ``gone`` (4 bytes each, ascending), at the task's weight."""
        count, block, ids = cls.data(pk)
        return without_lines(count, block, ids, np.frombuffer(gone, dtype=">u4").tolist(), weight)


def _rows(data: bytes, width: int) -> np.ndarray:
    """``data`` as an array of ``width``-byte items (no copy): whole lines or ids are then kept or
    dropped by one mask, in C."""
    return np.frombuffer(data, dtype=f"V{width}")


def without_lines(count: int, block: bytes, ids: bytes, gone: list[int], weight: int) -> tuple[bytes, bytes]:
    """A snapshot's ``block`` and ``ids`` less the lines at the positions ``gone``, with ``weight``
    for its flagged entities (1 for all when ``weight`` is 1 or less)."""
    line, flagged = RegisterSnapshot.LINE, RegisterSnapshot.WEIGHT
    keep = np.ones(count, dtype=bool)
    keep[gone] = False
    kept = _rows(block, line)[keep]
    if weight != flagged and weight <= 9:  # the weight digit of every line, in place in the copy
        digits = kept.view(np.uint8).reshape(-1, line)[:, line - 2]
        digits[digits == ord(str(flagged))] = ord(str(max(weight, 1)))
    lines = kept.tobytes()
    if weight > 9:  # a wider weight: the lines no longer have one width
        lines = lines.replace(b",%d\n" % flagged, b",%d\n" % weight)
    return lines, _rows(ids, 8)[keep].tobytes()


def entity_ids_at(ids: bytes, positions: Iterable[int]) -> list[int]:
    """The entity ids of the candidates at ``positions`` of a frozen list (``FrozenList.read_both``:
    8 bytes each, big-endian), read as one array."""
    return np.frombuffer(ids, dtype=">i8")[list(positions)].tolist()


class Exclusion(models.Model):
    """频次排除: an entity left out of a draw by frequency control, with its reason (R27).

    Exclusions, inspections and their inspectors are written in bulk (tens of thousands of rows)
    by the draw service alone, in the transaction that has just read every id it writes; their
    foreign keys are therefore not database constraints (a per-row referential check at commit
    costs more than the draw itself) — the ORM still enforces ``PROTECT`` and ``CASCADE``."""

    draw = models.ForeignKey(Draw, verbose_name="抽取", on_delete=models.CASCADE, related_name="exclusions", db_constraint=False)
    entity = models.ForeignKey(Entity, verbose_name="检查对象", on_delete=models.PROTECT, related_name="+", db_constraint=False,
                               db_index=False)  # listed by draw only: an index by entity would be written and never read
    reason_code = models.CharField("原因代码", max_length=16)
    reason = models.CharField("原因", max_length=120)

    class Meta:
        verbose_name = "频次排除"
        verbose_name_plural = verbose_name
        ordering = ["draw_id", "id"]
