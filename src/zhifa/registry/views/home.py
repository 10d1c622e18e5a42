"""The registry's tiles on the workbench (工作台, ``zhifa.workbench``): what each role needs first
when the day starts. Declared in ``registry/nav.py``; each function takes the actor and today and
returns its part of the page's context, or ``None`` when the tile has nothing for this actor."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from django.conf import settings
from django.urls import reverse

from .. import access, panels, services
from ..access import Role
from ..models import Body, Jurisdiction, Officer
from .common import _decorate_officers, _flag_rows, _flag_summary, _percent, _required_hours


def overview_tile(actor: access.Actor, today: dt.date) -> dict | None:
    """Supervisors and the administrator: the subtree at a glance (bodies, people, items, flags)."""
    if not (actor.is_supervisor or actor.is_admin):
        return None
    bodies = access.scope_bodies(actor, Body.objects.filter(is_active=True))
    officers = access.staff_officers(actor).filter(status=Officer.Status.ACTIVE, body__is_active=True)
    items = panels.items_of_bodies(bodies)
    flags = services.health_flags(actor, today)
    context = dict(
        overview=True,
        n_bodies=bodies.count(),
        n_officers=officers.filter(is_auxiliary=False).count(),
        n_auxiliary=officers.filter(is_auxiliary=True).count(),
        n_items=items.count() if items is not None else 0,
        n_flags=len(flags),
        flag_summary=_flag_summary(flags),
    )
    top = Counter(f.body_id for f in flags).most_common(8)
    names = bodies.filter(pk__in=[b for b, _ in top]).select_related("jurisdiction").in_bulk()
    context["top_bodies"] = [{"body": names[b], "count": n} for b, n in top if b in names]
    if actor.is_supervisor and actor.jurisdiction_path:
        context["supervised"] = Jurisdiction.objects.filter(path=actor.jurisdiction_path).first()
    if context.get("supervised"):
        context["scope_label"] = f"监督范围：{context['supervised'].name}全域"
    elif actor.is_admin:
        context["scope_label"] = "全系统"
    context["page_actions"] = _health_action()
    return context


def _health_action() -> list[dict]:
    return [{"label": "查看队伍健康度", "href": reverse("registry:health"), "primary": True}]


def me_tile(actor: access.Actor, today: dt.date) -> dict | None:
    """Every staff member: own body, own certificate (R04), this year's training (R07)."""
    if actor.officer is None:
        return None
    required = _required_hours()
    me = services.with_current_certificate(
        Officer.objects.select_related("body__jurisdiction").filter(pk=actor.officer.pk)
    ).get()
    me = _decorate_officers([me], today)[0]
    context = {"me": me, "my_percent": _percent(me.hours, required), "required_hours": required,
               "expiry_warning_days": settings.ZHIFA["CERTIFICATE_EXPIRY_WARNING_DAYS"]}
    if me.cert_expires:
        context["my_days_left"] = (me.cert_expires - today).days
    return context


def people_tile(actor: access.Actor, today: dt.date) -> dict | None:
    """The head of a body: its people and its flags."""
    if not actor.has(Role.HEAD) or actor.body_id is None:
        return None
    people = services.with_current_certificate(
        access.staff_officers(actor).filter(body_id=actor.body_id, status=Officer.Status.ACTIVE)
    ).order_by("is_auxiliary", "name", "pk")
    body_flags = services.health_flags(actor, today, body_id=actor.body_id)
    return {
        "people": _decorate_officers(people, today),
        "body_flags": _flag_rows(body_flags, actor),
        "body_flag_summary": _flag_summary(body_flags),
        "required_hours": _required_hours(),
        "page_actions": _health_action(),
    }
