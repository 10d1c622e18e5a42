"""The guidance library (执法案例指导, R41) edited in the admin: every save and deletion recorded
on ``guidance:<id>`` (``core/admin_records.py``)."""
from __future__ import annotations

from typing import Iterable

from django.db import models

from zhifa.core import admin_records
from zhifa.core.usecase import use_case


def _stream(obj: models.Model) -> str:
    return f"guidance:{obj.pk}"


@use_case
def save_by_admin(obj: models.Model, *, changed: list[str], created: bool, actor) -> models.Model:
    """A guidance case saved in the admin, recorded on its stream."""
    return admin_records.save(obj, stream=_stream, changed=changed, created=created, actor=actor)


@use_case
def delete_by_admin(objs: Iterable[models.Model], *, actor) -> int:
    """Guidance cases deleted in the admin, each recorded before the row goes."""
    return admin_records.delete(objs, stream=_stream, actor=actor)
