"""Rendering after the commit (文书后台生成): the task a worker runs for each document issued in
``worker`` mode (``modes.py``), with django-tasks and its database backend (``django_tasks_db``):
the task row is written in the issuing transaction, so it exists exactly when the document does,
and a worker process (``zhifa task_worker --queue-name documents``, started by ``make run`` and by the
systemd unit of docs/documents.md) picks it up after the commit.

A failed attempt is kept by the backend as a failed task result, with its traceback (admin:
"Task results"), and the next attempt is queued with backoff (``rules.render_retry_delay``). A
worker killed mid-render leaves its task "running" and the document without files: nothing is
lost — the row still holds number, data and data hash; a download renders it on demand and
``zhifa sweep`` renders whatever is left (``services.render_pending``). The task row itself is
taken back: a row "running" for longer than the lease (``ZHIFA["TASK_LEASE_SECONDS"]``, default
600 s, against well under a second for a render) was claimed by a worker that died, and is queued
again (``reclaim_stale``) by ``zhifa task_worker`` when it starts and by ``zhifa sweep``; every task
of the project is idempotent (a rendered document, a made case file, an alert run are skipped or
redone alike).
"""
from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from zhifa.core.violations import Refused

from . import rules, services
from .models import Document

try:  # Django 6 has the framework built in; on 5.2 the django-tasks backport provides it
    from django.tasks import task
except ImportError:  # pragma: no cover - depends on the Django version
    from django_tasks import task

logger = logging.getLogger(__name__)

QUEUE = "documents"


@task(queue_name=QUEUE)
def render_document(document_id: int, attempt: int = 1) -> str:
    """Render and store the files of document ``document_id`` (idempotent: a rendered one is
    skipped). On failure, queue the next attempt with backoff and fail this one visibly."""
    doc = Document.objects.select_related("body").filter(pk=document_id).first()
    if doc is None:
        return "文书不存在"
    if services.is_rendered(doc):
        return "已生成"
    try:
        services.ensure_rendered(doc)
    except Exception as exc:
        delay = rules.render_retry_delay(attempt)
        if delay is not None:
            queue(document_id, attempt=attempt + 1, delay=dt.timedelta(seconds=delay))
        message = "；".join(v.message for v in exc.violations) if isinstance(exc, Refused) else str(exc)
        logger.warning("文书 %s 第 %s 次生成失败：%s", document_id, attempt, message)
        raise
    return "已生成"


def queue(document_id: int, *, attempt: int = 1, delay: dt.timedelta | None = None) -> None:
    """Queue the render task of ``document_id`` (in the caller's transaction)."""
    task_ = render_document
    if delay and task_.get_backend().supports_defer:  # the immediate backend (tests) retries at once
        task_ = task_.using(run_after=timezone.now() + delay)
    task_.enqueue(document_id, attempt=attempt)


def queue_pending() -> int:
    """Queue a render task for every document still without files (the demo data, issued in
    ``deferred`` mode, so that the worker renders them in the background); returns how many.
    Only in ``worker`` mode: otherwise nothing would run the tasks."""
    from django.db import transaction

    if services.rendering_mode() != services.WORKER:
        return 0
    with transaction.atomic():
        ids = list(services.pending_documents().values_list("pk", flat=True))
        for pk in ids:
            queue(pk)
    return len(ids)


DEFAULT_LEASE_SECONDS = 600


def lease() -> dt.timedelta:
    """How long a worker may hold a task before it counts as dead (``ZHIFA["TASK_LEASE_SECONDS"]``)."""
    from django.conf import settings

    return dt.timedelta(seconds=int((getattr(settings, "ZHIFA", {}) or {}).get("TASK_LEASE_SECONDS", DEFAULT_LEASE_SECONDS)))


def reclaim_stale(*, older_than: dt.timedelta | None = None, now: dt.datetime | None = None) -> int:
    """Queue again the task rows a worker claimed ("running") longer ago than the lease: the worker
    was killed (``kill -9``, out of memory, a reboot) and will never finish them. Returns how many.
    Only the database backend keeps rows; a row still running within the lease is left alone."""
    from django_tasks_db.models import DBTaskResult

    cutoff = (now or timezone.now()) - (older_than if older_than is not None else lease())
    stale = DBTaskResult.objects.filter(status="RUNNING", started_at__lt=cutoff)
    count = stale.update(status="READY", started_at=None)
    if count:
        logger.warning("收回 %s 个超时未完成的后台任务（工作进程已中止），重新排队。", count)
    return count


def sweep() -> str:
    """``zhifa sweep``: queue again the tasks of a dead worker (``reclaim_stale``), then render every
    document whose files are still missing (a worker was down or died mid-render, or its retries
    ran out). One failing document does not stop the others."""
    reclaimed = reclaim_stale()
    done, failed = 0, 0
    for doc in services.pending_documents().select_related("body").iterator(chunk_size=200):
        try:
            services.ensure_rendered(doc)
            done += 1
        except Exception:
            logger.warning("文书 %s 补生成失败", doc.pk, exc_info=True)
            failed += 1
    lines = [f"收回超时未完成的后台任务：{reclaimed} 个，已重新排队。"] if reclaimed else []
    if done or failed:
        lines.append(f"补生成文书文件：{done} 份" + (f"，{failed} 份失败（见日志）。" if failed else "。"))
    return "\n".join(lines)
