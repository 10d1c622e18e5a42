"""Pages of transfers (移送台账): the ledger with coloured clocks, filters and Excel export; a
transfer's page with its timeline, clocks, materials, documents and action forms; reporting a
transfer from a case and registering an inward matter. Thin: parse, call ``services`` or
``selectors``, render; a refusal lists every violation next to the form."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from zhifa.cases.selectors import visible_cases
from zhifa.core import clock, workdays
from zhifa.core.forms import schema_form
from zhifa.core.violations import Refused
from zhifa.registry import access
from zhifa.registry.models import Body, Officer

from . import exporting, inputs, rules, selectors, services

PER_PAGE = 50
DIRECTIONS = {"out": "移送公安机关", "in": "反向移送、检察意见"}


def _filters(request: HttpRequest) -> selectors.TransferFilter:
    g = request.GET
    state = g.get("state") if g.get("state") in rules.STATES else None
    direction = g.get("direction") if g.get("direction") in DIRECTIONS else None
    body = int(g["body"]) if (g.get("body") or "").isdigit() else None
    return selectors.TransferFilter(state=state, body_id=body, direction=direction, overdue=g.get("overdue") == "1",
                                    q=(g.get("q") or "").strip()[:100] or None)


def _row(t, schedule, now):
    cl = rules.clocks(t.facts(), schedule, now, selectors.policy())
    run = [x for x in cl if x.status in ("running", "soon", "overdue") and not x.optional]
    worst = "overdue" if any(x.status == "overdue" for x in run) else "soon" if any(x.status == "soon" for x in run) else ""
    return {"t": t, "clocks": cl, "running": run, "level": worst, "state_label": rules.state_label(t.state)}


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    actor = access.request_actor(request)
    if actor.is_public:
        raise PermissionDenied("移送台账仅向执法人员和执法监督机构开放。")
    f = _filters(request)
    order = "newest" if request.GET.get("order") == "newest" else "urgency"
    qs = selectors.ordered(selectors.with_relations(selectors.filter_transfers(actor, f)), order)
    if request.GET.get("format") == "xlsx":
        content = exporting.ledger_xlsx(qs[: exporting.MAX_ROWS], workdays.schedule(), clock.now())
        response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="transfers-{clock.today().isoformat()}.xlsx"'
        return response
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    page.elided = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    schedule, now = workdays.schedule(), clock.now()
    rows = [_row(t, schedule, now) for t in page.object_list]
    bodies = access.visible_bodies(actor).order_by("code") if (actor.is_supervisor or actor.is_admin) else Body.objects.none()
    query = request.GET.copy()
    query["format"] = "xlsx"
    query.pop("page", None)
    return render(request, "transfers/ledger.html", {
        "rows": rows, "page": page, "f": f, "order": order, "states": rules.STATES.items(), "directions": DIRECTIONS.items(), "bodies": bodies,
        "export_query": query.urlencode(), "may_create": actor.officer is not None and not actor.officer.is_auxiliary,
        "signals": selectors.signals(actor) if (actor.is_supervisor or actor.is_admin or actor.has(access.Role.HEAD)) else [],
    })


def _action_forms(t, actor, data=None, failed_code: str = "", violations=None):
    forms = []
    for code in selectors.allowed_actions(t, actor):
        act = rules.BY_CODE[code]
        form_class = schema_form(inputs.SCHEMAS[code])
        form = form_class(data if code == failed_code else None, prefix=code)
        forms.append({"code": code, "label": act.label, "role": rules.ROLES[act.role], "basis": act.basis, "form": form,
                      "violations": violations if code == failed_code else [], "open": code == failed_code})
    return forms


def _detail_context(request, t, actor, forms=None):
    schedule, now = workdays.schedule(), clock.now()
    entries = list(selectors.record_of(t))
    return {
        "t": t, "row": _row(t, schedule, now), "forms": forms if forms is not None else _action_forms(t, actor),
        "entries": entries, "materials": list(t.materials.all()),
        "team": list(t.team.all()), "offset": selectors.offset_of(t),
        "thresholds": selectors.thresholds_met(t.case) if t.case_id else [],
        "status_labels": rules.STATUS_LABELS,
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = access.request_actor(request)
    t = selectors.get_transfer(pk, actor)
    return render(request, "transfers/detail.html", _detail_context(request, t, actor))


@login_required
def act(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    if code not in rules.BY_CODE or request.method != "POST":
        raise Http404("没有这个移送操作。")
    actor = access.request_actor(request)
    t = selectors.get_transfer(pk, actor)
    form = schema_form(inputs.SCHEMAS[code])(request.POST, prefix=code)
    violations = []
    if form.is_valid():
        try:
            services.perform(t.pk, code, form.service_kwargs(), actor=actor)
        except Refused as refused:
            violations = refused.violations
        else:
            messages.success(request, f"已完成：{rules.BY_CODE[code].label}。")
            return redirect("transfers:detail", pk=t.pk)
    forms = _action_forms(t, actor, request.POST, code, violations)
    for f in forms:
        if f["code"] == code:
            f["form"] = form
    status = 409 if violations else 400
    return render(request, "transfers/detail.html", _detail_context(request, t, actor, forms), status=status)


def _report_subject(request: HttpRequest, actor):
    """What the transfer is reported from: ``case`` or ``inspection`` (GET or POST), else 404."""
    case_id = request.GET.get("case") or request.POST.get("case") or ""
    inspection_id = request.GET.get("inspection") or request.POST.get("inspection") or ""
    if inspection_id.isdigit() and len(inspection_id) < 12:
        found = selectors.finding(int(inspection_id), actor)
        if found is None:
            raise Http404("未找到该检查记录，或您无权查看。")
        return None, found, found.body_id
    case = visible_cases(actor).select_related("body", "item").filter(pk=int(case_id)).first() if (
        case_id.isdigit() and len(case_id) < 12) else None
    if case is None:
        raise Http404("未找到该案件，或您无权查看。")
    return case, None, case.body_id


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """报告移送 from a case (``?case=<id>``) or an inspection's finding (``?inspection=<id>``): the
    team, the suspected offence, the written report."""
    actor = access.request_actor(request)
    case, found, body_id = _report_subject(request, actor)
    officers = Officer.objects.filter(body_id=body_id, status="active", is_auxiliary=False).order_by("pk")
    team = {o.pk for o in case.officers.all()} if case is not None else set(found.inspector_ids)
    violations, values = [], {"team": team, "offence": "", "report": ""}
    if request.method == "POST":
        team = [int(x) for x in request.POST.getlist("team") if x.isdigit()]
        values = {"team": set(team), "offence": request.POST.get("offence", "").strip()[:120],
                  "report": request.POST.get("report", "").strip()[:5000]}
        try:
            t = services.report_transfer(case_id=case.pk if case is not None else None,
                                         inspection_id=found.inspection_id if found is not None else None, team_officer_ids=team,
                                         suspected_offence=values["offence"], report=values["report"], actor=actor)
        except Refused as refused:
            violations = refused.violations
        else:
            messages.success(request, "已报告负责人，负责人应当自接到报告之日起3日内作出是否批准移送的决定。")
            return redirect("transfers:detail", pk=t.pk)
    return render(request, "transfers/report.html", {
        "case": case, "finding": found, "officers": officers, "values": values, "violations": violations,
        "thresholds": selectors.thresholds_met(case) if case is not None else []}, status=409 if violations else 200)


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """登记反向移送或者检察意见."""
    actor = access.request_actor(request)
    violations, values = [], {}
    if request.method == "POST":
        p = request.POST
        values = {k: p.get(k, "").strip() for k in ("inward_kind", "sender", "sender_number", "received_on", "party_name", "summary",
                                                     "reply_months")}
        try:
            received = dt.date.fromisoformat(values["received_on"]) if values["received_on"] else None
        except ValueError:
            received = None
            messages.error(request, "收文日期格式应为 YYYY-MM-DD。")
        try:
            t = services.register_inward(
                inward_kind=values["inward_kind"], sender=values["sender"][:120], sender_number=values["sender_number"][:60],
                received_on=received, party_name=values["party_name"][:120], summary=values["summary"][:5000],
                reply_months=int(values["reply_months"]) if values["reply_months"].isdigit() and 1 <= int(values["reply_months"]) <= 12 else None,
                actor=actor)
        except Refused as refused:
            violations = refused.violations
        else:
            messages.success(request, "已登记，回复期限已开始计算。")
            return redirect("transfers:detail", pk=t.pk)
    return render(request, "transfers/register.html", {"values": values, "violations": violations,
                                                       "policy": selectors.policy()}, status=409 if violations else 200)


def ledger_url() -> str:
    return reverse("transfers:ledger")
