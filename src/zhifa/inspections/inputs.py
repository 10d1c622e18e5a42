"""The typed input of the use cases that take more than a few values: a task as the plan
editor submits it (抽查任务), an inspection's result as the inspector records it (检查结果)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from .models import Task


@dataclass
class TaskInput:
    """What a plan editor submits for a task."""

    title: str
    starts_on: dt.date
    ends_on: dt.date
    kind: str = Task.Kind.RANDOM
    item_ids: list[int] = field(default_factory=list)
    partner_ids: list[int] = field(default_factory=list)
    scope_industry: str = ""
    scope_jurisdiction_id: int | None = None
    scope_risk_grades: str = ""
    scope_tag: str = ""
    ratio_percent: Decimal | None = None
    sample_count: int | None = None
    inspectors_per_entity: int = 2
    flagged_weight: int = 1
    max_per_year: int | None = None
    min_gap_days: int | None = None


@dataclass
class ResultInput:
    """What an assigned inspector records for a drawn inspection."""

    inspected_on: dt.date
    outcome: str
    answers: list[dict] = field(default_factory=list)
    findings: str = ""
    case_number: str = ""
    case_id: int | None = None
