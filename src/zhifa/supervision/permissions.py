"""Who may do what in supervision (执法监督的权限): one place for services, selectors and views."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied

from zhifa.registry import access
from zhifa.registry.access import Role


def is_office(actor: access.Actor) -> bool:
    """The supervision office (执法监督机构) or the administrator."""
    return actor.is_supervisor or actor.is_admin


def require_office(actor: access.Actor, what: str) -> None:
    if not is_office(actor):
        raise PermissionDenied(f"只有执法监督机构可以{what}。")


def may_bind(actor: access.Actor, body_id: int) -> bool:
    """The body's own enforcement staff (officers, heads; not auxiliary staff) or the administrator."""
    if actor.is_admin:
        return True
    return actor.body_id == body_id and (actor.has(Role.OFFICER) or actor.has(Role.HEAD)) and not actor.has(Role.AUXILIARY)


def require_bind(actor: access.Actor, body_id: int) -> None:
    if not may_bind(actor, body_id):
        raise PermissionDenied("只有本主体的执法人员可以装订本主体的案卷。")


def is_body_head(actor: access.Actor, body_id: int) -> bool:
    return actor.has(Role.HEAD) and actor.body_id == body_id


def actor_name(actor: access.Actor) -> str:
    """The acting officer's name (the login name for an account without an officer)."""
    if actor.officer is not None:
        return actor.officer.name
    user = actor.user
    if getattr(user, "is_authenticated", False):
        return user.get_full_name() or user.get_username()
    return ""
