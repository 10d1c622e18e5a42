"""The full-process record (全过程记录): one append-only, hash-chained ledger for every stream.

A *stream* is one thing whose history must be provable — a case (``case:42``), a draw, a
transfer. Each entry's hash covers the previous entry's hash and the entry's canonical content, so
changing, deleting or reordering any entry behind the application's back breaks the chain from
that entry on (architecture.md, principle 3). SM3 (GM/T 0004-2012, through OpenSSL) is the
default digest, as commercial-cryptography assessment of government systems expects; every entry
names its algorithm so SHA-256 stays possible.

Entries are written by the service performing the act, in the same transaction; nothing updates or
deletes an entry (corrections are new entries).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction

from . import clock
from .txlocal import TransactionLocal

GENESIS = "0" * 64


def available_algorithm(name: str) -> bool:
    try:
        hashlib.new(name)
    except ValueError:
        return False
    return True


def _default(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"不能写入记录的值：{value!r}")


def canonical(content: dict) -> bytes:
    """The exact bytes that are hashed: sorted keys, no whitespace, UTF-8."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default).encode()


def entry_hash(algorithm: str, previous: str, content: dict) -> str:
    """Pure: the hash of one entry, chaining ``previous``."""
    digest = hashlib.new(algorithm)
    digest.update(previous.encode())
    digest.update(canonical(content))
    return digest.hexdigest()


class HashChained(models.Model):
    """The columns that chain an entry to the one before it (a record entry, a security event): the
    digest algorithm, the previous entry's hash, and this entry's hash, which covers the previous
    one and the entry's content (``entry_hash``)."""

    algorithm = models.CharField("摘要算法", max_length=16)
    previous_hash = models.CharField("上一条摘要", max_length=128)
    hash = models.CharField("本条摘要", max_length=128)

    class Meta:
        abstract = True


class RecordEntry(HashChained):
    """One entry of a full-process record (全过程记录条目)."""

    stream = models.CharField("记录对象", max_length=64)
    seq = models.PositiveIntegerField("序号")
    at = models.DateTimeField("时间")
    actor_id = models.BigIntegerField("操作人编号", null=True, blank=True)
    actor_name = models.CharField("操作人", max_length=80, blank=True)
    action = models.CharField("行为", max_length=64)
    payload = models.JSONField("内容", default=dict)

    class Meta:
        verbose_name = "全过程记录"
        verbose_name_plural = verbose_name
        ordering = ["stream", "seq"]
        constraints = [models.UniqueConstraint(fields=["stream", "seq"], name="record_entry_unique_seq")]
        # who acted when: an officer's actions per month (R38, supervision.workload) without a scan
        indexes = [models.Index(fields=["actor_id", "at"], condition=models.Q(actor_id__isnull=False), name="record_entry_actor_at")]

    def __str__(self) -> str:
        return f"{self.stream} #{self.seq} {self.action}"

    def content(self) -> dict:
        """What the hash covers (everything but the hashes themselves)."""
        return {
            "stream": self.stream,
            "seq": self.seq,
            "at": self.at.astimezone(clock.SHANGHAI).isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "action": self.action,
            "payload": self.payload,
        }


def user_of(actor):
    """The signed-in user behind ``actor`` — a user, or an acting role (``registry.access.Actor``)
    carrying one in ``.user`` — or None for the public and the system."""
    user = getattr(actor, "user", actor)
    return user if getattr(user, "is_authenticated", False) else None


def append(stream: str, action: str, payload: dict, *, actor=None, actor_name: str = "", savepoint: bool = True) -> RecordEntry:
    """Append one entry to ``stream``. Call inside the service's transaction, after locking the
    object the stream records (the unique (stream, seq) constraint refuses a fork regardless).

    ``actor`` is the user, or the acting role carrying it. ``savepoint=False`` for a caller whose whole transaction fails with the entry anyway (a bulk
    import): two statements fewer.

    The previous entry is not read again when the transaction already knows the stream's head
    (``know_head``: read with the lock of the object, or left by an earlier append in the same
    transaction): the entry is inserted unless its ``seq`` is taken, and only then is the head
    read and the entry chained to it (a head read before a concurrent append committed)."""
    algorithm = settings.ZHIFA.get("RECORD_HASH", "sm3")
    actor = user_of(actor)
    fields = {
        "stream": stream, "at": clock.now(), "actor_id": getattr(actor, "pk", None), "action": action,
        "actor_name": actor_name or (getattr(actor, "get_username", lambda: "")() if actor else ""),
        "payload": json.loads(canonical(payload)), "algorithm": algorithm,
    }
    known = (_heads.get() or {}).get(stream)
    with transaction.atomic(savepoint=savepoint):
        entry = _chained(known, fields) if known else None
        if entry is None or not _insert_unless_taken(entry):
            last = RecordEntry.objects.filter(stream=stream).order_by("-seq").values("seq", "hash").first()
            entry = _chained((last["seq"], last["hash"]) if last else (0, GENESIS), fields)
            entry.save(force_insert=True)
    know_head(stream, entry.seq, entry.hash)
    return entry


def _chained(head: tuple[int, str], fields: dict) -> RecordEntry:
    entry = RecordEntry(seq=head[0] + 1, previous_hash=head[1], **fields)
    entry.hash = entry_hash(entry.algorithm, entry.previous_hash, entry.content())
    return entry


def _insert_unless_taken(entry: RecordEntry) -> bool:
    """Insert ``entry`` in one statement unless its (stream, seq) is taken (then False: the head
    the transaction knew was stale)."""
    conn = transaction.get_connection()
    meta, qn = RecordEntry._meta, conn.ops.quote_name
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    sql = (f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)})"
           f" VALUES ({', '.join(['%s'] * len(fields))})"
           f" ON CONFLICT ({qn('stream')}, {qn('seq')}) DO NOTHING RETURNING {qn(meta.pk.column)}")
    with conn.cursor() as cursor:
        cursor.execute(sql, [f.get_db_prep_save(getattr(entry, f.attname), conn) for f in fields])
        row = cursor.fetchone()
    if row is None:
        return False
    entry.pk, entry._state.adding, entry._state.db = row[0], False, conn.alias
    # What ``save()`` would have told the receivers (the statistics queue a refresh on it).
    models.signals.post_save.send(sender=RecordEntry, instance=entry, created=True, update_fields=None, raw=False,
                                  using=conn.alias)
    return True


# --- Stream heads known in the running transaction --------------------------------------------

_heads = TransactionLocal()  # {stream: (seq, hash)} of the running transaction (``core.txlocal``)


def head_columns(stream: str) -> dict:
    """The last entry of ``stream`` as two columns (``record_head_seq``, ``record_head_hash``) to
    annotate the query that locks the object the stream records (a case action's lock), so that
    the act's entry needs no read of its own; hand the row to ``know_head_of``."""
    last = RecordEntry.objects.filter(stream=stream).order_by("-seq")
    return {"record_head_seq": models.Subquery(last.values("seq")[:1]),
            "record_head_hash": models.Subquery(last.values("hash")[:1])}


def know_head_of(stream: str, row) -> None:
    """Keep the head read with ``head_columns`` (attributes of ``row``; none: an empty stream)."""
    seq = getattr(row, "record_head_seq", None)
    know_head(stream, seq or 0, getattr(row, "record_head_hash", None) or GENESIS)


def know_head(stream: str, seq: int, hash_: str) -> None:
    """The last entry of ``stream`` is ``seq`` with ``hash_``, as this transaction sees it (from a
    read in it, or an empty stream it has just created). A head that turns out stale costs the
    read it saved; a rollback of the savepoint it was kept in forgets it."""
    heads = dict(_heads.get() or {})
    heads[stream] = (seq, hash_)
    _heads.set(heads)


def _stored_value(value):
    """A field's stored value as the ledger can write it: JSON values, dates and Decimals as they
    are (``canonical`` writes them), anything else (a file, a UUID) as its text."""
    if value is None or isinstance(value, (bool, int, float, str, Decimal, dt.date, list, dict)):
        return value
    return str(value)


def model_values(obj: models.Model, names, *, key: str = "name") -> dict:
    """The stored values of ``obj``'s fields ``names`` (a form's ``changed_data``, or every
    concrete field of a new row), JSON-safe, for the record entry of an edit in the admin
    (管理后台). A related row appears by its id; reverse and many-to-many relations and names that
    are no model field (a form-only field) are left out. ``key`` is ``"name"`` (the name as given:
    ``parent``) or ``"attname"`` (``parent_id``): each app keeps the keys its entries already use."""
    values = {}
    for name in names:
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:  # a form-only field: nothing stored
            continue
        if not getattr(field, "concrete", False) or field.many_to_many:
            continue
        values[name if key == "name" else field.attname] = _stored_value(getattr(obj, field.attname))
    return values


@dataclass(frozen=True)
class Broken:
    """The first entry where a stream's chain does not verify, and why."""

    stream: str
    seq: int
    reason: str

    def as_dict(self) -> dict:
        return {"ok": False, "stream": self.stream, "seq": self.seq, "reason": self.reason}


def verify_entries(entries) -> Broken | None:
    """Check one stream's entries in order: numbering, links and hashes. ``None`` = intact."""
    previous, expected_seq, stream = GENESIS, 1, None
    for entry in entries:
        stream = entry.stream
        if entry.seq != expected_seq:
            return Broken(stream, expected_seq, f"缺少第{expected_seq}条记录（记录被删除或顺序被改动）")
        if entry.previous_hash != previous:
            return Broken(stream, entry.seq, "与上一条记录的摘要不衔接")
        if not available_algorithm(entry.algorithm):
            return Broken(stream, entry.seq, f"本机不支持摘要算法 {entry.algorithm}")
        if entry_hash(entry.algorithm, entry.previous_hash, entry.content()) != entry.hash:
            return Broken(stream, entry.seq, "记录内容与摘要不符（记录在系统之外被修改）")
        previous, expected_seq = entry.hash, expected_seq + 1
    return None


def verify(stream: str) -> Broken | None:
    return verify_entries(RecordEntry.objects.filter(stream=stream).order_by("seq").iterator(chunk_size=2000))


def verify_all() -> tuple[int, list[Broken]]:
    """Verify every stream; returns (number of streams, broken ones). Streams one pass, in order."""
    broken, count, current, batch = [], 0, None, []
    for entry in RecordEntry.objects.order_by("stream", "seq").iterator(chunk_size=5000):
        if entry.stream != current:
            if batch:
                count += 1
                if (found := verify_entries(batch)) is not None:
                    broken.append(found)
            current, batch = entry.stream, []
        batch.append(entry)
    if batch:
        count += 1
        if (found := verify_entries(batch)) is not None:
            broken.append(found)
    return count, broken
