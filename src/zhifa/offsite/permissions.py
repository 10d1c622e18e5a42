"""Who may do what in off-site enforcement (非现场执法权限), one place for services, selectors and
pages:

- a device and its legality file: the body's head (主体负责人) or the administrator;
- importing captures (a batch, or a device's push account): any staff member of the body;
- reviewing a capture and opening a case from it (APL art.41 ¶2, "reviewed by a person"): a
  certified, non-auxiliary officer of the body whose certificate is valid that day (R04);
- reading: the body's staff, a supervisor's jurisdiction, the administrator (``registry.access``).
"""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied

from zhifa.cases.permissions import certificate_violations
from zhifa.core.violations import Violation
from zhifa.registry import access
from zhifa.registry.models import Officer


def _active(actor: access.Actor) -> Officer | None:
    officer = actor.officer
    return officer if officer is not None and officer.status == Officer.Status.ACTIVE else None


def may_manage_devices(actor: access.Actor, body_id: int | None) -> bool:
    officer = _active(actor)
    return actor.is_admin or bool(officer and body_id and officer.body_id == body_id and officer.is_head and not officer.is_auxiliary)


def require_manage_devices(actor: access.Actor, body_id: int | None) -> None:
    if not may_manage_devices(actor, body_id):
        raise PermissionDenied("只有本主体负责人可以登记和维护电子技术监控设备。")


def may_import(actor: access.Actor, body_id: int) -> bool:
    officer = _active(actor)
    return actor.is_admin or bool(officer and officer.body_id == body_id)


def require_import(actor: access.Actor, body_id: int) -> None:
    if not may_import(actor, body_id):
        raise PermissionDenied("只有本主体工作人员可以导入电子监控记录。")


def may_review(actor: access.Actor, body_id: int) -> bool:
    """The role (403 without): a non-auxiliary officer of the body."""
    officer = _active(actor)
    return bool(officer and officer.body_id == body_id and not officer.is_auxiliary)


def require_review(actor: access.Actor, body_id: int) -> None:
    if not may_review(actor, body_id):
        raise PermissionDenied("电子监控记录须由本主体持证执法人员审核。")


def reviewer_violations(actor: access.Actor, on: dt.date) -> list[Violation]:
    """R04 for the reviewing person: a certificate valid on the day (409 with the reason)."""
    return certificate_violations(actor, on)
