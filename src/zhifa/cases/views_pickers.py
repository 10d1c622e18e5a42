"""What the forms ask for as you fill them in (htmx partials): the item picker's search and the
discretion explanation beside the decision form. Thin, scoped by the actor like the form they serve."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from zhifa.catalog import discretion
from zhifa.catalog import rules as catalog_rules
from zhifa.registry import access

from . import pickers, selectors, services


@login_required
@require_GET
def pick_items(request: HttpRequest) -> HttpResponse:
    """执法事项检索: the items the actor may register a case under, matching the typed text (code,
    name, pinyin initials), 20 a page; ``body`` narrows them to one body's."""
    actor = access.request_actor(request)
    if actor.officer is None and not actor.is_admin:
        raise PermissionDenied("只有执法主体的工作人员可以选择执法事项。")
    field = (request.GET.get("field") or "item")[:40]
    if not field.isidentifier():
        field = "item"
    q = (request.GET.get(f"{field}_q") or request.GET.get("q") or "").strip()[:60]
    items = selectors.registrable_items(actor)
    body = request.GET.get("body") or ""
    if body.isdigit() and len(body) < 12:  # narrows only (the administrator's case opened from a task: its body's items)
        items = items.filter(body_id=int(body))
    qs = pickers.search(items, q)
    page = pickers.page_of(qs.only("pk", "code", "name", "sub_name"), request.GET.get("page"))
    url = reverse("cases:pick_items") + (f"?body={body}&" if body.isdigit() and len(body) < 12 else "?")
    return render(request, "cases/widgets/_pick_results.html", {"page": page, "field": field, "q": q, "url": url})


@login_required
@require_http_methods(["GET", "POST"])
def case_assess(request: HttpRequest, pk: int) -> HttpResponse:
    """裁量说明 beside the decision form (htmx): the case's facts and the grades and factors ticked
    so far, assessed against the item's benchmark (``catalog.discretion.assess_item``), with the
    reasoning to quote. Read-only: nothing is recorded until the decision is made."""
    actor = access.request_actor(request)
    case = services.get_case(pk, actor)
    data = request.POST if request.method == "POST" else request.GET
    prefix = (data.get("prefix") or "decide")[:20]
    grades = tuple(int(g) for g in data.getlist(f"{prefix}-grades") if g.isdigit() and len(g) < 4)
    factors = tuple(f[:40] for f in data.getlist(f"{prefix}-factors"))[:50]
    facts = catalog_rules.Facts(
        item_code=case.item.code, act_date=case.act_date,
        party_kind=catalog_rules.PartyKind(case.party_kind), age=case.party_age,
        mental_illness=case.party_mental_illness, no_fault_proven=case.no_fault,
        illegal_gains=case.illegal_gains, goods_value=case.goods_value, grades=grades, factors=factors)
    result, error = None, ""
    try:
        result = discretion.assess_item(case.item.code, facts, actor=actor)
    except catalog_rules.FactsError as exc:
        error = "；".join(message for _, message in exc.errors)
    except Http404 as exc:
        error = str(exc) or "该事项没有已公布施行的裁量基准。"
    return render(request, "cases/_assess_side.html", {"result": result, "error": error, "case": case})
