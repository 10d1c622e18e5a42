"""``{% load inspections_nav %}``: what the side navigation (``base.html``) shows of double random,
one public — the count on the 我的检查 link."""
from __future__ import annotations

from django import template

from zhifa.inspections import selectors

register = template.Library()


@register.simple_tag
def my_pending_count(actor) -> int:
    """How many inspections the draws sent the actor's officer to are still to be recorded (待录入):
    one COUNT query, none for a user who is never drawn (no officer record, auxiliary staff)."""
    officer = getattr(actor, "officer", None)
    if officer is None or officer.is_auxiliary:
        return 0
    return selectors.my_inspections(actor, "pending").order_by().count()
