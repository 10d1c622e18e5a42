"""The seam with criminal transfers (O310 art.11): the transfers app — above cases, which never
imports it — tells a case that a transfer of its suspected crime is pending or no longer is. The
case keeps the flag (``Case.transfer_pending``) and ``decide`` / ``decide_on_spot`` refuse a fine
while it is set (``FINE_INSTEAD_OF_TRANSFER``); each change is an entry on the case's record.
"""
from __future__ import annotations

from django.db import transaction

from zhifa.core import ledger
from zhifa.core.usecase import use_case
from zhifa.registry import access

from ..models import Case
from ._core import _actor_name, _lock


@use_case
def hold_for_transfer(case_id: int, *, pending: bool, transfer_id: int, state: str, actor: access.Actor) -> Case:
    """Set (``pending``) or clear the transfer hold of a case in the actor's scope, recording why:
    the transfer (``transfer:<id>``) and its state. Nothing is written when nothing changes."""
    with transaction.atomic():
        case = _lock(case_id, actor)
        if case.transfer_pending == pending:
            return case
        case.transfer_pending = pending
        case.version += 1
        case.save(update_fields=["transfer_pending", "version", "updated_at"])
        ledger.append(case.stream, "transfer_hold" if pending else "transfer_release",
                      {"label": "涉嫌犯罪移送办理中，暂停罚款" if pending else "移送办理结束，解除罚款限制",
                       "transfer_id": transfer_id, "transfer_state": state, "transfer_pending": pending,
                       "basis": "行政执法机关移送涉嫌犯罪案件的规定第十一条", "version": case.version},
                      actor=actor.user, actor_name=_actor_name(actor))
        return case
