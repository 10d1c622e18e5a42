"""Long work off the request (后台任务), with its progress on the page instead of a frozen one.

A page that starts long work (the congress report's PDF, a bound case file's PDF …) calls
``submit(fn, params, user, label)``: one ``WorkJob`` row, then ``fn`` runs — in a thread of the
web process after the commit (``ZHIFA["IMPORT_RUNNER"] == "thread"``, as imports do) or in the
request (``"inline"``, the tests' default). The page shows ``partials/work_job.html``, which polls
``/work/<id>/`` every second (htmx) and shows the phase, the count where the work knows one and
the time so far, then the link to the result.

A work function is marked ``@work`` and named by its dotted path (the job stores it; nothing else
may be run): ``fn(params, progress) -> dict`` — ``progress(phase, done=0, total=None)`` writes the
job row (its own short statement, outside any transaction of the work, so that the polling sees
it); the returned dict is the job's result: ``url`` (where to get the result) or ``name``,
``filename``, ``content_type`` (a file the work stored, served by ``/work/<id>/file``).
The job rows are operational data, like import jobs: the work itself records what it does.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils.module_loading import import_string

from . import clock
from .models import WorkJob

Progress = Callable[..., None]
WorkFn = Callable[[dict, Progress], dict]


def work(fn: WorkFn) -> WorkFn:
    """Mark ``fn`` as work a page may submit (``submit``)."""
    fn._zhifa_work = True  # type: ignore[attr-defined]
    return fn


def _runner() -> str:
    return settings.ZHIFA.get("IMPORT_RUNNER", "thread")


def submit(fn: WorkFn, params: dict, *, user, label: str) -> WorkJob:
    """Queue ``fn(params)`` for ``user`` and start it; the job to show."""
    if not getattr(fn, "_zhifa_work", False):
        raise ValueError(f"{fn!r} is not marked @work")
    job = WorkJob.objects.create(kind=f"{fn.__module__}.{fn.__name__}", label=label[:120], params=params, created_by=user,
                                 created_at=clock.now())
    if _runner() == "inline":
        run(job.pk)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: threading.Thread(target=_thread_main, args=(job.pk,), name=f"zhifa-work-{job.pk}",
                                                       daemon=True).start())
    return job


def _thread_main(job_id: int) -> None:
    close_old_connections()  # the thread's own connection (never the request's: inline work runs in its transaction)
    try:
        run(job_id)
    finally:
        connection.close()


def _set(job_id: int, **fields: Any) -> None:
    WorkJob.objects.filter(pk=job_id).update(**fields)


def run(job_id: int) -> None:
    """Run the job: running → done with its result, or failed with a Chinese message."""
    job = WorkJob.objects.get(pk=job_id)
    fn = import_string(job.kind)
    if not getattr(fn, "_zhifa_work", False):
        _set(job_id, status=WorkJob.Status.FAILED, message="未知的任务类型", finished_at=clock.now())
        return
    _set(job_id, status=WorkJob.Status.RUNNING, started_at=clock.now())

    def progress(phase: str, done: int = 0, total: int | None = None) -> None:
        _set(job_id, phase=phase[:40], done=max(0, done), total=total)

    try:
        result = fn(job.params, progress)
    except Exception as exc:  # the job says so; the page shows it
        from .violations import Refused

        message = "；".join(v.message for v in exc.violations) if isinstance(exc, Refused) else "生成失败，请稍后重试或联系系统管理员。"
        _set(job_id, status=WorkJob.Status.FAILED, message=message, finished_at=clock.now())
        if not isinstance(exc, Refused):
            import logging

            logging.getLogger("zhifa.work").exception("work job %s failed", job_id)
        return
    _set(job_id, status=WorkJob.Status.DONE, result=result, finished_at=clock.now())


def own_job(user, job_id: int) -> WorkJob | None:
    """The job if ``user`` submitted it (else ``None``: a 404 for the page)."""
    return WorkJob.objects.filter(pk=job_id, created_by=user).first()


def elapsed(job: WorkJob) -> float:
    """Seconds the job has run (so far, or in all)."""
    if job.started_at is None:
        return 0.0
    return ((job.finished_at or clock.now()) - job.started_at).total_seconds()
