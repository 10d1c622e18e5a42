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


class ComplaintActionIn(pydantic.BaseModel):
    """A staff action on a complaint: the reason, handling note or answer it needs."""

    model_config = pydantic.ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: Annotated[Text, Field(max_length=rules.MAX_ANSWER, title="说明")] = ""
