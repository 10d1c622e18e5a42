"""What a draw writes besides its ``Draw`` row: the frozen list's bytes (or its reference to a
register snapshot), the frequency exclusions and the drawn inspections — each in one statement
on PostgreSQL, nothing formatted per row in Python."""
from __future__ import annotations

import datetime as dt
import json
import zlib

from django.db import connection

from zhifa.core.violations import Refused, Violation

from .. import bulk, rules
from ..models import Draw, Exclusion, FrozenList, Inspection, entity_ids_at
from .frozen import Frozen


def store_frozen_list(draw: Draw, frozen: Frozen) -> None:
    """Keep the frozen list's exact bytes and its candidates' entity ids (``FrozenList``). A list
    taken from a register snapshot keeps a reference to it instead of its candidates: the snapshot,
    the positions left out and the weight (``FrozenList.read_both`` puts the bytes back together) —
    a few kilobytes instead of fifteen megabytes per draw. Otherwise the bytes as they are, in
    binary format, on PostgreSQL (the columns are lz4-compressed there); zlib-compressed elsewhere."""
    table = FrozenList._meta.db_table
    if frozen.snapshot is not None:
        ref = frozen.snapshot
        bulk.execute_binary(f'INSERT INTO "{table}" (draw_id, document, candidate_ids, snapshot_id, gone, weight) VALUES (%s, %b, %b, %s, %b, %s)',
                            [draw.pk, ref.outline, b"", ref.pk, b"".join(p.to_bytes(4, "big") for p in ref.gone), ref.weight])
    elif bulk.is_postgres():
        bulk.execute_binary(f'INSERT INTO "{table}" (draw_id, document, candidate_ids) VALUES (%s, %b, %b)',
                            [draw.pk, frozen.document, frozen.candidate_ids])
    else:
        FrozenList.objects.create(draw=draw, document=zlib.compress(frozen.document, 1), candidate_ids=zlib.compress(frozen.candidate_ids, 1))


def write_exclusions(draw: Draw, exclusions: list[tuple[int, str, str]]) -> None:
    """Write the frequency exclusions (entity id, reason code, reason). On PostgreSQL one statement:
    the ids and the index of each one's reason as two texts, the few distinct reasons as arrays —
    nothing formatted per row in Python."""
    if not bulk.is_postgres():
        bulk.insert_rows(Exclusion, ["draw_id", "entity_id", "reason_code", "reason"],
                         ((draw.pk, pk, code, reason) for pk, code, reason in exclusions))
        return
    reasons = list(dict.fromkeys((code, reason) for _, code, reason in exclusions))
    index = {pair: n for n, pair in enumerate(reasons, 1)}
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{Exclusion._meta.db_table}" (draw_id, entity_id, reason_code, reason) '
            "SELECT %s, d.entity_id, r.codes[d.k], r.texts[d.k] "
            "FROM unnest(string_to_array(%s, ',')::bigint[], string_to_array(%s, ',')::int[]) AS d (entity_id, k), "
            "(SELECT %s::text[] AS codes, %s::text[] AS texts) AS r",
            [draw.pk, ",".join(str(pk) for pk, _, _ in exclusions), ",".join(str(index[code, reason]) for _, code, reason in exclusions),
             [code for code, _ in reasons], [reason for _, reason in reasons]],
        )


def _entity_missing() -> Refused:
    """A frozen list without the ids of its candidates (it was frozen before they were kept and
    an entity could not be found then): the result is never written half."""
    return Refused([Violation(rules.ENTITY_MISSING, "冻结名单中的检查对象已从名录库删除，无法写入抽取结果", rules.BASIS_DOUBLE_RANDOM)])


def write_result(draw: Draw, result: rules.DrawResult, ids: bytes, today: dt.date) -> None:
    """Write the drawn inspections with their inspectors. The entity ids come from the frozen
    list's ids (``ids``, ``FrozenList.read_both``: kept at commit in list order): no lookup by credit
    code. On PostgreSQL one statement, the ids and the inspectors passed as two texts (each entity's
    inspectors as its JSON array, in rank order)."""
    if len(ids) < 8 * (max(result.positions, default=-1) + 1):
        raise _entity_missing()
    entity_ids = entity_ids_at(ids, result.positions)
    if 0 in entity_ids:
        raise _entity_missing()
    if bulk.is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{Inspection._meta.db_table}" '
                "(draw_id, task_id, entity_id, rank, planned_on, inspector_ids, answers, findings, outcome, case_number) "
                "SELECT %s, %s, d.entity_id, d.rank, %s, d.inspectors::jsonb, '[]'::jsonb, '', '', '' "
                "FROM unnest(string_to_array(%s, ',')::bigint[], string_to_array(%s, ';')) WITH ORDINALITY AS d (entity_id, inspectors, rank) "
                # in entity order: each index is then filled in order (the (draw, entity) one only
                # ever at its right edge), not at 24,750 random places — a third of the time
                "ORDER BY d.entity_id",
                # each inspection's inspectors as its JSON text ("[12,34]"): a cast per row, where
                # slicing them out of one array of all of them cost a fifth of the statement
                [draw.pk, draw.task_id, today, ",".join(map(str, entity_ids)),
                 ";".join(f"[{','.join(officers)}]" for _, officers in result.assignments)],
            )
        return
    bulk.insert_rows(
        Inspection, ["draw_id", "task_id", "entity_id", "rank", "planned_on", "inspector_ids", "answers", "findings", "outcome", "case_number"],
        ((draw.pk, draw.task_id, entity, rank, today, json.dumps([int(o) for o in officers]), "[]", "", "", "")
         for rank, (entity, (_, officers)) in enumerate(zip(entity_ids, result.assignments), 1)),
    )
