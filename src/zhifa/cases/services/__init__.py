"""Case use cases (案件办理): the only code that changes a case (R14–R20, R23, R24).

Every public write is ``name(case_id, *, …, actor)``: it runs in one transaction, locks the case
row (``select_for_update``), checks who acts (``permissions``), the state (the table in
``workflow``) and every legal guard of ``rules`` — refusing with *all* violations at once — then
changes the case and appends one entry to the full-process record ``case:<id>`` in the same
transaction. A refusal or any failure leaves nothing behind. Two concurrent actions on one case
are serialised by the row lock: the second sees the new state and gets ``WRONG_STATE``.

One module per chapter of the procedure (``filing``, ``investigation``, ``period``, ``coercion``,
``review``, ``hearing``, ``decision``, ``execution``, ``remedy``, ``correction``, ``closing``,
``publication``, ``scene``), the shared skeleton in ``_core``, the recomputation of stored
deadlines in ``stored_deadlines``. Each act is registered under its workflow code (``@action``):
adding an act is one row in ``workflow``, one function here, one template. The reads live in
``cases.selectors`` and are re-exported here for the callers that import them from services.

Documents (R16): each document-producing act issues its document (``paperwork``) and the record
entry carries the structured content and its SHA-256 (``content_sha256``).
"""
from __future__ import annotations

from .. import workflow
from ..models import Case  # re-exported: tests and callers name ``services.Case``
from ..selectors import (
    APPROVAL_LABELS, EXTENSION_WARNING_DAYS, allowed_actions, case_documents, completed_reviews, deadlines_of, get_case,
    overdue_counts, pending_approvals, pending_reviews, policy, record_of, registrable_items, situation, verify_record,
    visible_cases,
)
from ..permissions import roles_on
from ._core import ALWAYS_SAVED, action, held_schedule, perform, prime
from .closing import archive_case, close_case
from .coercion import (
    approve_seizure, decide_preservation, extend_seizure, preserve_evidence, record_testing, release_seizure, seize,
)
from .correction import correct, reissue_case_document
from .decision import decide, decide_on_spot
from .execution import (
    apply_court, collect_on_spot, defer_payment, hand_over_collection, pay, remind, request_deferral, serve,
)
from .filing import assign_officers, decline_case, extend_filing, file_case, register_source
from .monitoring import MonitoringRecord, join_monitoring_records, open_case_from_monitoring
from .flexible import link_later_violation, record_flexible_act, record_follow_up
from .field import FieldCaptureIn, sync_field_capture
from .hearing import hold_hearing, notify, record_defence, request_hearing, schedule_hearing, waive_defence, waive_hearing
from .investigation import CHUNK, end_investigation, escalate, hold_collective_discussion, record_evidence, recuse, review_case
from .online_defence import record_online_defence
from .party import update_party
from .period import extend_period, pause_clock, resume_clock
from .publication import publish, withdraw_publication
from .review import complete_review, request_review
from .remedy import end_remedy, record_remedy
from .scene import RIGHTS_TEXT, inform_rights, record_education, show_credentials
from .stored_deadlines import recompute_after_holidays, recompute_deadlines
from .transfer_hold import hold_for_transfer

# The API's POST /cases/{id}/actions/{action}: workflow code -> use case, filled by ``@action``.
PERFORM = action.table
assert set(PERFORM) == set(workflow.BY_CODE), set(PERFORM) ^ set(workflow.BY_CODE)

__all__ = [
    "ALWAYS_SAVED", "APPROVAL_LABELS", "CHUNK", "Case", "EXTENSION_WARNING_DAYS", "PERFORM", "RIGHTS_TEXT", "action",
    "allowed_actions", "apply_court", "approve_seizure", "archive_case", "assign_officers", "case_documents",
    "close_case", "collect_on_spot", "complete_review", "completed_reviews", "correct", "deadlines_of", "decide", "decide_on_spot",
    "decide_preservation", "decline_case", "defer_payment", "end_investigation", "end_remedy", "escalate",
    "FieldCaptureIn", "sync_field_capture", "extend_filing", "extend_period", "held_schedule", "prime", "extend_seizure", "file_case", "get_case", "hand_over_collection", "hold_collective_discussion", "hold_for_transfer",
    "hold_hearing", "inform_rights", "link_later_violation", "record_flexible_act", "record_follow_up", "join_monitoring_records", "MonitoringRecord", "open_case_from_monitoring", "notify", "overdue_counts", "pause_clock", "pay", "pending_approvals",
    "pending_reviews", "perform", "policy", "preserve_evidence", "publish", "recompute_after_holidays",
    "recompute_deadlines", "record_defence", "record_online_defence", "record_education", "record_evidence", "record_of", "record_remedy",
    "record_testing", "recuse", "register_source", "registrable_items", "reissue_case_document", "release_seizure",
    "remind", "request_deferral", "request_hearing", "request_review", "resume_clock", "review_case", "roles_on",
    "schedule_hearing", "seize", "update_party", "serve", "show_credentials", "situation", "verify_record", "visible_cases",
    "waive_defence", "waive_hearing", "withdraw_publication",
]
