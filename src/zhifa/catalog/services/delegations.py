"""Delegations and entrustments (赋权 / 委托, R03): a township or park enforces an item of another
body within a period. Moved from ``registry`` (registry may not know the items)."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction

from zhifa.core.usecase import use_case
from zhifa.core.violations import refuse_if_any
from zhifa.registry import access
from zhifa.registry.models import Body

from .. import rules
from ..models import Delegation, Item
from ..recording import record


@use_case
@transaction.atomic
def create_delegation(*, kind: str, from_body: Body, to_body: Body, item: Item, valid_from: dt.date,
                      valid_to: dt.date | None = None, document_ref: str = "", actor: access.Actor) -> Delegation:
    """R03: delegate (赋权) or entrust (委托) one item of ``from_body`` to a township or park.

    Only the administrator records it, from the approving document. Records ``create`` on
    ``delegation:<id>``."""
    if not actor.is_admin:
        raise PermissionDenied("赋权、委托事项由系统管理员根据批准文件录入。")
    refuse_if_any(rules.delegation_violations(
        kind=kind, item_name=item.name, item_body_id=item.body_id, from_body_id=from_body.pk,
        from_body_name=from_body.name, to_body_id=to_body.pk, valid_from=valid_from, valid_to=valid_to,
    ))
    delegation = Delegation.objects.create(kind=kind, from_body=from_body, to_body=to_body, item=item,
                                           valid_from=valid_from, valid_to=valid_to, document_ref=document_ref)
    record(delegation.stream, "create", {
        "kind": kind, "from_body_id": from_body.pk, "to_body_id": to_body.pk, "item_id": item.pk,
        "item_code": item.code, "valid_from": valid_from, "valid_to": valid_to, "document_ref": document_ref,
    }, actor)
    return delegation
