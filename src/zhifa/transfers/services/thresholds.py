"""Criminal thresholds per item (立案追诉标准) as data with their source (O310 art.3): saved and
removed through here, each change recorded on the item's stream ``item:<code>``."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction

from zhifa.catalog.models import Item
from zhifa.core import citations as c
from zhifa.core import ledger
from zhifa.core.usecase import use_case
from zhifa.core.violations import INVALID_INPUT, Violation, refuse_if_any
from zhifa.registry import access

from .. import rules
from ..models import CriminalThreshold


@use_case
def save_threshold(*, item_code: str, measure: str, amount: Decimal, offence: str, source: str,
                   effective_from: dt.date | None = None, effective_to: dt.date | None = None,
                   threshold_id: int | None = None, actor: access.Actor | None = None, actor_name: str = "") -> CriminalThreshold:
    """Add or change a threshold (the administrator, or a loader such as the demo with ``actor=None``
    and its name)."""
    if actor is not None and not actor.is_admin:
        raise PermissionDenied("只有系统管理员可以维护刑事立案追诉标准。")
    v = []
    if measure not in rules.MEASURES:
        v.append(Violation(INVALID_INPUT, "计算依据应为货值金额、违法所得或者涉案金额。", c.O310_ART3))
    if amount is None or amount <= 0:
        v.append(Violation(INVALID_INPUT, "数额应当大于零。", c.O310_ART3))
    if not (offence or "").strip() or not (source or "").strip():
        v.append(Violation(INVALID_INPUT, "应当写明涉嫌罪名和立案追诉标准的依据。", c.O310_ART3))
    refuse_if_any(v)
    with transaction.atomic():
        item = Item.objects.filter(code=item_code).first()
        if item is None:
            refuse_if_any([Violation(INVALID_INPUT, f"执法事项{item_code}不存在。", "")])
        th = CriminalThreshold.objects.select_for_update().filter(pk=threshold_id).first() if threshold_id else None
        th = th or CriminalThreshold(item=item)
        th.item, th.measure, th.amount, th.offence, th.source = item, measure, amount, offence, source
        th.effective_from, th.effective_to = effective_from, effective_to
        th.save()
        ledger.append(f"item:{item.code}", "criminal_threshold", {
            "threshold_id": th.pk, "measure": measure, "amount": amount, "offence": offence, "source": source,
            "effective_from": effective_from, "effective_to": effective_to}, actor=actor, actor_name=actor_name)
        return th


def _stream_of(obj) -> str:
    """A threshold is recorded on its item's stream."""
    return f"item:{obj.item.code}"


@use_case
def save_by_admin(obj: CriminalThreshold, *, changed: list[str], created: bool, actor: access.Actor) -> CriminalThreshold:
    """A save from the admin site (the form checked the input), recorded on ``item:<code>``."""
    from zhifa.core import admin_records

    return admin_records.save(obj, stream=_stream_of, changed=changed, created=created, actor=actor)


@use_case
def delete_by_admin(objs, *, actor: access.Actor) -> int:
    """Deletions from the admin site, each recorded on its item's stream before the row goes."""
    from zhifa.core import admin_records

    return admin_records.delete(objs, stream=_stream_of, actor=actor)
