"""What higher apps show on the registry's pages (面板), handed down instead of imported.

The registry sits below the catalog (architecture.md): it may not import the catalog, yet a body's
page lists its enforcement items and delegations (R03), and the body list and the supervisors'
overview count items. The catalog registers two providers here when Django starts
(``catalog/apps.py``); without a provider the pages show no items.
"""
from __future__ import annotations

from typing import Any, Callable

_body_panels: list[Callable[[Any], dict]] = []
_item_sources: list[Callable[[Any], Any]] = []


def provide(*, body_panel: Callable[[Any], dict], items_of_bodies: Callable[[Any], Any]) -> None:
    """Register a higher app's body panel (``body -> context dict``) and its item source
    (``bodies queryset or None -> queryset of items with a ``body`` foreign key``)."""
    if body_panel not in _body_panels:
        _body_panels.append(body_panel)
    if items_of_bodies not in _item_sources:
        _item_sources.append(items_of_bodies)


def body_panel(body) -> dict:
    """The context the providers add to a body's page (items, their count, delegations)."""
    context: dict = {"items": [], "n_items": 0, "delegations_in": [], "delegations_out": []}
    for panel in _body_panels:
        context.update(panel(body))
    return context


def items_of_bodies(bodies=None):
    """The provider's items of ``bodies`` (all items when None), or None without a provider."""
    return _item_sources[0](bodies) if _item_sources else None
