"""The draw's machinery (``inspections.engine``): the register read in credit code order (on
PostgreSQL by the database, in one pass or two halves at once), the register snapshot a draw of the
whole register takes its list from, and the candidates taken from it — byte for byte the frozen
list a read of the register gives (R28)."""
from __future__ import annotations

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from zhifa.inspections import rules, services
from zhifa.inspections.engine import scan as scanning
from zhifa.inspections.engine import snapshot as snapshots
from zhifa.inspections.models import Entity, FrozenList, RegisterSnapshot

from .conftest import TODAY, credit_code, make_entities
from .test_services import make_task

pytestmark = pytest.mark.usefixtures("frozen_clock")


def test_r28_frozen_list_is_in_code_order_whether_or_not_the_plan_keeps_it(world, head, item, monkeypatch):
    """The candidates come in credit code order from the unique index when the plan shows it
    (PostgreSQL), else the aggregates sort them themselves: the same list either way."""
    from django.db import connection

    make_entities(60)
    Entity.objects.filter(credit_code=credit_code(7)).update(is_abnormal=True)
    first = services.freeze(make_task(world, head, item, flagged_weight=3), TODAY).document
    lines = first.decode().split("\n")[5:65]
    assert lines == sorted(lines) and f"{credit_code(7)},3" in lines
    if connection.vendor == "postgresql":
        sql = "SELECT count(*), string_agg(s.code, '') FROM (SELECT credit_code FROM inspections_entity ORDER BY credit_code) AS s (code)"
        assert scanning.fed_in_code_order(sql, [])
        assert not scanning.fed_in_code_order(sql.replace("ORDER BY credit_code", "ORDER BY name"), [])
    monkeypatch.setattr(scanning, "fed_in_code_order", lambda sql, params: False)
    assert services.freeze(make_task(world, head, item, flagged_weight=3, title="再抽一次"), TODAY).document.split(b"\n", 5)[5] == first.split(b"\n", 5)[5]


@given(flags=st.lists(st.booleans(), min_size=0, max_size=40), picks=st.data(), weight=st.integers(0, 12))
@hypothesis_settings(max_examples=200, deadline=None)
def test_r28_candidates_from_a_snapshot_are_those_of_a_read_of_the_register(flags, picks, weight):
    """``engine.snapshot.candidates_from`` (a draw of the whole register on an unchanged register) gives byte for
    byte what ``engine.scan.scan`` reads from the register: every entity but the excluded, in code order, the
    task's weight on the flagged, their ids in the same order, and the codes of the named."""
    n = len(flags)
    codes = [credit_code(i) for i in range(1, n + 1)]
    ids = [1000 + 7 * i for i in range(n)]
    snapshot = services.Snapshot(1, n, rules.candidate_block(rules.Candidate(c, 2 if f else 1) for c, f in zip(codes, flags)),
                                 b"".join(pk.to_bytes(8, "big") for pk in ids))
    excluded = set(picks.draw(st.lists(st.sampled_from(ids), unique=True))) if ids else set()
    named = excluded | (set(picks.draw(st.lists(st.sampled_from(ids), unique=True))) if ids else set())
    scan = snapshots.candidates_from(snapshot, weight, excluded, named)
    kept = [(c, f, pk) for c, f, pk in zip(codes, flags, ids) if pk not in excluded]
    assert scan.block == rules.candidate_block(rules.Candidate(c, weight if f and weight > 1 else 1) for c, f, _ in kept)
    assert scan.count == len(kept) and scan.ids == b"".join(pk.to_bytes(8, "big") for _, _, pk in kept)
    assert scan.codes == {pk: c for c, pk in zip(codes, ids) if pk in named}


@pytest.mark.django_db(transaction=True)
def test_r28_a_draw_of_the_whole_register_takes_its_list_from_the_register_snapshot(world, head, item, monkeypatch):
    """On PostgreSQL a draw of the whole register reads it once per register version and keeps
    it (``RegisterSnapshot``); the next draws take their frozen list from there — byte for byte
    the list a read of the register gives. Every statement that writes what a draw reads (codes,
    ids, weight tags: insert, update, delete, truncate) raises the version in its own
    transaction, so the next draw reads the register again; a change of name does not."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the register version is kept by a PostgreSQL trigger")
    make_entities(120)
    Entity.objects.filter(credit_code=credit_code(7)).update(is_abnormal=True)
    Entity.objects.filter(credit_code=credit_code(9)).update(complaint_count=2)
    first_task = make_task(world, head, item, flagged_weight=3)
    draw = services.commit_draw(task_id=first_task.pk, actor=head)
    services.reveal_draw(draw_id=draw.pk, witness="1", actor=head)  # leaves exclusions and recusals behind
    task = make_task(world, head, item, flagged_weight=3, min_gap_days=30, title="再抽一次")
    real_snapshot = snapshots.register_snapshot

    def read_from_the_register(check_task):
        with monkeypatch.context() as m:
            m.setattr(snapshots, "register_snapshot", lambda parallel=False: None)
            return services.freeze(check_task, TODAY)

    def same_as_a_read(check_task):
        frozen = services.freeze(check_task, TODAY)
        fresh = read_from_the_register(check_task)
        assert frozen.document == fresh.document and frozen.candidate_ids == fresh.candidate_ids
        assert frozen.exclusions == fresh.exclusions and frozen.exclusions
        return frozen

    frozen = same_as_a_read(task)
    assert frozen.candidate_count == 120 - len(frozen.exclusions)
    version = services.register_version()
    assert list(RegisterSnapshot.objects.values_list("version", "count")) == [(version, 120)]
    weighted = [make_task(world, head, item, flagged_weight=weight, min_gap_days=30, title=f"权重{weight}") for weight in (1, 2, 5)]
    with monkeypatch.context() as m:
        m.setattr(scanning, "scan", lambda *a, **k: pytest.fail("an unchanged register is not read again"))
        assert services.freeze(task, TODAY).document == frozen.document
        from_snapshot = [services.freeze(other, TODAY).document for other in weighted]
    assert from_snapshot == [read_from_the_register(other).document for other in weighted]
    assert len(set(from_snapshot)) == 3
    def removed_meanwhile(cls, pk):
        raise LookupError(pk)

    with monkeypatch.context() as m:  # taken away by a draw on a newer register between two statements: read again
        m.setattr(RegisterSnapshot, "data", classmethod(removed_meanwhile))
        assert services.freeze(task, TODAY).document == frozen.document
    Entity.objects.filter(credit_code=credit_code(3)).update(name="改名", address="新址")
    assert services.register_version() == version
    # an entity the first draw did not draw (the drawn are protected by their inspection); the
    # secret, hence the drawn, differs from run to run
    undrawn = Entity.objects.filter(inspections__isnull=True, credit_code__gt=credit_code(12)).order_by("credit_code")[0].credit_code
    writes = [
        lambda: Entity.objects.create(credit_code=credit_code(500), name="新设立的公司"),
        lambda: Entity.objects.filter(credit_code=credit_code(11)).update(is_abnormal=True),
        lambda: Entity.objects.filter(credit_code=credit_code(12)).update(complaint_count=1),
        lambda: Entity.objects.filter(credit_code=undrawn).delete(),
    ]
    for write in writes:
        write()
        assert services.register_version() > version
        version = services.register_version()
        same_as_a_read(task)
        newest = RegisterSnapshot.objects.latest("pk")
        assert newest.version == version  # older ones are kept only while a frozen list refers to them
        assert set(RegisterSnapshot.objects.values_list("pk", flat=True)) == {newest.pk, FrozenList.objects.get().snapshot_id}
    with transaction.atomic():  # the transaction's own write, after it took the snapshot
        before = services.freeze(task, TODAY).candidate_count
        Entity.objects.create(credit_code=credit_code(501), name="又一家新公司")
        assert services.freeze(task, TODAY).candidate_count == before + 1
    monkeypatch.setattr(snapshots, "register_snapshot", real_snapshot)
    draw = services.commit_draw(task_id=task.pk, actor=head)
    stored = FrozenList.objects.get(draw=draw)  # a reference: the list without its candidates, the positions left out
    assert stored.snapshot_id and len(bytes(stored.gone)) == 4 * draw.excluded_count and bytes(stored.candidate_ids) == b""
    assert len(bytes(stored.document)) < 1000 and len(draw.document_bytes()) > 21 * draw.candidate_count
    assert rules.sha256_hex(draw.document_bytes()) == draw.document_digest
    assert services.verify_draw(services.reveal_draw(draw_id=draw.pk, witness="2", actor=head)).ok


@pytest.mark.django_db(transaction=True)
def test_r28_register_read_in_two_halves_gives_the_same_frozen_list(world, head, item, settings, monkeypatch):
    """On PostgreSQL a transaction that has written nothing reads a large register in two halves
    at once, the upper one on a twin connection with its snapshot (``bulk.fetch_binary_pair``):
    the frozen list and its ids are those of one pass. A savepoint or a write before it keeps the
    draw on one connection (the twin could not see what it sees)."""
    from django.db import connection, transaction

    from zhifa.inspections import bulk

    if connection.vendor != "postgresql":
        pytest.skip("two connections and exported snapshots are PostgreSQL's")
    make_entities(300)
    Entity.objects.filter(credit_code__in=[credit_code(7), credit_code(250)]).update(is_abnormal=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE inspections_entity")  # the middle code comes from the statistics
    settings.ZHIFA = {**settings.ZHIFA, "DRAW_PARALLEL_MIN_ENTITIES": 0}
    monkeypatch.setattr(snapshots, "register_snapshot", lambda parallel=False: None)  # read the register itself each time
    task = make_task(world, head, item, flagged_weight=3)
    pairs = []
    real_pair = bulk.fetch_binary_pair
    monkeypatch.setattr(bulk, "fetch_binary_pair", lambda *a, **k: pairs.append(real_pair(*a, **k)) or pairs[-1])
    with transaction.atomic():
        assert bulk.snapshot_shareable()
        halves = services.freeze(task, TODAY, parallel=True)
    assert len(pairs) == 1 and pairs[0] is not None and all(part[0] > 0 for part in pairs[0])
    with transaction.atomic():
        whole = services.freeze(task, TODAY, parallel=False)
    assert halves.document == whole.document and halves.candidate_ids == whole.candidate_ids
    assert halves.candidate_count == 300 and f"{credit_code(250)},3".encode() in halves.document
    import psycopg

    def refused(*args, **kwargs):
        raise psycopg.OperationalError("too many clients already")

    with monkeypatch.context() as m, transaction.atomic():
        m.setattr(psycopg, "connect", refused)  # no second connection to be had: one pass instead
        assert services.freeze(task, TODAY, parallel=True).document == whole.document
    assert len(pairs) == 2 and pairs[1] is None
    with transaction.atomic():
        with transaction.atomic():
            assert not bulk.snapshot_shareable()  # a savepoint: a subtransaction cannot export its snapshot
        Entity.objects.filter(credit_code=credit_code(1)).update(name="改名")
        assert not bulk.snapshot_shareable()  # written: the twin would not see the change
    draw = services.commit_draw(task_id=task.pk, actor=head)
    assert len(pairs) == 3 and pairs[2] is not None and draw.candidate_count == 300
    assert services.verify_draw(services.reveal_draw(draw_id=draw.pk, witness="7", actor=head)).ok
