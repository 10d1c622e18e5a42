"""队伍健康度 (R04, R06–R08): every registry flag in the actor's scope, with its legal basis."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from zhifa.core import clock
from zhifa.core.listing import paginate, render_list

from .. import access, selectors, services
from ..access import request_actor
from ..forms import HealthFilterForm
from .common import _flag_order, _flag_rows, _flag_summary, _required_hours


# --- Registry health ----------------------------------------------------------------------

@login_required
def health(request: HttpRequest) -> HttpResponse:
    """队伍健康度: every registry flag in scope — certificates expired or expiring within 90 days
    (R04), no or unqualified legal reviewer (R06), training shortfall and township head
    experience (R07), secondments (R08) — with its legal basis, filterable and counted by kind."""
    actor = request_actor(request)
    if not access.can_view_health(actor):
        raise PermissionDenied("队伍健康度仅向执法监督机构、主体负责人和系统管理员开放。")
    today = clock.today()
    form = HealthFilterForm(request.GET, bodies=selectors.health_bodies(actor), jurisdictions=selectors.health_jurisdictions(actor))
    form.is_valid()
    data = form.cleaned_data
    flags = services.health_flags(
        actor, today,
        body_id=data["body"].pk if data.get("body") else None,
        jurisdiction_id=data["jurisdiction"].pk if data.get("jurisdiction") else None,
    )
    summary = _flag_summary(flags)
    kind = data.get("kind")
    if kind:
        flags = [f for f in flags if f.kind.value == kind]
    flags.sort(key=lambda f: (_flag_order(f.kind), f.body_id, f.detail))
    page = paginate(request, flags)
    page.object_list = _flag_rows(page.object_list, actor)
    context = {
        "form": form,
        "page": page,
        "summary": summary,
        "total": sum(s["count"] for s in summary),
        "kind": kind,
        "today": today,
        "warning_days": settings.ZHIFA["CERTIFICATE_EXPIRY_WARNING_DAYS"],
        "required_hours": _required_hours(),
        "nav": "health",
    }
    return render_list(request, "registry/health.html", "registry/_health_table.html", context)
