"""Pure legal logic of the catalogue: the discretion engine (R10, 行政处罚裁量基准) and the
queries over the three lists (R11 免罚轻罚清单, R12 重大执法决定法制审核清单, R13 音像记录事项目录).

No Django, no database, no clock: inputs are the small frozen dataclasses below (built from the
models by ``discretion.py``), outputs are values. Every threshold carries its citation.

Vocabulary (glossary.md):
- 从轻处罚 (``LIGHTER``): within the penalty kinds and the range the law allows, the lighter kinds
  or the lower part of the range. The fraction of the range is data (``DiscretionPolicy``).
- 减轻处罚 (``MITIGATED``): below the legal minimum — a lighter kind than the law provides, or a
  fine below the statutory minimum.
- 从重处罚 (``HEAVIER``): within the range, the upper part; never above the statutory maximum.
- 不予处罚 (``NO_PENALTY``) and 可以不予处罚 (``MAY_NO_PENALTY``): APL arts.30, 31, 33.
"""
from __future__ import annotations

# The package re-exports every public name of its modules: callers write ``rules.assess``,
# ``rules.PenaltyKind``, ``rules.Competence`` whatever module holds them.
from .assessment import *  # noqa: F401,F403
from .assessment import assess, validate_facts  # noqa: F401
from .competence import (  # noqa: F401
    DELEGATION_KINDS,
    Competence,
    DelegationFacts,
    delegation_in_force,
    delegation_violations,
)
from .lists import *  # noqa: F401,F403
from .publication import BENCHMARK_NOT_PUBLISHABLE, GradeDraft, publication_violations  # noqa: F401
from .specs import *  # noqa: F401,F403
from .versions import ITEM_CODE_TAKEN, ITEM_NOT_CURRENT, ITEM_VERSION_DATE, revision_violations  # noqa: F401
