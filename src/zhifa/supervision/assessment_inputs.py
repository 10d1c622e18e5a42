"""The typed input of the assessment's use cases (年度考核的输入): limits and Chinese titles here."""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from ninja import Field, Schema

from zhifa.core.pagination import CleanText, Id


class ManualItemIn(Schema):
    """A manual item (人工考核项): points added (positive) or deducted (negative), with a reason."""

    body_id: Id = Field(..., title="主体")
    year: int = Field(..., ge=2000, le=2100, title="考核年度")
    title: CleanText = Field(..., min_length=2, max_length=100, title="事项")
    points: Decimal = Field(..., ge=-20, le=20, max_digits=5, decimal_places=2, title="加减分",
                            description="加分为正，减分为负，单项不超过 20 分；合计按 assessment.toml 的 manual_cap 截取")
    reason: CleanText = Field(..., min_length=5, max_length=2000, title="理由")
    evidence: Optional[CleanText] = Field(None, max_length=200, title="依据材料")
