"""Publication of a discretion benchmark (公布裁量基准, R10; APL art.34: a benchmark applies only
once published). Pure: the checks a draft must pass before it is published."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from zhifa.core import citations
from zhifa.core.violations import WRONG_STATE, Violation

from .specs import PenaltyKind

BENCHMARK_NOT_PUBLISHABLE = "BENCHMARK_NOT_PUBLISHABLE"


@dataclass(frozen=True)
class GradeDraft:
    """What the checks need of one grade of the draft."""

    name: str
    amount_min: Decimal | None
    amount_max: Decimal | None
    penalty_kinds: tuple[str, ...]


def publication_violations(*, is_draft: bool, grades: Iterable[GradeDraft]) -> list[Violation]:
    """Why a benchmark may not be published (empty: it may): only a draft, with at least one
    grade, every range the right way round, only the penalty kinds of APL art.9."""
    violations = []
    if not is_draft:
        violations.append(Violation(WRONG_STATE, "只有草稿状态的裁量基准可以公布。", citations.APL_ART34))
    grades = list(grades)
    if not grades:
        violations.append(Violation(BENCHMARK_NOT_PUBLISHABLE, "裁量基准至少应有一个裁量档次。", citations.APL_ART34))
    known = {k.value for k in PenaltyKind}
    for g in grades:
        if g.amount_min is not None and g.amount_max is not None and g.amount_min > g.amount_max:
            violations.append(Violation(BENCHMARK_NOT_PUBLISHABLE, f"档次“{g.name}”的罚款下限大于上限。", citations.APL_ART34))
        unknown = [k for k in g.penalty_kinds if k not in known]
        if unknown:
            violations.append(Violation(BENCHMARK_NOT_PUBLISHABLE,
                                        f"档次“{g.name}”含有{citations.APL_ART9}以外的处罚种类：{'、'.join(unknown)}。", citations.APL_ART9))
    return violations
