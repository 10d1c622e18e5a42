"""Transfer use cases (移送涉嫌犯罪案件, R25): the only code that changes a transfer.

Every public write is ``name(…, *, actor)``: one transaction, the transfer row locked in the
actor's scope, who acts (``permissions``: role 403, certificate 409), the state (``rules.ACTIONS``)
and every legal guard of ``rules`` refused at once; then the change, the stored clock, the case's
fine hold (O310 art.11, through ``cases.services.hold_for_transfer``) and one entry on the record
``transfer:<id>``. Outward acts in ``outward``, inward ones in ``inward``, thresholds in
``thresholds``; ``perform`` runs an act by its code (the API's ``…/actions/{action}``).
"""
from __future__ import annotations

from .. import rules
from ._core import action, perform
from .clocks import recompute_clocks
from .inward import register_inward, reply
from .keys import rotate_signing_key
from .outward import (
    approve, close, dispatch, hand_over_items, record_police_decision, record_receipt, record_reconsideration, refuse,
    report_transfer, request_reconsideration, suggest_procuratorate,
)
from .thresholds import delete_by_admin, save_by_admin, save_threshold

PERFORM = action.table
assert set(PERFORM) == set(rules.BY_CODE), set(PERFORM) ^ set(rules.BY_CODE)

__all__ = [
    "PERFORM", "approve", "delete_by_admin", "save_by_admin", "close", "dispatch", "hand_over_items", "perform", "recompute_clocks", "record_police_decision",
    "record_receipt", "record_reconsideration", "refuse", "register_inward", "reply", "report_transfer",
    "request_reconsideration", "rotate_signing_key", "save_threshold", "suggest_procuratorate",
]
