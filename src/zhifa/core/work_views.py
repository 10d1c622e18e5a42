"""The pages of long work (core/work.py): the job's status polled by htmx, and the file it made."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from . import work


@login_required
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """后台任务进度: the panel (``partials/work_job.html``), polled every second while it runs."""
    job = work.own_job(request.user, pk)
    if job is None:
        raise Http404("未找到该任务。")
    return render(request, "partials/work_job.html", {"job": job, "seconds": work.elapsed(job)})


@login_required
def job_file(request: HttpRequest, pk: int) -> FileResponse:
    """The file a finished job made (only for whoever submitted it)."""
    job = work.own_job(request.user, pk)
    result = (job.result or {}) if job is not None and job.status == job.Status.DONE else {}
    name = result.get("name")
    if not name or not default_storage.exists(name):
        raise Http404("文件不存在或尚未生成。")
    return FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename=result.get("filename") or name.rsplit("/", 1)[-1],
                        content_type=result.get("content_type") or "application/octet-stream")
