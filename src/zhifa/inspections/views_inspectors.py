"""Pages of the inspector database (执法检查人员名录库, R26) and of conflict declarations (利益冲突申报,
回避, R28): who a draw may send, and whom it must never send where. Thin, like ``views``."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from zhifa.core import clock
from zhifa.core.listing import Sorting, paginate, render_list
from zhifa.core.violations import NOT_FOUND, Refused, Violation
from zhifa.registry import access
from zhifa.registry import selectors as registry_selectors

from . import permissions, selectors, services
from .forms import (
    ID_MAX, ConflictFilterForm, ConflictForm, EndConflictForm, InspectorFilterForm, InspectorProfileForm, entity_matches,
    parse_int,
)
from .models import ConflictDeclaration, Entity
from .views import _refusal, _staff


INSPECTOR_SORTS = {
    "name": ("name",),
    "body": ("body__jurisdiction__path", "body__code", "name"),
    "staff_no": ("staff_no",),
    "expires": ("cert_expires_on", "name"),
    "open": ("open_inspections", "name"),
    "conflicts": ("conflicts_in_force", "name"),
}


def _inspector_staff(request) -> access.Actor:
    actor = _staff(request)
    if not permissions.may_use_inspector_pages(actor):
        raise PermissionDenied("执法辅助人员不参加抽取，不能查看执法检查人员名录库和利益冲突申报。")
    return actor


@login_required
def inspector_list(request: HttpRequest) -> HttpResponse:
    """执法检查人员名录库: the officers a draw may send — active, not auxiliary, certificate valid
    today (R04, R05) — with expertise, availability, open inspections and conflicts in force. The
    body's head edits expertise and availability in the row; ``显示不可抽取人员`` adds the others
    with the reason they are never drawn."""
    actor = _inspector_staff(request)
    today = clock.today()
    bodies = registry_selectors.bodies_in_scope(actor)
    form = InspectorFilterForm(request.GET, bodies=bodies)
    form.is_valid()
    data = form.cleaned_data
    sorting = Sorting(request, INSPECTOR_SORTS, "body")
    counted = sorting.key in ("open", "conflicts")  # otherwise only the page is counted (services.inspector_directory)
    everyone = selectors.inspector_directory(actor, today, eligible_only=False, counts=counted)
    qs = everyone if data.get("ineligible") else selectors.inspector_directory(actor, today, counts=counted)
    qs = selectors.filter_directory(qs, q=data.get("q"), body=data.get("body"), available=data.get("available"))
    page = paginate(request, sorting.order_by(qs))
    rows = page.object_list if counted else selectors.count_directory_page(page.object_list, today)
    page.object_list = selectors.decorate_directory(rows, actor, today)
    totals = selectors.directory_totals(everyone, today)
    columns = sorting.columns([
        ("姓名", "name"), ("所属主体", "body"), ("执法证号", ""), ("有效期至", "expires"), ("专业领域", ""),
        ("参加抽取", ""), ("待检查", "open", "num"), ("在效回避申报", "conflicts", "num"), ("", ""),
    ])
    return render_list(request, "inspections/inspector_list.html", "inspections/_inspector_table.html", {
        "form": form, "page": page, "columns": columns, "sort": sorting.value, "today": today, "totals": totals,
        "show_ineligible": bool(data.get("ineligible")),
    })


@login_required
def inspector_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit one officer's entry (专业领域、参加抽取、说明) — the body's head or the administrator.
    With htmx the table row becomes a form and back; without it, a page of its own."""
    actor = _inspector_staff(request)
    today = clock.today()
    officer = selectors.inspector_directory(actor, today, eligible_only=False).filter(pk=pk).first()
    if officer is None:
        raise Http404("执法人员不存在或不在您的管辖范围内。")
    if not access.can_manage_body(actor, officer.body_id):
        raise PermissionDenied("仅该执法主体负责人或系统管理员可以修改执法检查人员名录信息。")
    htmx = getattr(request, "htmx", None)
    if request.method == "GET" and request.GET.get("row") and htmx:
        return render(request, "inspections/_inspector_row.html", {"o": selectors.decorate_directory([officer], actor, today)[0], "today": today})
    profile = getattr(officer, "inspector_profile", None)
    if request.method == "POST":
        form = InspectorProfileForm(request.POST)
        if form.is_valid():
            services.set_inspector_profile(officer_id=officer.pk, expertise=form.cleaned_data["expertise"],
                                           is_available=form.cleaned_data["is_available"], note=form.cleaned_data["note"], actor=actor)
            if htmx:
                fresh = selectors.inspector_directory(actor, today, eligible_only=False).get(pk=pk)
                return render(request, "inspections/_inspector_row.html", {"o": selectors.decorate_directory([fresh], actor, today)[0], "today": today, "saved": True})
            messages.success(request, f"已保存{officer.name}的名录信息。")
            return redirect("inspections:inspector_list")
    else:
        form = InspectorProfileForm(initial={
            "expertise": profile.expertise if profile else "", "is_available": profile.is_available if profile else True,
            "note": profile.note if profile else "",
        })
    o = selectors.decorate_directory([officer], actor, today)[0]
    template = "inspections/_inspector_edit_row.html" if htmx else "inspections/inspector_edit.html"
    return render(request, template, {"o": o, "form": form, "today": today})


# --- Conflict declarations (利益冲突申报, 回避) ------------------------------------------------

CONFLICT_SORTS = {
    "declared": ("declared_on", "id"),
    "officer": ("officer__name",),
    "entity": ("entity__credit_code",),
    "starts": ("starts_on",),
}


@login_required
def conflict_list(request: HttpRequest) -> HttpResponse:
    """利益冲突申报: the declarations the actor may see, a form to declare (for oneself; a head for
    the body's staff) and a button to end one. A draw never sends an officer to an entity with a
    declaration in force that day (回避, R28)."""
    actor = _inspector_staff(request)
    today = clock.today()
    officers = selectors.declarable_officers(actor).order_by("body_id", "name", "id")
    violations: list = []
    form = None
    if request.method == "POST" and request.POST.get("action") == "end":
        done, violations = _end_conflict(request, actor)
        if done is not None:
            return done
    elif request.method == "POST":
        form = ConflictForm(request.POST, officers=officers)
        done, violations = _declare_conflict(request, form, actor)
        if done is not None:
            return done
    can_declare = officers.exists()
    if form is None and can_declare:
        own = actor.officer if actor.officer is not None and not actor.officer.is_auxiliary else None
        form = ConflictForm(officers=officers, initial={"starts_on": today, "officer": own.pk if own else None})
    bodies = registry_selectors.bodies_in_scope(actor)
    filters = ConflictFilterForm(request.GET, bodies=bodies)
    filters.is_valid()
    data = filters.cleaned_data
    officer_param = request.GET.get("officer", "")
    officer_id = int(officer_param) if officer_param.isdecimal() else None
    qs = selectors.conflicts(actor, q=data.get("q"), body=data.get("body"), state=data.get("state"), today=today,
                             officer_id=officer_id if officer_id is None or officer_id <= ID_MAX else None)
    if officer_id is not None and officer_id > ID_MAX:  # a number past any record's is no officer (and would overflow the driver)
        qs = qs.none()
    sorting = Sorting(request, CONFLICT_SORTS, "-declared")
    page = paginate(request, sorting.order_by(qs))
    rows = list(page.object_list)
    for d in rows:
        d.state = d.state_on(today)
        d.state_label = ConflictDeclaration.STATES[d.state]
        d.can_end = d.state != "ended" and permissions.may_declare_for(actor, d.officer)
    page.object_list = rows
    columns = sorting.columns([
        ("申报人员", "officer"), ("检查对象", "entity"), ("利害关系", ""), ("期间", "starts"), ("申报日期", "declared"),
        ("状态", ""), ("", ""),
    ])
    return render_list(request, "inspections/conflict_list.html", "inspections/_conflict_table.html", {
        "form": filters, "declare_form": form, "can_declare": can_declare, "page": page, "columns": columns,
        "sort": sorting.value, "today": today, "violations": violations,
    })


def _end_conflict(request: HttpRequest, actor: access.Actor) -> tuple[HttpResponse | None, list]:
    """The 结束 button of a declaration: the redirect back to the list, or the refusals."""
    end_form = EndConflictForm(request.POST)
    try:
        if not end_form.is_valid():
            raise ValueError("；".join(e for errors in end_form.errors.values() for e in errors))
        declaration = services.end_conflict(declaration_id=parse_int(request.POST.get("declaration"), limit=ID_MAX) or 0,
                                            ends_on=end_form.cleaned_data["ends_on"], actor=actor)
        messages.success(request, f"已结束申报：{declaration.officer.name} — {declaration.entity.name}，"
                                  f"至 {declaration.ends_on:%Y-%m-%d}。")
        return redirect(request.get_full_path()), []
    except (Refused, ValueError, PermissionDenied) as exc:
        return None, _refusal(exc)
    except Http404:
        return None, [Violation(NOT_FOUND, "未找到该申报")]


def _declare_conflict(request: HttpRequest, form: ConflictForm, actor: access.Actor) -> tuple[HttpResponse | None, list]:
    """The declaration form: the redirect to the list, or the refusals (the form's own errors
    stay on the form)."""
    if not form.is_valid():
        return None, []
    data = form.cleaned_data
    try:
        declaration = services.declare_conflict(
            officer_id=data["officer"].pk, entity_id=data["entity"].pk, relation=data["relation"],
            starts_on=data["starts_on"], ends_on=data["ends_on"], actor=actor)
    except (Refused, PermissionDenied) as exc:
        return None, _refusal(exc)
    messages.success(request, f"已申报：{declaration.officer.name}与「{declaration.entity.name}」（{declaration.relation}），"
                              "抽取时将回避。")
    return redirect("inspections:conflict_list"), []


@login_required
def entity_search(request: HttpRequest) -> HttpResponse:
    """Candidates for the entity box of the declaration form (htmx): exact credit code, code
    prefix or name prefix, at most ten — never a list of the whole database."""
    _inspector_staff(request)
    pick = request.GET.get("pick", "").strip()[:18]
    if pick:  # a candidate was chosen: the box again, holding its code
        chosen = Entity.objects.filter(credit_code=pick.upper()).first()
        return render(request, "inspections/_entity_field.html", {"value": chosen.credit_code if chosen else pick, "chosen": chosen, "errors": []
                                                                  if chosen else ["名录库中没有该统一社会信用代码"]})
    text = (request.GET.get("entity", "") or request.GET.get("q", "")).strip()[:100]
    return render(request, "inspections/_entity_matches.html", {"matches": entity_matches(text), "text": text})
