"""Evaluation over the API, double-blind part (双盲评查, R31; ``rules.blind``): the file an
evaluation is made on (``GET /api/v1/supervision/evaluations/{id}/file`` — a double-blind evaluator
gets the numbered pages only, without the cover, index and notes that name the body and officers)
and the publication of a plan's results (``POST …/plans/{id}/publish-results``), after which the
evaluated bodies see their evaluators."""
from __future__ import annotations

from django.http import FileResponse, HttpResponse

from zhifa.core.api_auth import STAFF_AUTH
from zhifa.core.pagination import Id
from zhifa.registry import access

from . import casefile_pdf, selectors, services
from .api import ACT_ERRORS, PlanOut, _plan_out, router

#: A bound file rendered before the front page count was kept: cover and index on one page each.
FRONT_PAGES_BEFORE = 2


@router.get("/supervision/evaluations/{evaluation_id}/file", auth=STAFF_AUTH, response={200: None, **ACT_ERRORS},
            summary="评查所用的卷宗 PDF（双盲评查的评查人只得到编页的文书与证据清单）")
def evaluation_file(request, evaluation_id: Id, inline: bool = False):
    actor = access.request_actor(request)
    ev = selectors.get_evaluation(actor, evaluation_id)
    shown = selectors.blind_view(actor, ev)
    cf = services.ensure_case_file_pdf(ev.case_file_id)
    disposition = "inline" if inline else "attachment"
    if not shown["hide_identity"]:
        return FileResponse(cf.pdf.open("rb"), content_type="application/pdf", as_attachment=not inline,
                            filename=f"卷宗-{shown['case_number'] or ev.case_file.case_id}-v{cf.version}.pdf")
    with cf.pdf.open("rb") as handle:
        pages = casefile_pdf.numbered_pages(handle.read(), int(cf.notes.get("front_pages", FRONT_PAGES_BEFORE)), cf.page_count)
    response = HttpResponse(pages, content_type="application/pdf")
    response["Content-Disposition"] = f'{disposition}; filename="blind-{ev.plan_id}-{ev.pk}.pdf"'
    return response


@router.post("/supervision/plans/{plan_id}/publish-results", auth=STAFF_AUTH, response={200: PlanOut, **ACT_ERRORS},
             summary="公布评查结果（双盲评查：此后被评查主体可以看到评查人）")
def publish_results(request, plan_id: Id):
    return _plan_out(services.publish_plan_results(plan_id, actor=access.request_actor(request)))
