"""The violation codes of double random, one public (双随机、一公开) and the citations its refusals
name — one place, imported by every rules module of this package (and re-exported by ``rules``)."""
from __future__ import annotations

from zhifa.core import citations
from zhifa.core.violations import WRONG_STATE  # noqa: F401 — rules.WRONG_STATE stays importable

# Violation codes of this app.
CREDIT_CODE_INVALID = "CREDIT_CODE_INVALID"
SAMPLE_IMPOSSIBLE = "SAMPLE_IMPOSSIBLE"
NO_CANDIDATES = "NO_CANDIDATES"
INSPECTORS_INSUFFICIENT = "INSPECTORS_INSUFFICIENT"
TWO_INSPECTORS_REQUIRED = "TWO_INSPECTORS_REQUIRED"
DRAW_EXISTS = "DRAW_EXISTS"
DRAW_ALREADY_REVEALED = "DRAW_ALREADY_REVEALED"
DRAW_TOO_EARLY = "DRAW_TOO_EARLY"
FROZEN_LIST_ALTERED = "FROZEN_LIST_ALTERED"
WITNESS_REQUIRED = "WITNESS_REQUIRED"
NOT_DRAWN = "NOT_DRAWN"
NOT_ASSIGNED_INSPECTOR = "NOT_ASSIGNED_INSPECTOR"
PERIOD_INVALID = "PERIOD_INVALID"
ENTITY_MISSING = "ENTITY_MISSING"  # a frozen list's entity deleted from the register before the result is written
# plans and tasks (services.plans)
TITLE_REQUIRED = "TITLE_REQUIRED"
ITEMS_REQUIRED = "ITEMS_REQUIRED"  # no inspection without its item (无检查依据不得检查)
ITEM_OUTSIDE_BODIES = "ITEM_OUTSIDE_BODIES"
# conflicts of interest (services.inspectors)
NOT_INSPECTOR = "NOT_INSPECTOR"
RELATION_REQUIRED = "RELATION_REQUIRED"
CONFLICT_EXISTS = "CONFLICT_EXISTS"
CONFLICT_ENDED = "CONFLICT_ENDED"
# results and cases from findings (services.results)
FINDINGS_REQUIRED = "FINDINGS_REQUIRED"
CASE_REQUIRED = "CASE_REQUIRED"
NO_FINDING = "NO_FINDING"
CASE_EXISTS = "CASE_EXISTS"
# site photos (services.photos): what is wrong with the files sent
PHOTO_REQUIRED = "PHOTO_REQUIRED"
PHOTO_NOT_IMAGE = "PHOTO_NOT_IMAGE"
PHOTO_TOO_LARGE = "PHOTO_TOO_LARGE"
PHOTO_EMPTY = "PHOTO_EMPTY"
PHOTO_UNREADABLE = "PHOTO_UNREADABLE"
PHOTO_DUPLICATE = "PHOTO_DUPLICATE"
PHOTO_TOO_MANY = "PHOTO_TOO_MANY"

BASIS_DOUBLE_RANDOM = citations.GUOBAN_2015_58
BASIS_JOINT = citations.GUOFA_2019_5
