"""The typed input of each supervision use case (执法监督操作的输入): the API takes them as its
bodies, the pages build their forms from them; limits and Chinese labels live here."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal, Optional

from ninja import Field, Schema

from zhifa.core.pagination import CleanText, Id

Text = Annotated[CleanText, Field(max_length=5000)]
ShortText = Annotated[CleanText, Field(max_length=300)]
Code = Annotated[CleanText, Field(min_length=1, max_length=20)]
Cutoff = Annotated[Decimal, Field(gt=0, le=1000, max_digits=5, decimal_places=1)]


class PlanIn(Schema):
    name: CleanText = Field(..., min_length=2, max_length=100, title="计划名称")
    sheet_id: Id = Field(..., title="评查表版本")
    period_start: dt.date = Field(..., title="结案起始日期")
    period_end: dt.date = Field(..., title="结案截止日期")
    body_ids: list[Id] = Field(..., min_length=1, max_length=500, title="被评查主体")
    files_per_body: int = Field(..., ge=1, le=100, title="每个主体抽取案卷数")
    excellent: Cutoff = Field(Decimal(90), title="优秀线")
    passing: Cutoff = Field(Decimal(60), title="合格线")
    double_blind: bool = Field(False, title="双盲评查")


class SampleIn(Schema):
    plan_id: Id = Field(..., title="评查计划")


class DrawIn(Schema):
    witness: CleanText = Field(..., min_length=1, max_length=100, title="见证值",
                               description="抽取时当场确定的公开值（如当日彩票开奖号码），与秘密值共同决定种子")


class EvaluationIn(Schema):
    """Assign an evaluation: the office names an evaluator (``kind=office``) for a file of its
    plan; a body's head starts the body's self-evaluation (``kind=self``, the head evaluates)."""

    case_id: Id = Field(..., title="案件")
    kind: Literal["office", "self"] = Field("office", title="类别")
    plan_id: Optional[Id] = Field(None, title="评查计划")
    sheet_id: Optional[Id] = Field(None, title="评查表版本（无计划时）")
    evaluator_id: Optional[Id] = Field(None, title="评查人（用户编号，评查时）")


class VetoMark(Schema):
    failed: bool = Field(..., title="存在否决情形")
    comment: ShortText = Field("", title="说明")
    reason: ShortText = Field("", title="不同于自动预检的理由")


class ItemMark(Schema):
    deduction: Decimal = Field(Decimal(0), ge=0, le=1000, max_digits=6, decimal_places=1, title="扣分")
    comment: ShortText = Field("", title="扣分理由")
    reason: ShortText = Field("", title="不同于自动预检的理由")


class MarksIn(Schema):
    vetoes: dict[Code, VetoMark] = Field(default_factory=dict, title="否决项")
    items: dict[Code, ItemMark] = Field(default_factory=dict, title="评查项")
    comments: Text = Field("", title="总体评价")


class EvidenceIn(Schema):
    title: CleanText = Field(..., min_length=1, max_length=120, title="材料名称")
    description: ShortText = Field("", title="说明")
    sha256: Optional[Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]] = Field(None, title="文件 SHA-256")


class NoticeIn(Schema):
    kind: Literal["evaluation_sheet", "supervision_notice", "supervision_opinion", "supervision_decision"] = Field(..., title="种类")
    body_id: Id = Field(..., title="被监督主体")
    source: Literal["evaluation", "alert", "complaint", "inspection"] = Field(..., title="来源")
    evaluation_id: Optional[Id] = Field(None, title="所涉评查")
    case_id: Optional[Id] = Field(None, title="所涉案件")
    findings: CleanText = Field(..., min_length=2, max_length=5000, title="发现的问题")
    basis: CleanText = Field(..., min_length=2, max_length=300, title="依据")
    rectify: CleanText = Field(..., min_length=2, max_length=5000, title="整改要求")


class NoticeActionIn(Schema):
    text: Text = Field("", title="整改情况或者意见")
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=50, title="整改证明材料")


class AccountabilityIn(Schema):
    body_id: Id = Field(..., title="所涉主体")
    source: Literal["evaluation", "alert", "complaint", "notice"] = Field(..., title="来源")
    evaluation_id: Optional[Id] = Field(None, title="所涉评查")
    notice_id: Optional[Id] = Field(None, title="所涉监督通知书")
    source_ref: ShortText = Field("", title="来源说明（如预警、投诉编号）")
    officer_ids: list[Id] = Field(..., min_length=1, max_length=20, title="涉及人员")
    finding: CleanText = Field(..., min_length=2, max_length=5000, title="认定的问题")


class AccountabilityActionIn(Schema):
    text: Text = Field("", title="理由或者处理内容")
    ground: Optional[Annotated[str, Field(max_length=40)]] = Field(None, title="免责（容错）情形")


# --- Alerts (预警, R33) --------------------------------------------------------------------------

class AlertActionIn(Schema):
    text: Text = Field("", title="理由或者整改要求")
    notice_kind: Literal["evaluation_sheet", "supervision_notice", "supervision_opinion"] = Field(
        "supervision_notice", title="转成的监督文书种类")


class NoOccurrenceIn(Schema):
    item_id: Id = Field(..., title="执法事项")
    reason: CleanText = Field(..., min_length=4, max_length=1000, title="预计不发生的理由")
    approver: CleanText = Field(..., min_length=2, max_length=80, title="批准人")
