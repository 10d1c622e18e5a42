"""Edits in the admin (管理后台) of the item list (抽查事项清单), the entity database (检查对象名录库),
inspector profiles and conflict declarations: the admin's form has checked the input; the use case
saves it and appends its record entry in the admin's transaction, so that supervision sees who
changed the lists the draws read. Spreadsheet imports of the entity database are recorded by
``core.importing.run_import`` (one entry per run), not here."""
from __future__ import annotations

from django.db import models

from zhifa.core import ledger
from zhifa.core.usecase import use_case
from zhifa.registry import access

from ..models import ConflictDeclaration, Entity, InspectionItem, InspectorProfile


def _stream(obj: models.Model) -> str:
    """The record stream of an edited row: the item list as one list, an entity, the officer of a
    profile, a declaration."""
    if isinstance(obj, InspectionItem):
        return "list:inspection_items"
    if isinstance(obj, Entity):
        return f"entity:{obj.pk}"
    if isinstance(obj, InspectorProfile):
        return f"officer:{obj.officer_id}"
    if isinstance(obj, ConflictDeclaration):
        return f"conflict:{obj.pk}"
    raise TypeError(f"不在管理后台记录范围内的数据：{type(obj).__name__}")


def _key(obj: models.Model) -> dict:
    key = {"model": obj._meta.model_name, "id": obj.pk}
    if isinstance(obj, InspectionItem):
        key["code"] = obj.code
    elif isinstance(obj, Entity):
        key["credit_code"] = obj.credit_code
    return key


@use_case
def save_in_admin(obj: models.Model, *, changed: list[str], actor: access.Actor) -> models.Model:
    """Save a row added or changed in the admin and record what changed (``admin_add`` with every
    field, ``admin_change`` with the changed ones)."""
    created = obj.pk is None
    obj.save()
    names = [f.name for f in obj._meta.concrete_fields if not f.primary_key] if created else changed
    ledger.append(_stream(obj), "admin_add" if created else "admin_change",
                  {**_key(obj), "changed": ledger.model_values(obj, names, key="attname")}, actor=actor)
    return obj


@use_case
def delete_in_admin(obj: models.Model, *, actor: access.Actor) -> None:
    """Delete a row in the admin (an item, a profile, a declaration: entities are never deleted)
    and record it."""
    stream, key = _stream(obj), _key(obj)
    obj.delete()
    ledger.append(stream, "admin_delete", key, actor=actor)
