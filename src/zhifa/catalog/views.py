"""Staff pages of the enforcement item catalogue (R09): the list and one item.

Items are part of each body's published power list (权责清单), so staff see the items of every
body ``access.visible_bodies`` lets them see. Thin: parse, query through access, render.
"""
from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from zhifa.core import clock
from zhifa.registry import access
from zhifa.registry.access import request_actor
from zhifa.registry.forms import ANY, BodyChoiceField, SearchInput
from zhifa.registry.models import Body
from zhifa.core.listing import Sorting, paginate, render_list

from . import selectors
from .models import Item

VALIDITY_CHOICES = [("current", "现行有效"), ("expired", "已失效"), ("all", "全部")]


class ItemFilterForm(forms.Form):
    """筛选执法事项."""

    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=SearchInput(attrs={"placeholder": "事项名称、编码或实施依据"}))
    kind = forms.ChoiceField(label="权力类型", choices=ANY + list(Item.Kind.choices), required=False)
    body = BodyChoiceField(label="实施主体", queryset=Body.objects.none(), required=False, empty_label="全部")
    validity = forms.ChoiceField(label="效力", choices=VALIDITY_CHOICES, required=False)

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].css = "grow"
        self.fields["body"].queryset = bodies if bodies is not None else Body.objects.none()


ITEM_SORTS = {
    "code": ("code",),
    "name": ("name", "sub_name", "code"),
    "kind": ("kind", "code"),
    "body": ("body__jurisdiction__path", "body__code", "code"),
    "valid_from": ("valid_from", "code"),
}


def _visible_items(actor: access.Actor):
    return selectors.visible_items(actor)


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    """执法事项清单 (R09): filter by keyword, kind, body and validity; sort; 50 a page."""
    actor = request_actor(request)
    today = clock.today()
    bodies = access.visible_bodies(actor).filter(is_active=True).order_by("jurisdiction__path", "code")
    form = ItemFilterForm(request.GET, bodies=bodies)
    form.is_valid()
    data = form.cleaned_data
    validity = data.get("validity") or "current"
    qs = selectors.filter_items(
        _visible_items(actor), q=data.get("q"), kind=data.get("kind"), body=data.get("body"),
        valid_on=today if validity == "current" else None, expired_on=today if validity == "expired" else None,
    )
    sorting = Sorting(request, ITEM_SORTS, "body")
    page = paginate(request, sorting.order_by(qs))
    columns = sorting.columns([
        ("事项编码", "code"), ("事项名称", "name"), ("权力类型", "kind"), ("实施主体", "body"),
        ("实施依据", ""), ("生效日期", "valid_from"),
    ])
    context = {"form": form, "page": page, "columns": columns, "sort": sorting.value, "today": today, "nav": "items"}
    return render_list(request, "catalog/item_list.html", "catalog/_item_table.html", context)


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One item: its legal basis (with the articles it is linked to), body, versions and
    delegations (R03, R09)."""
    actor = request_actor(request)
    today = clock.today()
    item = get_object_or_404(_visible_items(actor).select_related("body__jurisdiction", "supersedes"), pk=pk)
    provisions = item.item_provisions.select_related("provision__law").order_by("role", "provision__law__short_title", "provision__number")
    delegations = selectors.delegations_of_item(item, access.visible_bodies(actor))
    in_force = item.valid_from <= today and (item.valid_to is None or item.valid_to >= today)
    context = {
        "item": item,
        "provisions": provisions,
        "delegations": delegations,
        "newer": _visible_items(actor).filter(supersedes=item).order_by("-version"),
        "in_force": in_force,
        "today": today,
        "nav": "items",
    }
    return render(request, "catalog/item_detail.html", context)
