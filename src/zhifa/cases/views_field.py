"""The case's field page (证据与现场笔录, ``/cases/<id>/field/``, B9): what an investigating officer
does on site with the phone — site photos (resized on the phone) and the on-site record (现场笔录 or
勘验笔录) signed by the party on the screen — working without network like the inspector's pages.

The forms never post: ``offline.js`` saves each capture in the phone's storage and sends it to
``POST /api/v1/cases/<id>/offline/sync`` (at once when online, later when not); the server
receives it once through ``services.sync_field_capture``. The page itself is kept for offline use
by the service worker at ``/cases/sw.js`` (scope ``/cases/``) whenever the case page or this page is
opened online. Thin: read the case in the actor's scope (another body's case is a 404), render.
"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhifa.core import clock, offline
from zhifa.registry import access

from . import services
from .models import FieldCapture

# The service worker of the cases' offline pages (core.offline): scope /cases/.
service_worker = offline.service_worker("/cases/")


@login_required
def field_page(request: HttpRequest, pk: int) -> HttpResponse:
    """证据与现场笔录: the case's evidence, the captures received from phones, and (for the
    investigating officers while the case is under investigation) the offline capture forms."""
    actor = access.request_actor(request)
    case = services.get_case(pk, actor)
    can_capture = "record_evidence" in services.allowed_actions(case, actor)
    evidence = list(case.evidence.select_related("collected_by").order_by("collected_on", "pk"))
    captures = {c.evidence_id: c for c in FieldCapture.objects.filter(case=case).exclude(evidence=None)}
    rows = [(e, captures.get(e.pk)) for e in evidence]
    return render(request, "cases/field.html", {
        "case": case, "rows": rows, "can_capture": can_capture, "today": clock.today(), "nav": "cases",
        "record_kinds": [(k, label) for k, label in FieldCapture.Kind.choices if k != FieldCapture.Kind.PHOTO],
    })
