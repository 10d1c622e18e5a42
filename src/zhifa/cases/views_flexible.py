"""The flexible enforcement page (柔性执法, R21): the acts of the body, the follow-ups due to the
officer (待回访), a form to record an act, and the follow-up of one. Thin: the form is built from
``flexible_inputs.FlexibleActIn``, the write is ``services.record_flexible_act``."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.core import clock
from zhifa.core.forms import schema_form
from zhifa.core.listing import paginate
from zhifa.core.violations import Refused
from zhifa.registry import access
from zhifa.registry.models import Officer

from . import flexible_selectors as fs
from . import services
from .flexible_inputs import ORDER, FlexibleActIn
from .flexible_rules import KINDS
from .forms import body_officers


class FlexibleActForm(schema_form(FlexibleActIn, order=ORDER)):
    def __init__(self, *args, body_id: int | None = None, **kwargs):
        self.body_id = body_id
        super().__init__(*args, **kwargs)

    def picker(self, name: str):
        if name == "body_officers":
            return (body_officers(self.body_id) if self.body_id else Officer.objects.none()), lambda o: o.name
        raise KeyError(name)


@login_required
@require_http_methods(["GET", "POST"])
def flexible_list(request: HttpRequest) -> HttpResponse:
    actor = access.request_actor(request)
    today = clock.today()
    violations = []
    may_record = actor.officer is not None and not actor.officer.is_auxiliary
    form = FlexibleActForm(request.POST or None, body_id=actor.body_id, prefix="act") if may_record else None
    if request.method == "POST" and form is not None:
        if form.is_valid():
            try:
                act = services.record_flexible_act(**form.service_kwargs(), actor=actor)
                messages.success(request, f"已登记{act.get_kind_display()}：{act.party_name}"
                                          + (f"（{act.document_number}）" if act.document_number else "")
                                          + ("；回溯期内再次适用首违不罚，已标记" if act.repeat_flagged else "") + "。")
                return redirect(reverse("cases:flexible_list"))
            except Refused as exc:
                violations = exc.violations
            except PermissionDenied as exc:
                messages.error(request, str(exc))
    kind = request.GET.get("kind", "")
    kind = kind if kind in KINDS else ""
    due = request.GET.get("due") == "1"
    page = paginate(request, fs.acts(actor, kind=kind or None, q=request.GET.get("q", "")[:100] or None, due=due, today=today), 50)
    return render(request, "cases/flexible_list.html", {
        "page": page, "form": form, "violations": violations, "kinds": list(KINDS.items()), "kind": kind, "due": due,
        "mine_due": fs.follow_ups_due(actor, today)[:20], "today": today, "nav": "cases",
    })


@login_required
@require_POST
def flexible_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    actor = access.request_actor(request)
    try:
        services.record_follow_up(pk, result=request.POST.get("result", "")[:5000], actor=actor)
        messages.success(request, "已登记回访情况。")
    except Refused as exc:
        for v in exc.violations:
            messages.error(request, v.message)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect(reverse("cases:flexible_list"))
