"""What the side navigation shows of double random, one public (双随机、一公开): the count on the
我的检查 link. The workbench's navigation calls ``my_pending_count`` (declared in
``zhifa.workbench.builtin_nav``); ``{% load inspections_nav %}`` still offers it as a tag."""
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
