"""The typed input of each transfer use case (移送操作的输入), written once: the API's bodies and the
page's forms (``core.forms.schema_form``) with their Chinese labels and limits."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar, Literal

import pydantic
from ninja import Field

from zhifa.core.forms import Entry
from zhifa.core.pagination import CleanText, Id

from . import rules

Text = Annotated[CleanText, Field(max_length=5000)]
ShortText = Annotated[CleanText, Field(max_length=200)]
Lines = Annotated[list[Annotated[CleanText, Field(max_length=200)]], Field(max_length=200)]
MUST = Entry(required=True)
TODAY = "默认今天；不得晚于今天"


class Input(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    page_confirm: ClassVar[str] = ""


class TransferIn(Input):
    """``POST /transfers``: an outward transfer from a case or an inspection's finding (``direction``
    "out", the default), or an inward matter (``direction`` "in": a reverse transfer or a procuratorate's opinion)."""

    direction: Annotated[Literal["out", "in"], Field(title="方向")] = "out"
    case_id: Annotated[Id | None, Field(title="案件")] = None
    inspection_id: Annotated[Id | None, Field(title="检查记录", description="据检查发现报告移送时填写（不填案件）")] = None
    team_officer_ids: Annotated[list[Id], Field(max_length=20, title="专案组成员（2名以上持证执法人员）")] = []
    suspected_offence: Annotated[CleanText, Field(max_length=120, title="涉嫌罪名")] = ""
    report: Annotated[Text, Field(title="移送涉嫌犯罪案件的书面报告（核实情况）")] = ""
    police: Annotated[CleanText, Field(max_length=120, title="接收移送的公安机关", description="默认为本机关所在地公安局")] = ""
    # inward
    inward_kind: Annotated[Literal["reverse", "opinion", ""], Field(title="来文类别")] = ""
    sender: Annotated[CleanText, Field(max_length=120, title="来文机关")] = ""
    sender_number: Annotated[CleanText, Field(max_length=60, title="来文文号")] = ""
    received_on: Annotated[dt.date | None, Field(title="收文日期", description=TODAY)] = None
    reply_months: Annotated[int | None, Field(ge=1, le=12, title="回复期限（月）", description="来文另定期限时填写；默认依配置（2个月）")] = None
    party_name: Annotated[CleanText, Field(max_length=120, title="当事人")] = ""
    summary: Annotated[Text, Field(title="来文内容")] = ""
    body_id: Annotated[Id | None, Field(title="行政执法机关", description="系统管理员登记时填写")] = None


class NoInput(Input):
    pass


class ApproveIn(Input):
    opinion: Annotated[Text, Field(title="审批意见")] = ""


class RefuseIn(Input):
    reason: Annotated[Text, Field(title="不批准移送的理由"), MUST] = ""
    page_confirm: ClassVar[str] = "不批准移送的理由将记录在案，确定吗？"


class DispatchIn(Input):
    investigation: Annotated[Text, Field(title="涉嫌犯罪案件情况的调查报告"), MUST] = ""
    exhibits: Annotated[Lines, Field(title="涉案物品清单（每行一项；没有的写“无”）"), MUST] = []
    test_reports: Annotated[Lines, Field(title="检验报告或者鉴定结论（每行一项：名称、文号、出具机构）")] = []
    others: Annotated[Lines, Field(title="其他有关涉嫌犯罪的材料（每行一项）")] = []


class ReceiptIn(Input):
    received_on: Annotated[dt.date | None, Field(title="公安机关接受日期（回执签字日期）", description=TODAY)] = None
    receipt_by: Annotated[CleanText, Field(max_length=60, title="回执签收人")] = ""
    forwarded_to: Annotated[CleanText, Field(max_length=120, title="转送的有管辖权机关（不属其管辖时）")] = ""


class PoliceDecisionIn(Input):
    decision: Annotated[Literal["filed", "not_filed"], Field(title="立案决定"),
                        Entry(choices=[("filed", "立案"), ("not_filed", "不予立案")])]
    notified_on: Annotated[dt.date | None, Field(title="收到通知书日期", description=TODAY)] = None
    reasons: Annotated[Text, Field(title="不予立案的理由（公安机关书面说明）")] = ""
    notice_number: Annotated[CleanText, Field(max_length=60, title="通知书文号")] = ""


class ReconsiderationRequestIn(Input):
    reason: Annotated[Text, Field(title="提请复议的理由"), MUST] = ""


class ReconsiderationIn(Input):
    result: Annotated[Literal["filed", "not_filed"], Field(title="复议决定"),
                      Entry(choices=[("filed", "立案"), ("not_filed", "维持不予立案")])]
    notified_on: Annotated[dt.date | None, Field(title="收到复议决定通知书日期", description=TODAY)] = None
    reasons: Annotated[Text, Field(title="复议决定的理由")] = ""


class ProcuratorateIn(Input):
    procuratorate: Annotated[CleanText, Field(max_length=120, title="人民检察院", description="默认为本机关所在地人民检察院")] = ""
    reason: Annotated[Text, Field(title="建议立案监督的理由"), MUST] = ""


class HandOverIn(Input):
    items: Annotated[Lines, Field(title="移交的涉案物品和材料（每行一项）"), MUST] = []
    handed_over_on: Annotated[dt.date | None, Field(title="交接日期", description=TODAY)] = None


class ReplyIn(Input):
    outcome: Annotated[Literal["penalty_case", "no_penalty", "reasoned_reply"], Field(title="处理结果"),
                       Entry(choices=list(rules.REPLY_OUTCOMES.items()))]
    reasons: Annotated[Text, Field(title="理由（不予处罚或者书面回复时必填）")] = ""
    case_id: Annotated[Id | None, Field(title="立案查处的案件编号")] = None


class CloseIn(Input):
    note: Annotated[Text, Field(title="办结说明")] = ""


SCHEMAS: dict[str, type[Input]] = {
    "approve": ApproveIn, "refuse": RefuseIn, "dispatch": DispatchIn, "record_receipt": ReceiptIn,
    "record_police_decision": PoliceDecisionIn, "request_reconsideration": ReconsiderationRequestIn,
    "record_reconsideration": ReconsiderationIn, "suggest_procuratorate": ProcuratorateIn, "hand_over_items": HandOverIn,
    "reply": ReplyIn, "close": CloseIn,
}
assert set(SCHEMAS) == set(rules.BY_CODE)
