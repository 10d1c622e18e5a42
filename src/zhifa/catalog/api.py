"""Catalog API (R09): enforcement items, public like the power lists they come from.

Items are visible when their body is (``registry.access.visible_bodies``): the public sees the
items of published bodies, staff also those of their own body, supervisors their subtree.
"""
from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from ninja import Path, Query, Router

from zhifa.core.api_auth import OPTIONAL_AUTH
from zhifa.core.pagination import ErrorOut, ValidationErrorOut, order_by, paginate
from zhifa.registry import access

from . import selectors
from .models import Item
from .schemas import ITEM_SORTS, ItemDetailOut, ItemFilters, ItemPage

router = Router()


def _items(actor: access.Actor) -> QuerySet[Item]:
    # What staff see comes from the one selector; the list filter is ``selectors.filter_items``.
    return selectors.visible_items(actor)


def _items_of(request) -> QuerySet[Item]:
    """The items the request's actor may see: the public's are defined once, in catalog/public.py."""
    from . import public

    actor = access.request_actor(request)
    return public.published_items() if actor.is_public else _items(actor)


@router.get(
    "/items", auth=OPTIONAL_AUTH, response={200: ItemPage, 422: ValidationErrorOut}, tags=["执法事项"],
    summary="行政执法事项检索（R09）",
    description=(
        "按名称、子项名称、编码或实施依据（q）、实施主体（body）、权力类型（kind）检索，"
        "valid_on=YYYY-MM-DD 只列该日有效的事项。公开（公众可见已公示主体的事项）。"
    ),
)
def list_items(request, filters: Query[ItemFilters]):
    qs = selectors.filter_items(
        _items_of(request), q=filters.q, body=filters.body, kind=filters.kind, valid_on=filters.valid_on,
    )
    return paginate(order_by(qs, filters.sort, ITEM_SORTS, "body"), filters)


@router.get(
    "/items/{code}", auth=OPTIONAL_AUTH, response={200: ItemDetailOut, 404: ErrorOut, 422: ValidationErrorOut},
    tags=["执法事项"], summary="行政执法事项详情（按事项编码）",
)
def get_item(request, code: Path[str]):
    if "\x00" in code or len(code) > 40:
        raise Http404
    item = _items_of(request).filter(code=code).first()
    if item is None:
        raise Http404
    return item
