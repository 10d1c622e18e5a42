"""The list toolkit of every staff page (列表): whitelisted sorting, paging, and rendering the
whole page or only the ``#results`` block that htmx swaps. One toolkit for every app's lists."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

PER_PAGE = 50


@dataclass
class Column:
    """One column of a list table; ``key`` makes it sortable."""

    label: str
    key: str = ""
    css: str = ""
    state: str = ""  # "asc" | "desc" | ""
    next_sort: str = ""

    @property
    def sortable(self) -> bool:
        return bool(self.key)


class Sorting:
    """``?sort=name`` / ``?sort=-name`` against a whitelist: unknown keys fall back to the default."""

    def __init__(self, request: HttpRequest, fields: dict[str, Sequence[str]], default: str):
        self.fields = fields
        value = request.GET.get("sort", "") or default
        if value.lstrip("-") not in fields:
            value = default
        self.value = value
        self.key = value.lstrip("-")
        self.descending = value.startswith("-")

    def order_by(self, qs: QuerySet) -> QuerySet:
        """Order by the key's fields (a leading ``-`` on a field inverts it), empty values last
        in both directions, the primary key last so pages never overlap."""
        order = []
        for name in self.fields[self.key]:
            descending = self.descending != name.startswith("-")
            expression = F(name.lstrip("-"))
            order.append(expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True))
        return qs.order_by(*order, "pk")

    def columns(self, specs: Iterable[tuple]) -> list[Column]:
        """``specs``: ``(label, key, css)`` tuples; an empty key is a plain column."""
        columns = []
        for label, key, *rest in specs:
            css = rest[0] if rest else ""
            column = Column(label, key, css)
            if key:
                if key == self.key:
                    column.state = "desc" if self.descending else "asc"
                    column.next_sort = key if self.descending else f"-{key}"
                else:
                    column.next_sort = key
            columns.append(column)
        return columns


def paginate(request: HttpRequest, rows, per_page: int = PER_PAGE, param: str = "page") -> Page:
    """One page of ``rows`` (a queryset or a list); a bad page number gives the nearest page."""
    paginator = Paginator(rows, per_page)
    page = paginator.get_page(request.GET.get(param))
    page.elided = [
        n if isinstance(n, int) else "…"
        for n in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
    return page


def render_list(request: HttpRequest, template: str, partial: str, context: dict) -> HttpResponse:
    """The full page, or only the results block when htmx swaps ``#results``."""
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == "results":
        return render(request, partial, context)
    return render(request, template, context)
