"""Who may do what on a case (案件办理权限): every role check of the cases app, in one place.

The services (before any write), the selectors (the scope of every read) and the pages (which
buttons to show) all ask here, so a page never offers what the service would refuse and the
service never trusts a page. Scope by jurisdiction itself is ``registry.access``; this module adds
what is particular to cases:

- the roles an officer holds on one case (``roles_on``): ``staff`` (any active member of the
  case's body, auxiliary staff too), ``officer`` (a certified, non-auxiliary member), ``head``
  (主体负责人) and ``reviewer`` (法制审核人员 of the body or of its county department, 提级审核);
- the extra read scope of a county department's legal reviewers over its townships' cases;
- the queues: the head's approvals (负责人审批) and the legal reviewer's reviews (法制审核).
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from zhifa.registry import access
from zhifa.registry.models import Officer

ROLE_WHO = {"staff": "本主体工作人员", "officer": "本主体持证执法人员", "head": "本主体负责人", "reviewer": "法制审核人员"}


def _active(actor: access.Actor) -> Officer | None:
    officer = actor.officer
    return officer if officer is not None and officer.status == Officer.Status.ACTIVE else None


def roles_on(actor: access.Actor, case, parent_department_id: int | None = None) -> frozenset[str]:
    """The actor's roles on this case (see ``workflow``): staff, officer, head, reviewer."""
    officer = _active(actor)
    if officer is None:
        return frozenset()
    roles = set()
    if officer.body_id == case.body_id:
        roles.add("staff")
        if not officer.is_auxiliary:
            roles.add("officer")
            if officer.is_head:
                roles.add("head")
    if officer.is_legal_reviewer and not officer.is_auxiliary and (
        officer.body_id == case.body_id or (parent_department_id is not None and officer.body_id == parent_department_id)
    ):
        roles.add("reviewer")
    return frozenset(roles)


def case_roles(actor: access.Actor, case) -> frozenset[str]:
    """``roles_on`` for a case loaded with its body (the parent department read from it)."""
    return roles_on(actor, case, case.body.parent_department_id)


def require_role(actor: access.Actor, case, role: str, label: str) -> None:
    """403 unless the actor holds ``role`` on the case (``label``: the act, for the message)."""
    if role not in case_roles(actor, case):
        raise PermissionDenied(f"只有{ROLE_WHO[role]}可以{label}。")


def case_scope(actor: access.Actor) -> Q | None:
    """The condition on ``Case`` of what the actor may read (``None``: everything): own body, a
    supervisor's subtree (``access.body_filter``), and for a county department's legal reviewer
    also its townships' cases, which it reviews (提级审核)."""
    condition = access.body_filter(actor, "body")
    if condition is None:
        return None
    if actor.officer is not None and actor.officer.is_legal_reviewer and actor.body_id:
        condition |= Q(body__parent_department_id=actor.body_id)
    return condition


def may_register(actor: access.Actor, body_id: int | None = None) -> bool:
    """案源登记: any staff member of the body (auxiliary staff too); the administrator for any body.
    Without ``body_id``: whether the actor may register for some body (the list's button)."""
    if body_id is None:
        return actor.officer is not None or actor.is_admin
    return (actor.is_admin or actor.body_id == body_id) and (actor.officer is not None or actor.is_admin)


def require_register(actor: access.Actor, body_id: int | None) -> None:
    if body_id is None or not may_register(actor, body_id):
        raise PermissionDenied("只有本主体工作人员可以登记案源。")


def is_head(actor: access.Actor) -> bool:
    """An active, non-auxiliary head of a body (主体负责人): the approvals queue is theirs."""
    officer = _active(actor)
    return bool(officer and officer.is_head and not officer.is_auxiliary)


def require_head(actor: access.Actor) -> Officer:
    if not is_head(actor):
        raise PermissionDenied("审批事项仅向主体负责人开放。")
    return actor.officer


def is_reviewer(actor: access.Actor) -> bool:
    """A non-auxiliary legal reviewer (法制审核人员): the review queue is theirs."""
    officer = actor.officer
    return bool(officer and officer.is_legal_reviewer and not officer.is_auxiliary)


def require_reviewer(actor: access.Actor) -> Officer:
    if not is_reviewer(actor):
        raise PermissionDenied("法制审核事项仅向法制审核人员开放。")
    return actor.officer
