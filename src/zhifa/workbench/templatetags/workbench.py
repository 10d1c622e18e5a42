"""``{% load workbench %}{% side_nav %}``: the side navigation of ``base.html``, built from the
links every app declares (``zhifa.workbench.menu``)."""
from __future__ import annotations

from django import template

from zhifa.workbench import menu

register = template.Library()


@register.inclusion_tag("workbench/_nav.html", takes_context=True)
def side_nav(context) -> dict:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    actor = context.get("actor")
    entries = menu.navigation(actor, getattr(match, "view_name", "") or "", request) if actor is not None else []
    return {"entries": entries}
