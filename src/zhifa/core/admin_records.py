"""Saves and deletions made in the admin site (管理后台), recorded like every other write.

The admin's form has checked the input; each app's ``save_by_admin`` / ``delete_by_admin`` use
case names the stream of its models and calls these, so that supervision sees who changed what
behind the pages (architecture.md, "Every write leaves a record")."""
from __future__ import annotations

from typing import Callable, Iterable

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from . import ledger

REFUSED = "只有系统管理员可以在后台维护数据。"



def _require_admin(actor) -> None:
    if not getattr(actor, "is_admin", False) and not getattr(getattr(actor, "user", None), "is_staff", False):
        raise PermissionDenied(REFUSED)


def _action(obj: models.Model, verb: str) -> str:
    return f"admin_{verb}_{obj._meta.model_name}"


def save(obj: models.Model, *, stream: Callable[[models.Model], str], changed: list[str], created: bool, actor) -> models.Model:
    """Save ``obj`` and record ``admin_create_<model>`` (every field) or ``admin_change_<model>``
    (the changed fields) on ``stream(obj)``."""
    _require_admin(actor)
    with transaction.atomic():
        obj.save()
        names = [f.name for f in obj._meta.concrete_fields] if created else changed
        ledger.append(stream(obj), _action(obj, "create" if created else "change"),
                      {"id": obj.pk, "changed": ledger.model_values(obj, names)}, actor=actor)
    return obj


def delete(objs: Iterable[models.Model], *, stream: Callable[[models.Model], str], actor) -> int:
    """Delete ``objs``, each recorded (``admin_delete_<model>``) on its stream before the row goes."""
    _require_admin(actor)
    count = 0
    with transaction.atomic():
        for obj in objs:
            ledger.append(stream(obj), _action(obj, "delete"), {"id": obj.pk, "label": str(obj)}, actor=actor)
            obj.delete()
            count += 1
    return count
