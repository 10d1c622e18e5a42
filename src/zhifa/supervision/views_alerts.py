"""The alert pages (预警, R33): ``/supervision/alerts/`` (the alerts in the actor's scope, filtered
by rule, body, state and case, 50 a page), one alert with its evidence and comparable cases and the
actions on it (convert to a notice, contest, decide the contest), and ``/supervision/alert-rules/``
(the published catalogue, open to every visitor). Thin: selectors read, services act."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from zhifa.core.listing import paginate
from zhifa.registry import access
from zhifa.registry.access import request_actor
from zhifa.registry.models import Body

from . import inputs, permissions, services
from . import selectors_alerts as sel
from .rules import alerts as rules
from .views import _attempt


def _int(value: str | None) -> int | None:
    try:
        n = int(value or "")
    except ValueError:
        return None
    return n if 0 < n < 2**63 else None


def alert_rules(request: HttpRequest) -> HttpResponse:
    """预警规则目录: every rule with its basis, parameters and version (public)."""
    specs = list(sel.catalogue().values())
    return render(request, "supervision/alert_rules.html", {
        "rules": [{"spec": s, "category": rules.CATEGORY_LABELS.get(s.category, s.category),
                   "params": [(k, "、".join(map(str, v)) if isinstance(v, list) else v) for k, v in s.params.items()]} for s in specs],
        "version": sel.catalogue_version(), "nav": "alert_rules"})


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    g = request.GET
    f = sel.AlertFilter(rule=g.get("rule", "") if g.get("rule", "") in sel.catalogue() else "", body=_int(g.get("body")),
                        state=g.get("state", "") if g.get("state", "") in rules.STATE_LABELS else "", case=_int(g.get("case")))
    page = paginate(request, sel.filter_alerts(actor, f))
    specs = sel.catalogue()
    for a in page.object_list:
        a.rule_name = specs[a.rule].name if a.rule in specs else a.rule
        a.state_label = rules.STATE_LABELS.get(a.state, a.state)
    bodies = access.scope_bodies(actor, Body.objects.all()).order_by("code").values_list("pk", "name")[:500] \
        if (actor.is_supervisor or actor.is_admin) else []
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "supervision/alerts.html", {
        "page": page, "filters": f, "specs": specs, "states": rules.STATE_LABELS, "bodies": bodies,
        "query": query.urlencode(), "nav": "alerts"})


@login_required
def alert(request: HttpRequest, alert_id: int) -> HttpResponse:
    actor = request_actor(request)
    a = sel.get_alert(actor, alert_id)
    violations = None
    if request.method == "POST":
        action = request.POST.get("action", "")

        def act():
            services.act_on_alert(alert_id, action, inputs.AlertActionIn(
                text=request.POST.get("text", ""), notice_kind=request.POST.get("notice_kind") or "supervision_notice"), actor=actor)
        violations = _attempt(request, act)
        if violations is None:
            messages.success(request, "已办理。")
            return redirect("supervision:alert", alert_id=alert_id)
        a = sel.get_alert(actor, alert_id)
    office = permissions.is_office(actor)
    body_side = actor.body_id == a.body_id and permissions.may_bind(actor, a.body_id)
    allowed = [x for x in rules.ACTIONS.values() if a.state in x.sources and ((x.side == "office" and office) or (x.side == "body" and body_side))]
    spec = sel.catalogue().get(a.rule)
    return render(request, "supervision/alert.html", {
        "a": a, "spec": spec, "state_label": rules.STATE_LABELS.get(a.state, a.state), "steps": sel.steps_of(a),
        "evidence": a.evidence, "comparables": a.evidence.get("comparables", []) if isinstance(a.evidence, dict) else [],
        "plain_evidence": {rules.EVIDENCE_LABELS.get(k, k): ("、".join(map(str, v)) if isinstance(v, list) else v)
                           for k, v in (a.evidence or {}).items() if k not in ("comparables", "signal", "reasons", "kind")},
        "allowed": allowed, "violations": violations, "kinds": services.notice_kinds(), "nav": "alerts"})
