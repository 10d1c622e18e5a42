"""The typed input of the portal's use cases (pydantic): a complaint or report as filed, and a
staff action on it. Limits and Chinese labels live here; the page's form mirrors them."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import pydantic
from pydantic import Field

from zhifa.core.pagination import no_nul

from . import rules

Text = Annotated[str, pydantic.AfterValidator(no_nul)]


class ComplaintIn(pydantic.BaseModel):
    """投诉举报 (SAMR20 arts.9, 25): what the complainant or reporter fills in."""

    model_config = pydantic.ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: Literal["complaint", "report"] = Field(title="类别")
    body_id: int = Field(ge=1, title="被投诉举报的执法主体")
    act_reference: Annotated[Text, Field(max_length=60, title="执法行为（文书编号或行为码）")] = ""
    subject: Annotated[Text, Field(min_length=2, max_length=rules.MAX_SUBJECT, title="标题")]
    facts: Annotated[Text, Field(min_length=10, max_length=rules.MAX_FACTS, title="事实和理由")]
    request: Annotated[Text, Field(max_length=rules.MAX_REQUEST, title="具体请求")] = ""
    known_on: dt.date | None = Field(None, title="知道或者应当知道的日期")
    anonymous: bool = Field(False, title="匿名举报")
    reporter_name: Annotated[Text, Field(max_length=40, title="姓名")] = ""
    reporter_phone: Annotated[Text, Field(max_length=20, pattern=r"^[0-9+\-() ]*$", title="联系电话")] = ""
    reporter_address: Annotated[Text, Field(max_length=120, title="通讯地址")] = ""
    reporter_email: Annotated[Text, Field(max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$", title="电子邮箱")] = ""
    channel_code: Annotated[Text, Field(max_length=16, title="联系点或特邀监督员专用渠道码")] = ""


class ComplaintActionIn(pydantic.BaseModel):
    """A staff action on a complaint: the reason, handling note or answer it needs."""

    model_config = pydantic.ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: Annotated[Text, Field(max_length=rules.MAX_ANSWER, title="说明")] = ""
    finding: Literal["", "upheld", "partly_upheld", "not_upheld"] = Field("", title="处理结论（记录处理情况时必填）")


class _In(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", str_strip_whitespace=True)


class RatingIn(_In):
    """行政执法评议: the party rates the act whose code it holds."""

    act_code: Annotated[Text, Field(min_length=4, max_length=30, title="行政行为码")]
    level: Literal["satisfied", "basic", "dissatisfied"] = Field(title="评议结果")
    aspects: list[Literal[tuple(rules.RATING_ASPECTS)]] = Field(default_factory=list, max_length=5, title="需要改进的方面")  # type: ignore[valid-type]
    reasons: Annotated[Text, Field(max_length=rules.MAX_RATING_REASONS, title="理由")] = ""


class PlanIn(_In):
    """A plan filed for the record (执法计划备案, R42)."""

    kind: Literal[tuple(rules.PLAN_KINDS)] = Field(title="类别")  # type: ignore[valid-type]
    year: int = Field(ge=2000, le=2100, title="年度")
    title: Annotated[Text, Field(min_length=2, max_length=120, title="标题")]
    content: Annotated[Text, Field(min_length=10, max_length=rules.MAX_PLAN_CONTENT, title="内容")]


class ReviewIn(_In):
    """The review of a filed plan or a submitted article: the decision and its reason."""

    decision: Literal["accept", "return", "publish", "withdraw"] = Field(title="审查决定")
    reason: Annotated[Text, Field(max_length=rules.MAX_ANSWER, title="理由或意见")] = ""


class ArticleIn(_In):
    """普法文章 as its author submits it for review."""

    title: Annotated[Text, Field(min_length=2, max_length=120, title="标题")]
    summary: Annotated[Text, Field(max_length=300, title="摘要")] = ""
    content: Annotated[Text, Field(min_length=20, max_length=rules.MAX_ARTICLE, title="正文")]


class ContactIn(_In):
    """An enterprise contact point or a special supervisor with its term."""

    kind: Literal["enterprise", "supervisor"] = Field(title="类别")
    body_id: int | None = Field(None, ge=1, title="联系的执法主体")
    name: Annotated[Text, Field(min_length=2, max_length=80, title="名称或姓名")]
    organisation: Annotated[Text, Field(max_length=120, title="单位或行业")] = ""
    term_start: dt.date = Field(title="聘期起")
    term_end: dt.date = Field(title="聘期止")
