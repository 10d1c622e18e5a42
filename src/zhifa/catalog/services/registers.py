"""Edits in the admin (管理后台) of the catalogue — items and their legal provisions, laws,
benchmarks with their grades and factors, the three lists, delegations — recorded on the streams
supervision reads (``core/admin_records.py``)."""
from __future__ import annotations

from django.db import models as db

from zhifa.core import admin_records
from zhifa.core.usecase import use_case
from zhifa.registry import access

from .. import models


def _stream_of(obj: db.Model) -> str:
    """An item's rows on ``item:<code>``, a benchmark's on ``benchmark:<id>``, a law's provisions on
    ``law:<id>``, each list on ``list:<kind>``, a delegation on ``delegation:<id>``."""
    if isinstance(obj, models.Item):
        return f"item:{obj.code}"
    if isinstance(obj, models.ItemProvision):
        return f"item:{obj.item.code}"
    if isinstance(obj, models.Delegation):
        return f"delegation:{obj.pk}"
    if isinstance(obj, models.Benchmark):
        return f"benchmark:{obj.pk}"
    if isinstance(obj, (models.BenchmarkGrade, models.Factor)):
        return f"benchmark:{obj.benchmark_id}"
    if isinstance(obj, models.Law):
        return f"law:{obj.pk}"
    if isinstance(obj, models.Provision):
        return f"law:{obj.law_id}"
    lists = {models.ExemptionEntry: "exemption", models.LegalReviewRule: "review", models.RecordingRule: "recording"}
    return f"list:{lists[type(obj)]}" if type(obj) in lists else f"{obj._meta.model_name}:{obj.pk}"


@use_case
def save_by_admin(obj: db.Model, *, changed: list[str], created: bool, actor: access.Actor) -> db.Model:
    """A save from the admin site, recorded on the row's stream with the changed values."""
    return admin_records.save(obj, stream=_stream_of, changed=changed, created=created, actor=actor)


@use_case
def delete_by_admin(objs, *, actor: access.Actor) -> int:
    """Deletions from the admin site, each recorded on its stream before the row goes."""
    return admin_records.delete(objs, stream=_stream_of, actor=actor)
