"""The navigation and tile registry (导航与工作台磁贴).

Every app may declare, in a ``nav.py`` module beside its ``models.py``, its ``LINKS`` in the side
navigation and its ``TILES`` on the home page, as plain data (``registry/nav.py`` documents the
keys). The workbench is the top app: it reads every installed ``zhifa`` app's declarations, so a
new app (supervision, the portal) adds its links and tiles without touching another app or
``base.html``. Apps whose declarations still live here (``builtin_nav``) are read from there
until they carry their own ``nav.py``.
"""
from __future__ import annotations

import datetime as dt
import functools
import importlib
from dataclasses import dataclass, field
from typing import Callable

from django.apps import apps
from django.urls import reverse
from django.utils.module_loading import import_string

from . import builtin_nav


@dataclass(frozen=True)
class Link:
    """One link of the side navigation."""

    label: str
    icon: str
    section: str
    order: int
    url: str = ""  # a URL name
    href: str = ""  # a fixed address (the admin site)
    active: tuple[str, ...] = ()
    roles: frozenset[str] | None = None
    count: str = ""
    count_label: str = ""
    testid: str = ""

    def visible_to(self, actor) -> bool:
        return self.roles is None or any(role.value in self.roles for role in actor.roles)

    def is_active(self, view_name: str) -> bool:
        """``active`` patterns: an exact view name, ``prefix*``, and ``!pattern`` to exclude."""
        excluded = any(_matches(p[1:], view_name) for p in self.active if p.startswith("!"))
        return not excluded and any(_matches(p, view_name) for p in self.active if not p.startswith("!"))

    def address(self) -> str:
        return self.href or reverse(self.url)

    def count_for(self, actor, request=None) -> int:
        """The badge: ``f(actor)``, or ``f(actor, request)`` for a function marked
        ``wants_request`` (the to-do count keeps its figure in the session)."""
        if not self.count:
            return 0
        fn = import_string(self.count)
        return fn(actor, request) if getattr(fn, "wants_request", False) else fn(actor)


@dataclass(frozen=True)
class Tile:
    """One tile of the home page: a template and the function giving its context."""

    template: str
    context: str
    order: int
    app: str = field(default="", compare=False)

    def context_for(self, actor, today: dt.date) -> dict | None:
        fn: Callable = import_string(self.context)
        return fn(actor, today)


def _matches(pattern: str, view_name: str) -> bool:
    return view_name.startswith(pattern[:-1]) if pattern.endswith("*") else view_name == pattern


def _declarations() -> list[tuple[str, object]]:
    """``(app label, module or object with LINKS/TILES)`` for every installed zhifa app."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("zhifa."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.nav")
        except ModuleNotFoundError as missing:
            if missing.name != f"{config.name}.nav":
                raise
            module = builtin_nav.DECLARED.get(config.label)
        if module is not None:
            found.append((config.label, module))
    return found


@functools.cache
def links() -> tuple[Link, ...]:
    """Every declared link, in navigation order."""
    result = []
    for _, declared in _declarations():
        for entry in getattr(declared, "LINKS", ()):
            entry = dict(entry)
            roles = entry.pop("roles", None)
            result.append(Link(**entry, roles=frozenset(roles) if roles is not None else None))
    return tuple(sorted(result, key=lambda link: link.order))


@functools.cache
def tiles() -> tuple[Tile, ...]:
    """Every declared home tile, in page order."""
    result = [Tile(**entry, app=label) for label, declared in _declarations() for entry in getattr(declared, "TILES", ())]
    return tuple(sorted(result, key=lambda tile: tile.order))


@dataclass
class NavEntry:
    """A link as shown to one actor on one page (or a section heading when ``link`` is None)."""

    heading: str = ""
    link: Link | None = None
    href: str = ""
    current: bool = False
    count: int = 0


def navigation(actor, view_name: str, request=None) -> list[NavEntry]:
    """The side navigation for ``actor`` on the page ``view_name``: the visible links in order,
    a heading before the first visible link of each section."""
    entries: list[NavEntry] = []
    section = ""
    for link in links():
        if not link.visible_to(actor):
            continue
        if link.section and link.section != section:
            entries.append(NavEntry(heading=link.section))
        section = link.section or section
        entries.append(NavEntry(link=link, href=link.address(), current=link.is_active(view_name),
                                count=link.count_for(actor, request)))
    return entries


def home_context(actor, today: dt.date) -> dict:
    """The home page's context: each tile with something for ``actor`` contributes its keys;
    ``page_actions`` (buttons in the page header) are gathered from all of them, once each."""
    context: dict = {"tiles": [], "page_actions": []}
    for tile in tiles():
        part = tile.context_for(actor, today)
        if part is None:
            continue
        actions = part.pop("page_actions", [])
        context.update(part)
        context["tiles"].append(tile)
        for action in actions:
            if action["href"] not in {a["href"] for a in context["page_actions"]}:
                context["page_actions"].append(action)
    return context
