"""数据导入 pages: upload a spreadsheet as an import job (导入任务), follow it, run it for real."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from zhifa.core.listing import paginate

from .. import import_jobs
from ..access import request_actor
from ..forms import ImportForm
from ..models import Body


# --- Imports ------------------------------------------------------------------------------

JOBS_PER_PAGE = 10
ERRORS_PER_PAGE = 50

@login_required
def imports(request: HttpRequest) -> HttpResponse:
    """数据导入: upload a spreadsheet of any kind the actor may import (``import_jobs``); the
    import runs as a job (导入任务) and the browser goes to its page, which shows the progress
    and then the result. ``?kind=entities`` preselects a kind. A dry run (the default) checks
    every row and writes nothing; a real run writes all rows or none."""
    actor = request_actor(request)
    if not import_jobs.kind_choices(actor):
        raise PermissionDenied(import_jobs.DENIED)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, actor=actor)
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = import_jobs.submit(actor, kind=data["kind"], upload=data["file"], body=data["body"], dry_run=data["dry_run"])
            except PermissionDenied as denied:
                form.add_error("body" if form.choices[data["kind"]].uses_body else "kind", str(denied))
            except ValueError as exc:
                form.add_error("body", str(exc))
            else:
                url = reverse("registry:import_job", args=[job.pk])
                if getattr(request, "htmx", None):
                    response = HttpResponse(status=204)
                    response["HX-Location"] = url
                    return response
                return redirect(url)
    else:
        kind = request.GET.get("kind", "")
        choices = import_jobs.kind_choices(actor)
        if kind not in {c.kind for c in choices}:
            kind = choices[0].kind
        initial_body = actor.body_id if import_jobs.import_bodies(actor).filter(pk=actor.body_id).exists() else None
        form = ImportForm(actor=actor, initial={"body": initial_body, "kind": kind, "dry_run": True})
    jobs_page = paginate(request, import_jobs.own_jobs(actor), JOBS_PER_PAGE)
    context = {"form": form, "jobs": jobs_page, "page": jobs_page, "nav": "imports"}
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == "import-panel":
        return render(request, "registry/_import_panel.html", context)
    return render(request, "registry/imports.html", context)


def _job_or_404(request: HttpRequest, pk: int):
    actor = request_actor(request)
    job = import_jobs.visible_jobs(actor).select_related("created_by").filter(pk=pk).first()
    if job is None:
        raise Http404("未找到该导入任务，或您无权查看。")
    return actor, job


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """导入任务: the progress while it runs (the panel polls itself every second through htmx),
    then the counts and the row errors (paged)."""
    actor, job = _job_or_404(request, pk)
    errors = (job.result or {}).get("errors") or []
    page = paginate(request, errors, ERRORS_PER_PAGE) if errors else None
    body = Body.objects.filter(code=job.body_code).only("name").first() if job.body_code else None
    context = {
        "job": job, "page": page, "body": body, "nav": "imports",
        "can_run": bool(job.dry_run and job.ok),
    }
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == "job-panel":
        return render(request, "registry/_import_job_panel.html", context)
    return render(request, "registry/import_job.html", context)


@login_required
@require_http_methods(["POST"])
def import_job_run(request: HttpRequest, pk: int) -> HttpResponse:
    """正式导入: the file of a clean dry run, for real (a new job)."""
    actor, job = _job_or_404(request, pk)
    try:
        again = import_jobs.run_for_real(actor, job)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("registry:import_job", pk=job.pk)
    return redirect("registry:import_job", pk=again.pk)
