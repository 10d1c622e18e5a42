"""Discretion benchmarks (行政处罚裁量基准, R10): publishing a draft version (APL art.34)."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from zhifa.core import clock
from zhifa.core.usecase import use_case
from zhifa.core.violations import refuse_if_any
from zhifa.registry import access

from .. import rules
from ..models import Benchmark
from ..recording import record


@use_case
@transaction.atomic
def publish_benchmark(benchmark_id: int, *, actor: access.Actor, published_on: dt.date | None = None) -> Benchmark:
    """Publish a draft version (公布裁量基准): its body's head or the administrator. The
    previously published open-ended version of the item ends the day before the new one takes
    effect. Refused (409) when the draft has no grade or a grade's range is inverted.
    Records ``publish`` on ``benchmark:<id>``."""
    b = Benchmark.objects.select_for_update().select_related("item").filter(pk=benchmark_id).first()
    if b is None or not (actor.is_admin or actor.body_id == b.body_id):
        raise Http404("未找到该裁量基准，或您无权查看。")
    if not access.can_manage_body(actor, b.body_id):
        raise PermissionDenied("只有本主体负责人或系统管理员可以公布裁量基准。")
    refuse_if_any(rules.publication_violations(
        is_draft=b.status == Benchmark.Status.DRAFT,
        grades=[rules.GradeDraft(g.name, g.amount_min, g.amount_max, tuple(g.penalty_kinds)) for g in b.grades.all()],
    ))
    ended = _end_previous_version(b)
    b.status = Benchmark.Status.PUBLISHED
    b.published_on = published_on or clock.today()
    b.save(update_fields=["status", "published_on"])
    record(f"benchmark:{b.pk}", "publish", {
        "item_id": b.item_id, "item_code": b.item.code, "version": b.version, "published_on": b.published_on,
        "valid_from": b.valid_from, "ended": ended,
    }, actor)
    return b


def _end_previous_version(b: Benchmark) -> list[int]:
    """The item's published open-ended version ends the day before ``b`` takes effect."""
    previous = list(Benchmark.objects.select_for_update().filter(
        item_id=b.item_id, status=Benchmark.Status.PUBLISHED, valid_to__isnull=True, valid_from__lt=b.valid_from,
    ))
    for old in previous:
        old.valid_to = b.valid_from - dt.timedelta(days=1)
        old.save(update_fields=["valid_to"])
    return [old.pk for old in previous]
