"""The typed input of flexible enforcement (柔性执法, R21), written once for the API and the page."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema

from zhifa.core.forms import Entry
from zhifa.core.pagination import CleanText, Id

from .flexible_rules import KINDS

Text = Annotated[CleanText, Field(max_length=5000)]


class FlexibleActIn(Schema):
    kind: Annotated[Literal["guidance", "persuasion", "demonstration", "warning", "interview"],
                    Entry(label="方式", choices=list(KINDS.items()))]
    item_code: Annotated[CleanText, Field(max_length=40), Entry(label="执法事项编码")] = ""
    party_kind: Annotated[Literal["person", "organisation"],
                          Entry(label="对象类型", choices=[("organisation", "法人或者其他组织"), ("person", "自然人")])] = "organisation"
    party_name: Annotated[CleanText, Field(max_length=120), Entry(label="对象（当事人、经营主体）")] = ""
    party_id_code: Annotated[CleanText, Field(max_length=18), Entry(label="身份证号码或统一社会信用代码")] = ""
    officer_ids: Annotated[list[Id], Field(max_length=20), Entry(name="officers", label="执法人员", picker="body_officers",
                                                                help="指导约谈须两名以上持证执法人员。")] = []
    acted_on: Annotated[dt.date | None, Entry(label="实施日期", help="默认今天")] = None
    place: Annotated[CleanText, Field(max_length=200), Entry(label="地点")] = ""
    content: Annotated[Text, Entry(label="内容", required=True)] = ""
    outcome: Annotated[Text, Entry(label="结果")] = ""
    minutes: Annotated[Text, Entry(label="约谈笔录", help="指导约谈必填")] = ""
    follow_up_on: Annotated[dt.date | None, Entry(label="回访日期", help="指导约谈必填")] = None
    first_offence: Annotated[bool, Entry(label="首违不罚（首次违法、危害后果轻微并及时改正）")] = False
    override_reason: Annotated[Text, Entry(label="再次适用首违不罚的理由", help="回溯期内已有首违不罚记录时必填")] = ""
    case_id: Annotated[Id | None, Entry(label="所属案件编号（不予处罚案件的教育）")] = None


class FollowUpIn(Schema):
    result: Annotated[Text, Field(min_length=1), Entry(label="回访情况")]


class LinkIn(Schema):
    case_id: Annotated[Id, Entry(label="其后违法行为的案件编号")]


ORDER = ["kind", "item_code", "party_kind", "party_name", "party_id_code", "officers", "acted_on", "place", "content",
         "outcome", "minutes", "follow_up_on", "first_offence", "override_reason", "case_id"]
