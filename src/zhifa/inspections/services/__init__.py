"""Double random, one public (双随机、一公开, R26–R30): the use cases — the only code that changes
this app's state — one module per chapter of the procedure:

- ``plans``: yearly plans and their tasks (R27, R29);
- ``inspectors``: the inspector database's profiles and conflicts of interest (R26);
- ``draw``: commit, reveal and verify a draw, what the public sees of it (R28);
- ``results``: record and publish results, open a case from a finding (R28, R30);
- ``photos``: site photos (R28);
- ``offline``: captures made on a phone without network, received later (B9);
- ``registers``: edits in the admin of the item list, the entity database, profiles and declarations.

Every use case takes ``actor`` (a ``registry.access.Actor``) as a keyword, runs in one
transaction, locks what it changes, checks permissions (``inspections.permissions``) and the
rules, and appends its full-process record entry (``core.ledger``). The draw's SQL and byte
machinery is in ``inspections.engine``, the shared queries in ``inspections.selectors``.

The names below are re-exported so that ``from zhifa.inspections import services`` keeps
serving its callers (``services.commit_draw``, ``services.TaskInput`` …);
``services.refresh_register_snapshot`` is named in ``settings.ZHIFA["SWEEP_TASKS"]``.
"""
from __future__ import annotations

# ruff: noqa: F401 — re-exports
from ..config import photo_max_bytes, photo_max_count, publish_working_days, setting
from ..engine.frozen import Frozen, SnapshotReference, candidate_queryset, freeze
from ..engine.scan import DRAW_SETTINGS
from ..engine.snapshot import Snapshot, register_snapshot, register_version
from ..inputs import ResultInput, TaskInput
from ..permissions import (
    insider_task_ids,
    is_assigned,
    may_declare_for,
    may_open_case,
    may_see_photos,
    may_see_task,
    may_use_inspector_pages,
)
from ..selectors import (
    PENDING,
    PROBLEM_OUTCOMES,
    TaskProgress,
    assigned_inspections,
    attach_inspectors,
    count_directory_page,
    declarable_officers,
    ineligibility,
    inspector_directory,
    inspector_pool,
    inspector_pool_ids,
    joint_share_of,
    joint_shares,
    overdue_publications,
    plan_progress,
    plan_statistics,
    stored_result_document,
    valid_certificate_q,
    visible_conflicts,
    visible_plans,
    visible_tasks,
)
from .draw import (
    Verification,
    commit_draw,
    refresh_register_snapshot,
    reveal_draw,
    verify_draw,
)
from .inspectors import (
    CONFLICT_ENDED,
    CONFLICT_EXISTS,
    NOT_INSPECTOR,
    declare_conflict,
    end_conflict,
    set_inspector_profile,
)
from .photos import (
    CAPTION_TOO_LONG,
    PHOTO_DUPLICATE,
    PHOTO_EMPTY,
    PHOTO_INPUT_CODES,
    PHOTO_NOT_IMAGE,
    PHOTO_REQUIRED,
    PHOTO_TOO_LARGE,
    PHOTO_TOO_MANY,
    PHOTO_TYPE_LABEL,
    PHOTO_TYPES,
    PHOTO_UNREADABLE,
    THUMBNAIL_SIZE,
    add_photos,
    photo_violations,
    remove_photo,
    sniff_image,
)
from .offline import (
    CAPTURED_IN_FUTURE,
    OFFLINE_INPUT_CODES,
    RECORDED_MEANWHILE,
    SIGNATURE_INVALID,
    Capture,
    Position,
    Receipt,
    decode_data_url,
    sync_capture,
)
from .plans import create_plan, create_task, task_violations
from .registers import delete_in_admin, save_in_admin
from .results import (
    ResultIncomplete,
    open_case_from_inspection,
    publish_results,
    record_result,
)
