"""Rendering by the worker (文书后台生成, issue 21 point 1): in ``worker`` mode an action fixes the
document's number, data and data hash and queues its render task in the same transaction; a worker
renders the files after the commit, retries with backoff and leaves failures visible; a download
before then renders once; ``zhifa sweep`` renders what is left; a worker killed mid-render loses
nothing (docs/documents.md §九)."""
from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from zhifa.documents import rendering, rules, services, tasks
from zhifa.documents.models import Document

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "documents"]}}
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker_mode(settings):
    settings.ZHIFA = {**settings.ZHIFA, "DOCUMENT_RENDERING": "worker"}


@pytest.fixture
def database_queue(settings, worker_mode):
    settings.TASKS = DATABASE_BACKEND


def _task_rows():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.order_by("enqueued_at")


def _run_worker() -> None:
    call_command("db_worker", "--batch", "--queue-name", "documents", "--no-startup-delay", "--no-reload", verbosity=0)


# --- The backoff (rules) ------------------------------------------------------------------------

@given(st.integers(min_value=1, max_value=rules.RENDER_MAX_ATTEMPTS - 1))
def test_r16_render_retries_back_off_exponentially(attempt):
    delay = rules.render_retry_delay(attempt)
    assert delay == rules.RENDER_FIRST_RETRY_SECONDS * 4 ** (attempt - 1)
    if attempt > 1:
        assert delay == 4 * rules.render_retry_delay(attempt - 1)


def test_r16_render_retries_stop_after_the_last_attempt():
    assert rules.render_retry_delay(rules.RENDER_MAX_ATTEMPTS) is None
    with pytest.raises(ValueError):
        rules.render_retry_delay(0)


# --- Worker mode --------------------------------------------------------------------------------

def test_r16_worker_mode_is_the_production_default(settings):
    settings.ZHIFA = {k: v for k, v in settings.ZHIFA.items() if k != "DOCUMENT_RENDERING"}
    assert services.rendering_mode() == services.WORKER


def test_r16_worker_issue_renders_nothing_in_the_request_and_queues_one_task(issue, database_queue):
    with mock.patch.object(rendering, "render_pdf") as render:
        doc = issue("penalty_decision")
    render.assert_not_called()
    assert doc.number == "示市监处罚〔2026〕1号" and doc.pdf.name == "" and len(services.data_sha256(doc)) == 64
    rows = list(_task_rows())
    assert len(rows) == 1 and rows[0].queue_name == "documents" and rows[0].args_kwargs["args"] == [doc.pk]


def test_r16_a_refused_issue_leaves_no_task(issue, database_queue):
    from zhifa.core.violations import Refused

    data = {"party": {"name": "某公司"}}  # most of what a decision must say is missing
    with pytest.raises(Refused):
        issue("penalty_decision", data=data)
    assert not _task_rows().exists()


def test_r16_a_rolled_back_action_takes_its_task_with_it(issue, database_queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        issue("reminder")
        raise RuntimeError("the case action fails after issuing")
    assert not Document.objects.exists() and not _task_rows().exists()


@pytest.mark.django_db(transaction=True)
def test_r16_the_worker_renders_after_commit_and_the_api_shows_rendering_until_then(issue, database_queue, api_as, media_root):
    doc = issue("penalty_decision")
    client = api_as("officer1")
    pending = client.get(f"/api/v1/documents/{doc.pk}").json()
    assert pending["rendered"] is False and pending["files_label"] == "生成中" and pending["pdf_sha256"] == ""
    _run_worker()
    doc.refresh_from_db()
    assert doc.pdf.name.endswith(".pdf") and doc.docx.name.endswith(".docx")
    assert hashlib.sha256(doc.pdf.open("rb").read()).hexdigest() == doc.pdf_sha256
    ready = client.get(f"/api/v1/documents/{doc.pk}").json()
    assert ready["rendered"] is True and ready["files_label"] == "已生成" and ready["pdf_sha256"] == doc.pdf_sha256
    assert _task_rows().get().status == "SUCCESSFUL"
    _run_worker()  # nothing left to do; the files stay as they are
    again = Document.objects.get(pk=doc.pk)
    assert (again.pdf.name, again.pdf_sha256) == (doc.pdf.name, doc.pdf_sha256)


@pytest.mark.django_db(transaction=True)
def test_r16_a_failed_render_is_visible_and_retried_with_backoff(issue, database_queue, media_root):
    doc = issue("reminder")
    with mock.patch.object(rendering, "render_pdf", side_effect=rendering.RenderFailed("字体缺失")):
        _run_worker()
    failed, retry = list(_task_rows())
    assert failed.status == "FAILED" and "字体缺失" in failed.traceback
    assert retry.status == "READY" and retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert (retry.run_after - failed.enqueued_at).total_seconds() >= rules.RENDER_FIRST_RETRY_SECONDS
    assert Document.objects.get(pk=doc.pk).pdf.name == ""
    assert services.pending_documents().filter(pk=doc.pk).exists()
    tasks.render_document.call(doc.pk, attempt=2)  # the retry, run when its time has come
    assert services.is_rendered(Document.objects.get(pk=doc.pk))


def test_r16_the_last_attempt_queues_no_more(issue, database_queue):
    doc = issue("reminder")
    before = _task_rows().count()
    with mock.patch.object(rendering, "render_pdf", side_effect=rendering.RenderFailed("模板有误")), pytest.raises(Exception):
        tasks.render_document.call(doc.pk, attempt=rules.RENDER_MAX_ATTEMPTS)
    assert _task_rows().count() == before


def test_r16_worker_mode_under_the_immediate_backend_renders_in_process(issue, worker_mode):
    doc = issue("penalty_notice")
    assert services.is_rendered(doc) or services.is_rendered(Document.objects.get(pk=doc.pk))


def test_r16_a_download_before_the_worker_renders_once_and_the_worker_then_skips(issue, database_queue, api_as):
    doc = issue("penalty_decision")
    client = api_as("officer1")
    first = b"".join(client.get(f"/api/v1/documents/{doc.pk}.pdf").streaming_content)
    stored = Document.objects.get(pk=doc.pk)
    assert stored.pdf_sha256 == hashlib.sha256(first).hexdigest()
    with mock.patch.object(rendering, "render_pdf") as render:
        assert tasks.render_document.call(doc.pk) == "已生成"
    render.assert_not_called()


def test_r16_two_renders_of_one_document_store_it_once(issue, database_queue):
    """Two renders at once (the worker and a download): both render, the second to take the row
    lock finds the files and keeps them; they are byte for byte what it rendered itself."""
    doc = issue("penalty_decision")
    stale = Document.objects.get(pk=doc.pk)  # what the second render read before the first stored
    first = services.ensure_rendered(Document.objects.get(pk=doc.pk))
    second = services.ensure_rendered(stale)
    assert (second.pdf.name, second.pdf_sha256, second.docx_sha256) == (first.pdf.name, first.pdf_sha256, first.docx_sha256)
    again = services._render_part(Document.objects.select_related("body").get(pk=doc.pk), "")
    assert hashlib.sha256(again[0]).hexdigest() == first.pdf_sha256
    assert hashlib.sha256(again[1]).hexdigest() == first.docx_sha256


def test_r16_void_in_worker_mode_queues_the_void_copy(issue, database_queue, actor):
    doc = issue("penalty_notice")
    services.ensure_rendered(doc)
    voided = services.void_document(doc.pk, reason="当事人名称有误", actor=actor("officer1"))
    assert not services.is_rendered(voided)
    tasks.render_document.call(doc.pk)
    voided.refresh_from_db()
    assert voided.void_pdf_sha256 and voided.void_pdf_sha256 != voided.pdf_sha256


def test_r16_sweep_renders_what_the_worker_left(issue, database_queue, capsys):
    docs = [issue(kind) for kind in ("reminder", "service_receipt")]
    call_command("sweep")
    assert "补生成文书文件：2 份" in capsys.readouterr().out
    assert all(services.is_rendered(Document.objects.get(pk=d.pk)) for d in docs)
    call_command("sweep")
    assert "补生成文书文件" not in capsys.readouterr().out


def test_r16_admin_lists_documents_still_rendering(issue, database_queue, client, world):
    doc = issue("reminder")
    client.force_login(world.users["admin"])
    page = client.get("/admin/documents/document/?files=pending")
    assert page.status_code == 200 and doc.number in page.content.decode() and "生成中" in page.content.decode()
    assert doc.number not in client.get("/admin/documents/document/?files=rendered").content.decode()
    assert client.get("/admin/django_tasks_database/dbtaskresult/?status__exact=FAILED").status_code == 200


# --- A worker killed mid-render (kill -9) loses nothing -----------------------------------------

SLOW_WORKER = """
import os, sys, time, pathlib
import django
django.setup()
from zhifa.documents import rendering
real = rendering.render_pdf
marker = pathlib.Path(sys.argv[1])
def slow(spec, content, body_code=""):
    if content["number"].endswith("2号"):
        marker.write_text("rendering")
        time.sleep(60)  # killed here
    return real(spec, content, body_code)
rendering.render_pdf = slow
from django.core.management import call_command
call_command("db_worker", "--queue-name", "documents", "--no-startup-delay", "--no-reload", "--interval", "0.2")
"""


def _worker_env(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZHIFA_", "DATABASE_URL"))}
    env.update({"DJANGO_SETTINGS_MODULE": "zhifa.settings", "ZHIFA_TESTING": "1", "ZHIFA_TASKS_BACKEND": "database",
                "ZHIFA_DOCUMENT_RENDERING": "worker", "ZHIFA_VAR_DIR": str(tmp_path),
                "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT), env.get("PYTHONPATH", "")])})
    if connection.vendor == "sqlite":
        path = tmp_path / "worker.sqlite3"  # the in-memory test database, copied to a file the worker opens
        target = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        env["ZHIFA_SQLITE_PATH"] = str(path)
    else:
        s = connection.settings_dict
        env["DATABASE_URL"] = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return env


def _rows(env: dict, sql: str) -> list[tuple]:
    if "ZHIFA_SQLITE_PATH" in env:
        with sqlite3.connect(env["ZHIFA_SQLITE_PATH"]) as db:
            return db.execute(sql).fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_r16_a_worker_killed_mid_render_loses_nothing(issue, database_queue, tmp_path, media_root):
    assert Path(media_root) == tmp_path / "media"
    first, second = issue("reminder"), issue("reminder")
    env = _worker_env(tmp_path)
    marker = tmp_path / "rendering"
    worker = subprocess.Popen([sys.executable, "-c", SLOW_WORKER, str(marker)], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert worker.poll() is None, worker.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, "the worker never started rendering"
            time.sleep(0.2)
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    select = "SELECT id, pdf, pdf_sha256, docx, docx_sha256 FROM documents_document ORDER BY id"
    rendered, killed = _rows(env, select)
    assert rendered[0] == first.pk and rendered[1] and rendered[2] and rendered[4]  # done before the kill
    assert killed[0] == second.pk and killed[1:] == ("", "", "", "")  # the killed render left the row untouched
    assert _rows(env, "SELECT status FROM django_tasks_database_dbtaskresult ORDER BY enqueued_at") == [("SUCCESSFUL",), ("RUNNING",)]
    # Nothing lost: number, data and data hash are stored; the sweep renders what is left.
    done = subprocess.run([sys.executable, "-m", "zhifa", "render_documents"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "已生成 1 份" in done.stdout, done.stderr[-2000:]
    _, pdf, pdf_sha, docx, docx_sha = _rows(env, select)[1]
    media = tmp_path / "media"
    assert hashlib.sha256((media / pdf).read_bytes()).hexdigest() == pdf_sha
    assert hashlib.sha256((media / docx).read_bytes()).hexdigest() == docx_sha
    # Byte for byte what any render of its data gives.
    expected = services._render_part(Document.objects.select_related("body").get(pk=second.pk), "")
    assert hashlib.sha256(expected[0]).hexdigest() == pdf_sha and hashlib.sha256(expected[1]).hexdigest() == docx_sha


def test_r16_queue_pending_queues_every_document_without_files_in_worker_mode(issue, database_queue, settings):
    with services.render_mode(services.DEFERRED):  # as the demo data issues them
        docs = [issue("reminder"), issue("service_receipt")]
    assert not _task_rows().exists()
    assert tasks.queue_pending() == 2
    assert sorted(r.args_kwargs["args"][0] for r in _task_rows()) == sorted(d.pk for d in docs)
    settings.ZHIFA = {**settings.ZHIFA, "DOCUMENT_RENDERING": "deferred"}
    assert tasks.queue_pending() == 0


# --- A killed worker's task row is taken back (lease) -------------------------------------------

def _claimed(doc, *, seconds_ago: int):
    """The render task of ``doc`` as a worker that died left it: claimed, "running"."""
    import datetime as dt

    from django.utils import timezone

    row = _task_rows().get(args_kwargs__args=[doc.pk])
    row.claim("killed-worker")
    type(row).objects.filter(pk=row.pk).update(started_at=timezone.now() - dt.timedelta(seconds=seconds_ago))
    return row


def test_i21_a_task_running_past_the_lease_is_queued_again_and_a_fresh_one_is_not(issue, database_queue, settings):
    settings.ZHIFA = {**settings.ZHIFA, "TASK_LEASE_SECONDS": 300}
    stale_doc, busy_doc = issue("reminder"), issue("service_receipt")
    stale, busy = _claimed(stale_doc, seconds_ago=301), _claimed(busy_doc, seconds_ago=30)
    assert tasks.reclaim_stale() == 1
    stale.refresh_from_db()
    busy.refresh_from_db()
    assert stale.status == "READY" and stale.started_at is None and stale.worker_ids == ["killed-worker"]
    assert busy.status == "RUNNING"
    assert tasks.reclaim_stale() == 0  # nothing more to take back


@pytest.mark.django_db(transaction=True)
def test_i21_the_task_worker_takes_back_a_dead_workers_task_at_start_and_renders_it(issue, database_queue, media_root, capsys):
    doc = issue("reminder")
    _claimed(doc, seconds_ago=tasks.DEFAULT_LEASE_SECONDS + 60)
    _run_worker()  # django-tasks' own worker never runs a "running" row again
    assert not services.is_rendered(Document.objects.get(pk=doc.pk))
    call_command("task_worker", "--batch", "--queue-name", "documents", "--no-startup-delay", "--no-reload", verbosity=0)
    assert "收回超时未完成的后台任务：1 个" in capsys.readouterr().out
    assert services.is_rendered(Document.objects.get(pk=doc.pk))
    row = _task_rows().get()
    assert row.status == "SUCCESSFUL" and row.worker_ids[0] == "killed-worker" and len(row.worker_ids) == 2


def test_i21_sweep_takes_back_a_dead_workers_task(issue, database_queue, capsys):
    doc = issue("reminder")
    _claimed(doc, seconds_ago=tasks.DEFAULT_LEASE_SECONDS + 1)
    call_command("sweep")
    out = capsys.readouterr().out
    assert "收回超时未完成的后台任务：1 个，已重新排队。" in out and "补生成文书文件：1 份" in out
    assert _task_rows().get().status == "READY"
