"""Who may do what on a transfer (移送权限), one place for services, selectors and pages.

Roles on one transfer (``roles_on``): ``officer`` (a certified, non-auxiliary member of the
transfer's body), ``team`` (an officer named to the transfer's team, Order 310 art.5 ¶1) and
``head`` (the body's head, 正职负责人或者主持工作的负责人, art.5 ¶1–2). A role gives the right to try
an act (403 without it); the actor's own certificate valid on the act's date is a legal guard of
the act (409 ``CERTIFICATE_INVALID``, R04), as for cases (``cases.permissions``).
"""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from zhifa.cases.permissions import certificate_violations
from zhifa.core.violations import Violation
from zhifa.registry import access

from . import rules


def roles_on(actor: access.Actor, transfer, team_ids: set[int] | None = None) -> frozenset[str]:
    officer = actor.officer
    if officer is None or officer.status != "active" or officer.is_auxiliary or officer.body_id != transfer.body_id:
        return frozenset()
    roles = {"officer"}
    if officer.is_head:
        roles.add("head")
    ids = team_ids if team_ids is not None else {o.pk for o in transfer.team.all()}
    if officer.pk in ids:
        roles.add("team")
    return frozenset(roles)


def require_role(actor: access.Actor, transfer, role: str, label: str) -> None:
    if role not in roles_on(actor, transfer):
        raise PermissionDenied(f"只有{rules.ROLES[role]}可以{label}。")


def check_actor(actor: access.Actor, on: dt.date) -> list[Violation]:
    """R04: the acting officer's own certificate valid on the act's date."""
    return certificate_violations(actor, on)


def check_actor_cached(actor: access.Actor, on: dt.date) -> list[Violation]:
    """``check_actor`` read once per officer object and day: what a list *shows* for every row
    (``allowed_actions``) in a constant number of queries. The services always read afresh."""
    officer = actor.officer
    cached = getattr(officer, "_zhifa_transfer_certificate_on", None)
    if officer is None or cached is None or cached[0] != on:
        found = check_actor(actor, on)
        if officer is not None:
            officer._zhifa_transfer_certificate_on = (on, found)
        return found
    return cached[1]


def may_create(actor: access.Actor, body_id: int | None) -> bool:
    """Any certified, non-auxiliary officer of the body opens a transfer (the team reports, art.5)
    or registers an inward matter."""
    officer = actor.officer
    return bool(officer and not officer.is_auxiliary and officer.status == "active" and officer.body_id == body_id)


def require_create(actor: access.Actor, body_id: int | None) -> None:
    if not may_create(actor, body_id):
        raise PermissionDenied("只有本机关的持证执法人员可以报告移送或者登记来文。")


def scope(actor: access.Actor) -> Q | None:
    """What the actor may read: own body; the supervision office its jurisdiction (city-wide for the
    city's office); everything for the administrator."""
    return access.body_filter(actor, "body")
