"""R16: a document's files exist only if the transaction that issued it commits; files left by a
crash (referenced by no document) are pruned once they are an hour old."""
from __future__ import annotations

import datetime as dt
import os
import time
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from zhifa.core import clock
from zhifa.documents import files, samples, services
from zhifa.documents.models import Document, DocumentCounter

from .conftest import ISSUE_DAY


class ActionFailed(Exception):
    """A later step of the caller's action (the record entry, a state check …) failed."""


def stored(media_root) -> list[str]:
    if not media_root.exists():
        return []
    return sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file())


def age(media_root, name: str, hours: float) -> None:
    """Make a stored file ``hours`` old."""
    then = time.time() - hours * 3600
    os.utime(media_root / name, (then, then))


def test_r16_an_action_that_fails_after_issuing_leaves_no_file(issue, media_root):
    kept = issue("penalty_decision")
    with pytest.raises(ActionFailed), transaction.atomic():  # the case action's transaction
        doc = issue("penalty_notice")
        assert (media_root / doc.pdf.name).is_file()  # written inside the transaction …
        raise ActionFailed
    assert stored(media_root) == sorted([kept.pdf.name, kept.docx.name])  # … and gone with it
    assert list(Document.objects.all()) == [kept]


def test_r16_void_and_reissue_in_a_failing_action_leave_no_file(issue, actor, media_root):
    doc = issue("penalty_decision")
    before = stored(media_root)
    with pytest.raises(ActionFailed), transaction.atomic():
        services.void_document(doc.pk, reason="笔误", actor=actor("officer1"))
        raise ActionFailed
    with pytest.raises(ActionFailed), transaction.atomic():
        with clock.frozen(ISSUE_DAY):
            services.reissue_document(doc.pk, data=samples.sample("penalty_decision"), actor=actor("officer1"))
        raise ActionFailed
    assert stored(media_root) == before
    doc.refresh_from_db()
    assert doc.status == Document.Status.ISSUED and not doc.void_pdf


def test_r16_a_succeeding_action_keeps_its_files(issue, media_root):
    with transaction.atomic():
        doc = issue("penalty_notice")
    assert stored(media_root) == sorted([doc.pdf.name, doc.docx.name])


@pytest.mark.django_db(transaction=True)
def test_r16_real_commit_keeps_and_real_rollback_removes_the_files(media_root):
    """Outside the test's own transaction: a true COMMIT runs the on-commit callbacks, a true
    ROLLBACK drops them."""
    from tests.factories import build_world
    from zhifa.registry.access import actor_for

    world = build_world(ISSUE_DAY)
    officer = actor_for(world.users["officer1"])

    def issue(kind):
        with clock.frozen(ISSUE_DAY):
            return services.issue_document(kind=kind, body=world.market, data=samples.sample(kind), actor=officer, subject="case:1")

    with transaction.atomic():
        committed = issue("penalty_decision")
    assert not connection.in_atomic_block
    with pytest.raises(ActionFailed), transaction.atomic():
        issue("penalty_notice")
        raise ActionFailed
    assert stored(media_root) == sorted([committed.pdf.name, committed.docx.name])
    assert not DocumentCounter.objects.filter(kind="penalty_notice").exists()
    again = issue("penalty_notice")  # the same number, a file name free again
    assert again.seq == 1 and (media_root / again.pdf.name).is_file()


def test_r16_files_of_a_commit_whose_hooks_were_interrupted_are_kept(issue, media_root):
    """Django drops the remaining on-commit callbacks when an earlier one raises after COMMIT:
    then the row exists and its files must stay (the finalizer never guesses towards deleting)."""
    doc = issue("penalty_decision")
    written = files._Written(files._storage(), doc.pdf.name, str(media_root / doc.pdf.name))
    files._delete_unless_committed(written, SimpleNamespace(run_commit_hooks_on_set_autocommit_on=True))
    assert (media_root / doc.pdf.name).is_file()
    files._delete_unless_committed(written, SimpleNamespace(run_commit_hooks_on_set_autocommit_on=False))  # a rollback
    assert not (media_root / doc.pdf.name).exists()


def _orphan(media_root, name: str, hours: float) -> str:
    path = media_root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.7 orphan")
    age(media_root, name, hours)
    return name


def test_r16_prune_deletes_old_orphans_and_keeps_referenced_and_young_files(issue, actor, media_root):
    doc = issue("penalty_decision")
    voided = services.void_document(doc.pk, reason="笔误", actor=actor("officer1"))
    referenced = [voided.pdf.name, voided.docx.name, voided.void_pdf.name, voided.void_docx.name]
    for name in referenced:
        age(media_root, name, 48)
    old = _orphan(media_root, "documents/SJJ/2026/penalty_notice-00001-v1.pdf", 2)
    young = _orphan(media_root, "documents/SJJ/2026/penalty_notice-00002-v1.pdf", 0.5)
    elsewhere = _orphan(media_root, "evidence/1/photo.jpg", 48)  # not a document file: never touched

    assert services.prune_orphan_files(dry_run=True) == [old]
    assert (media_root / old).is_file()
    assert services.prune_orphan_files() == [old]
    assert stored(media_root) == sorted([*referenced, young, elsewhere])
    assert services.prune_orphan_files(min_age=dt.timedelta(minutes=10)) == [young]


def test_r16_prune_with_no_document_folder_does_nothing(db, media_root):
    assert services.prune_orphan_files() == []


def test_r16_render_documents_prune_and_sweep_delete_orphans(issue, media_root, capsys):
    doc = issue("penalty_decision")
    age(media_root, doc.pdf.name, 5)
    first = _orphan(media_root, "documents/SJJ/2026/x-1.pdf", 3)
    call_command("render_documents", "--prune", "--dry-run")
    assert "将删除 1 个" in capsys.readouterr().out and (media_root / first).is_file()
    call_command("render_documents", "--prune")
    out = capsys.readouterr().out
    assert first in out and "已删除 1 个" in out and not (media_root / first).exists()
    second = _orphan(media_root, "documents/SJJ/2026/x-2.docx", 3)
    call_command("sweep")
    assert "清理遗留文书文件：1 个" in capsys.readouterr().out
    assert stored(media_root) == sorted([doc.pdf.name, doc.docx.name]) and not (media_root / second).exists()


def test_r16_referenced_names_are_found_in_one_query_whatever_the_number_of_candidates(issue, actor, django_assert_num_queries):
    """The sweep's candidates are every old file, referenced ones included (as many as the rows):
    one read of the name columns answers them all, never one query per chunk of names."""
    doc = issue("penalty_decision")
    voided = services.void_document(doc.pk, reason="笔误", actor=actor("officer1"))
    referenced = {voided.pdf.name, voided.docx.name, voided.void_pdf.name, voided.void_docx.name}
    strays = {f"documents/SJJ/2026/penalty_notice-{i:05d}-v1.pdf" for i in range(1, 5001)}
    with django_assert_num_queries(1):
        assert files.referenced_names(referenced | strays) == referenced
    with django_assert_num_queries(1):
        assert files.referenced_names({voided.void_docx.name, "documents/elsewhere.pdf"}) == {voided.void_docx.name}
    with django_assert_num_queries(0):
        assert files.referenced_names(set()) == set()
