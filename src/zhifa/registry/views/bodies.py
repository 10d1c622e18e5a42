"""执法主体 pages (R01, R02, R05): the body list, one body with its people, items and
delegations, admitting an officer (录用), and the jurisdiction tree (区划与层级)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from zhifa.core import clock
from zhifa.core.listing import Sorting, paginate, render_list
from zhifa.core.violations import Refused

from .. import access, forms, panels, selectors, services
from ..access import request_actor
from ..forms import BodyFilterForm
from ..models import Body, Jurisdiction, Officer
from .common import ActionPanel, _decorate_officers


# --- Bodies -------------------------------------------------------------------------------

BODY_SORTS = {**selectors.BODY_ORDERINGS, "officers": ("n_officers",), "items": ("n_items",)}


@login_required
def body_list(request: HttpRequest) -> HttpResponse:
    """执法主体名录 (R01): every body the actor may see, filtered, sorted, 50 a page."""
    actor = request_actor(request)
    form = BodyFilterForm(request.GET, jurisdictions=Jurisdiction.objects.all())
    form.is_valid()
    data = form.cleaned_data
    qs = selectors.search_bodies(
        selectors.listed_bodies(actor), q=data.get("q"), sector=data.get("sector"), kind=data.get("kind"),
        jurisdiction_path=data["jurisdiction"].path if data.get("jurisdiction") else None,
    )
    sorting = Sorting(request, BODY_SORTS, "jurisdiction")
    page = paginate(request, sorting.order_by(qs))
    columns = sorting.columns([
        ("主体编码", "code"), ("名称", "name"), ("所属区划", "jurisdiction"), ("执法领域", "sector"),
        ("主体类型", ""), ("执法人员", "officers", "num"), ("执法事项", "items", "num"), ("监督电话", ""),
    ])
    context = {"form": form, "page": page, "columns": columns, "sort": sorting.value, "nav": "bodies"}
    return render_list(request, "registry/body_list.html", "registry/_body_table.html", context)


@login_required
def body_detail(request: HttpRequest, pk: int, register_panel: "ActionPanel | None" = None) -> HttpResponse:
    """One body: every R01 field, its people, its items and its delegations (R03)."""
    actor = request_actor(request)
    today = clock.today()
    body = get_object_or_404(
        access.visible_bodies(actor).select_related("jurisdiction", "parent_department", "entrusted_by"), pk=pk
    )
    private = access.can_see_private(actor, body)
    if private:
        people = access.staff_officers(actor).filter(body=body, status=Officer.Status.ACTIVE)
    else:
        people = access.public_officers().filter(body=body)
    people = services.with_current_certificate(people).order_by("is_auxiliary", "-is_head", "name", "pk")
    page = paginate(request, people, param="page")
    officers = _decorate_officers(page.object_list, today, with_hours=private)
    context = {
        "body": body,
        "private": private,
        "page": page,
        "officers": officers,
        **panels.body_panel(body),
        "subordinates": access.visible_bodies(actor).filter(parent_department=body),
        "can_health": access.can_view_health(actor) and (actor.is_admin or actor.is_supervisor or actor.body_id == body.pk),
        "today": today,
        "nav": "bodies",
    }
    if access.can_manage_body(actor, body.pk):
        context["register_panel"] = register_panel or ActionPanel(
            "register", forms.RegisterOfficerForm(prefix="register"), reverse("registry:register_officer", args=[body.pk])
        )
    return render(request, "registry/body_detail.html", context)



@login_required
@require_http_methods(["GET", "POST"])
def register_officer(request: HttpRequest, pk: int) -> HttpResponse:
    """录用人员 (R05): the head adds an officer or an auxiliary staff member to the body."""
    actor = request_actor(request)
    body = get_object_or_404(access.scope_bodies(actor, Body.objects.all()), pk=pk)
    if not access.can_manage_body(actor, body.pk):
        raise PermissionDenied("只有本主体负责人或系统管理员可以录用人员。")
    if request.method == "GET":
        return redirect(f"{reverse('registry:body_detail', args=[body.pk])}#action-register")
    form = forms.RegisterOfficerForm(request.POST, prefix="register")
    panel = ActionPanel("register", form, reverse("registry:register_officer", args=[body.pk]), open=True)
    status = 400
    if form.is_valid():
        try:
            officer = services.register_officer(body.pk, **form.service_kwargs(), actor=actor)
        except Refused as refused:
            panel.violations = refused.violations
            status = 409
        else:
            kind = "执法辅助人员" if officer.is_auxiliary else "执法人员"
            messages.success(request, f"已录用{kind}{officer.name}。")
            return redirect(reverse("registry:officer_detail", args=[officer.pk]))
    response = body_detail(request, body.pk, register_panel=panel)
    response.status_code = status
    return response



# --- Jurisdictions (R02 command view) -----------------------------------------------------

@login_required
def jurisdiction_tree(request: HttpRequest) -> HttpResponse:
    """区划与层级: the city → county → township tree with the bodies of each node and the totals
    of its subtree, so that each level sees what it commands and coordinates (R02)."""
    actor = request_actor(request)
    nodes = list(Jurisdiction.objects.all())
    by_id = {j.pk: j for j in nodes}
    root = None
    root_param = request.GET.get("root", "")
    if root_param.isdigit():
        root = by_id.get(int(root_param))
    if root is None and actor.jurisdiction_path and not actor.is_admin and "root" not in request.GET:
        root = next((j for j in nodes if j.path == actor.jurisdiction_path), None)
    if root is not None:
        nodes = [j for j in nodes if j.path.startswith(root.path)]
    roots, n_bodies = selectors.command_tree(actor, nodes)
    context = {
        "roots": roots,
        "root": root,
        "all_jurisdictions": Jurisdiction.objects.all(),
        "n_bodies": n_bodies,
        "nav": "jurisdictions",
    }
    return render(request, "registry/jurisdiction_tree.html", context)
