"""The typed input of each case use case (办案操作的输入), written once.

The API takes these as its bodies (``POST /cases`` → ``CaseIn``; ``POST /cases/{id}/actions/{code}``
→ the action's schema, named by its row in ``workflow.ACTIONS``), and the pages build their forms
from them (``zhifa.core.forms.schema_form``): the limits, the Chinese labels (``title``), help
texts (``description``) and messages live here. What only the page needs — a picker of the case's
officers, a textarea's rows, the labels of a literal's values — is an ``Entry`` beside the field,
which the API ignores.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, ClassVar, Literal

import pydantic
from ninja import Field, Schema

from zhifa.catalog.rules import PENALTY_KIND_LABELS
from zhifa.core.forms import Entry
from zhifa.core.pagination import CleanDict, CleanText, Id

from . import workflow
from .models import Case, Evidence, LegalReview, Party, Pause, Seizure, ServiceRecord

# --- Shared field types -------------------------------------------------------------------------
Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Text = Annotated[CleanText, Field(max_length=5000)]
ShortText = Annotated[CleanText, Field(max_length=200)]
KindList = Annotated[list[Annotated[str, Field(max_length=30)]], Field(max_length=14)]
KIND_CHOICES = [(k.value, label) for k, label in PENALTY_KIND_LABELS.items()]
# The penalty kinds (处罚种类) as the page offers them: a row of checkboxes.
Kinds = Annotated[KindList, Entry(choices=KIND_CHOICES, css="wide kinds")]
Officers = Annotated[list[Id], Field(max_length=20)]
Receipt = Annotated[CleanText, Field(max_length=40)]
Instalments = Annotated[int, Field(ge=1, le=36)]
Days = Annotated[int, Field(ge=1, le=365)]
MUST = Entry(required=True)  # the page requires it; the API leaves the refusal to the service
TODAY = "默认今天"


def _proposed_kinds(case):
    return case.proposed_kinds


def _proposed_amount(case):
    return case.proposed_amount


def _case_officers(case):
    return list(case.officers.values_list("pk", flat=True))


def _amount_due(case):
    due = (case.decision_amount or Decimal(0)) - (case.paid_amount or Decimal(0))
    return due if due > 0 else None


def _name_and_quantity(text: str) -> list[dict]:
    """Seized goods as typed on the page, one per line: ``名称，数量``."""
    items = []
    for line in (line.strip() for line in text.splitlines()):
        if line:
            name, _, quantity = line.replace(",", "，").partition("，")
            items.append({"name": name.strip(), "quantity": quantity.strip()})
    return items


class Input(pydantic.BaseModel):
    """Base of the action inputs: unknown fields are refused. ``page_confirm`` is the question the
    page asks before an irreversible act; ``page_files`` the files the page uploads beside."""

    model_config = pydantic.ConfigDict(extra="forbid")
    page_confirm: ClassVar[str] = ""
    page_files: ClassVar[dict[str, Entry]] = {}


# --- Registration (案源登记) ---------------------------------------------------------------------
# Published in the OpenAPI document: its page labels are ``Entry`` labels, so the document keeps
# the schema as it was.

class CaseIn(Schema):
    item_code: Annotated[CleanText, Field(max_length=40, description="执法事项编码"),
                         Entry(name="item", label="执法事项", help="", picker="items", key="code", empty="请选择执法事项")]
    procedure: Annotated[Literal["normal", "simple"], Entry(label="程序", choices=workflow.PROCEDURE_CHOICES, help=(
        "简易程序仅适用于对公民处200元以下、对法人或者其他组织处3000元以下罚款或者警告（行政处罚法第五十一条）。"))] = "normal"
    source: Annotated[Literal["inspection", "complaint", "referral", "assigned", "monitoring", "other"],
                      Entry(label="案件来源", choices=Case.Source.choices)] = "inspection"
    clue: Annotated[Text, Entry(label="案源情况")] = ""
    clue_received_on: Annotated[dt.date | None, Entry(label="案源登记日期", help=TODAY)] = None
    party_kind: Annotated[Literal["person", "organisation"], Entry(label="当事人类型", choices=Case.PartyKind.choices)]
    party_name: Annotated[CleanText, Field(min_length=1, max_length=120), Entry(label="当事人")]
    party_id_code: Annotated[CleanText, Field(max_length=18), Entry(label="身份证号码或统一社会信用代码")] = ""
    party_address: Annotated[ShortText, Entry(label="地址")] = ""
    party_phone: Annotated[CleanText, Field(max_length=30), Entry(label="电话")] = ""
    party_age: Annotated[Annotated[int, Field(ge=0, le=130)] | None, Entry(label="年龄（自然人）")] = None
    party_mental_illness: Annotated[bool, Entry(label="当事人为不能辨认或者控制自己行为的精神病人、智力残疾人")] = False
    party_id_type: Annotated[Literal["", "credit_code", "id_card", "passport", "hk_macao", "taiwan", "residence", "other"],
                             Entry(label="证件种类", required=False, choices=[("", "（按当事人类型）")] + list(Party.IdType.choices))] = ""
    party_legal_representative: Annotated[CleanText, Field(max_length=60), Entry(label="法定代表人（负责人）")] = ""
    party_service_address: Annotated[ShortText, Entry(label="送达地址", help="空则为当事人地址")] = ""
    act_place: Annotated[ShortText, Entry(label="违法行为地点")] = ""
    no_fault: Annotated[bool, Entry(label="有证据足以证明当事人没有主观过错")] = False
    act_description: Annotated[Text, Entry(label="违法行为")] = ""
    act_date: Annotated[dt.date, Entry(label="违法行为发生日期")]
    act_end_date: Annotated[dt.date | None, Entry(label="违法行为终了日期", help="连续或者继续状态的违法行为")] = None
    safety_harm: Annotated[bool, Entry(label="涉及生命健康安全、金融安全且有危害后果（追责期限五年）")] = False
    officer_ids: Annotated[list[Id], Field(max_length=20), Entry(
        name="officers", label="承办人员", picker="body_officers",
        help="可在立案时由负责人指定；简易程序须当场有两名持证执法人员。")] = []
    body_id: Annotated[Id | None, Entry(hidden=True)] = None


REGISTER_ORDER = ["procedure", "item", "source", "clue_received_on", "clue", "party_kind", "party_name", "party_id_code",
                  "party_address", "party_phone", "party_age", "party_id_type", "party_legal_representative",
                  "party_service_address", "act_date", "act_place", "act_end_date", "act_description",
                  "safety_harm", "party_mental_illness", "no_fault", "officers"]


# --- Actions --------------------------------------------------------------------------------------

class NoInput(Input):
    """An action that takes nothing but the case (归档、催告 …)."""


class FileIn(Input):
    officer_ids: Annotated[Officers, Field(title="承办人员（两名以上持证执法人员）", description="不选择则沿用登记时的承办人员。"),
                           Entry(name="officers", picker="body_officers", initial=_case_officers)] = []
    opinion: Annotated[Text, Field(title="审批意见")] = ""


class ReasonIn(Input):
    reason: Annotated[Text, Field(title="理由"), MUST] = ""


class AssignIn(Input):
    officer_ids: Annotated[list[Id], Field(min_length=1, max_length=20, title="承办人员（两名以上持证执法人员）"),
                           Entry(name="officers", picker="body_officers")]


EVIDENCE_ACTS = [("", "—"), ("evidence", "调查取证"), ("inspection", "现场检查"), ("on_site", "现场执法"), ("seizure", "查封"),
                 ("detention", "扣押"), ("hearing", "举行听证"), ("service_leaving", "留置送达"), ("service_notice", "公告送达")]


EvidenceKind = Literal["photo", "audio", "video", "scan", "record", "other"]
EvidenceTitle = Annotated[CleanText, Field(min_length=1, max_length=120)]
EvidenceAct = Annotated[CleanText, Field(max_length=30)]


class EvidenceIn(Input):
    """登记证据; the page uploads its file beside (streamed to storage, SHA-256 by the service)."""

    page_files: ClassVar[dict[str, Entry]] = {
        "upload": Entry(label="文件", help="照片、录音、录像或扫描件；大文件分块上传并计算 SHA-256。")}
    kind: Annotated[EvidenceKind, Field(title="种类"), Entry(choices=Evidence.Kind.choices)]
    title: Annotated[EvidenceTitle, Field(title="名称")]
    act: Annotated[EvidenceAct, Field(title="所属执法行为", description="音像记录须注明所记录的执法行为。"),
                   Entry(choices=EVIDENCE_ACTS)] = ""
    is_av: Annotated[bool, Entry(hidden=True)] = False
    collected_on: Annotated[dt.date | None, Field(title="取证日期", description=TODAY)] = None
    place: Annotated[ShortText, Field(title="地点")] = ""


class PreserveIn(Input):
    items: Annotated[list[ShortText], Field(max_length=200, title="先行登记保存的证据（每行一项）"),
                     Entry(entry="lines", required=True)] = []


class MeasureIn(Input):
    measure: Annotated[Text, Field(title="处理决定", description="如：解除保存、移交检验、依法没收等。"), MUST] = ""


class SeizeIn(Input):
    kind: Annotated[Literal["seizure", "detention"], Field(title="措施"), Entry(choices=Seizure.Kind.choices)]
    items: Annotated[list[CleanDict], Field(max_length=500, title="财物清单（每行一项：名称，数量）"),
                     Entry(entry=_name_and_quantity, required=True)] = []
    approved: Annotated[bool, Field(title="已经负责人批准")] = True
    emergency: Annotated[bool, Field(title="情况紧急，当场实施（24小时内补报批准）")] = False


SEIZURE = Entry(name="seizure", picker="open_seizures", empty=None)


class SeizureIdIn(Input):
    seizure_id: Annotated[Id, Field(title="查封、扣押"), SEIZURE]


class SeizureReasonIn(SeizureIdIn):
    reason: Annotated[Text, Field(title="延长理由"), MUST] = ""


class TestingIn(SeizureIdIn):
    days: Annotated[Days, Field(title="检测、检验、鉴定期间（日）")]


class PauseIn(Input):
    kind: Annotated[Literal["testing", "appraisal", "hearing", "notice", "other"], Field(title="事由"),
                    Entry(choices=Pause.Kind.choices)]
    start: Annotated[dt.date | None, Field(title="起始日期", description=TODAY)] = None
    end: Annotated[dt.date | None, Field(title="结束日期", description="尚未结束的留空，结束时“恢复计算”")] = None
    reason: Annotated[ShortText, Field(title="说明")] = ""


class ResumeIn(Input):
    end: Annotated[dt.date | None, Field(title="结束日期", description=TODAY)] = None


class ExtendIn(Input):
    reason: Annotated[Text, Field(title="延长理由"), MUST] = ""
    days: Annotated[Days | None, Field(title="延长天数", description="默认30日")] = None


class RecuseIn(Input):
    officer_id: Annotated[Id, Field(title="回避人员"), Entry(name="officer", picker="case_officers", empty=None)]
    reason: Annotated[Text, Field(title="回避理由"), MUST] = ""
    replacement_ids: Annotated[Officers, Field(title="替换人员"), Entry(name="replacements", picker="body_officers")] = []


class EscalateIn(Input):
    to_body_id: Annotated[Id, Field(title="上级执法主体"), Entry(name="to_body", picker="higher_bodies")]
    reason: Annotated[Text, Field(title="提级理由"), MUST] = ""


class EndInvestigationIn(Input):
    report: Annotated[Text, Field(title="调查终结报告"), Entry(required=True, rows=4)] = ""
    facts: Annotated[Text, Field(title="调查认定的事实"), Entry(initial=lambda case: case.facts or case.act_description)] = ""
    proposed_kinds: Annotated[Kinds, Field(title="拟处罚种类")] = []
    proposed_amount: Annotated[Money | None, Field(title="拟罚款金额（元）")] = None
    illegal_gains: Annotated[Money | None, Field(title="违法所得（元）")] = None
    goods_value: Annotated[Money | None, Field(title="货值金额（元）")] = None
    act_place: Annotated[ShortText, Field(title="违法行为地点"), Entry(initial=lambda case: case.act_place)] = ""
    violated_provision: Annotated[ShortText, Field(title="违反的法律规定（如《中华人民共和国食品安全法》第三十四条第（十）项）"),
                                  Entry(initial=lambda case: case.violated_provision)] = ""


class PartyIn(Input):
    """完善当事人信息: what the decision prints of the party (APL art.59 (一))."""
    name: Annotated[CleanText, Field(max_length=120, title="姓名或者名称"), Entry(initial=lambda case: case.party_name)] = ""
    id_type: Annotated[Literal["", "credit_code", "id_card", "passport", "hk_macao", "taiwan", "residence", "other"],
                       Field(title="证件种类"), Entry(required=False, choices=[("", "（不变）")] + list(Party.IdType.choices))] = ""
    id_number: Annotated[CleanText, Field(max_length=30, title="证件号码或统一社会信用代码"),
                         Entry(initial=lambda case: case.party_id_code)] = ""
    legal_representative: Annotated[CleanText, Field(max_length=60, title="法定代表人（负责人）"),
                                    Entry(initial=lambda case: case.party.legal_representative if case.party else "")] = ""
    address: Annotated[ShortText, Field(title="住所（住址）"), Entry(initial=lambda case: case.party_address)] = ""
    service_address: Annotated[ShortText, Field(title="送达地址"),
                               Entry(initial=lambda case: case.party.service_address if case.party else "")] = ""
    phone: Annotated[CleanText, Field(max_length=30, title="联系电话"), Entry(initial=lambda case: case.party_phone)] = ""


class ReviewCaseIn(Input):
    opinion: Annotated[Text, Field(title="审核意见"), MUST] = ""
    is_major: Annotated[bool, Field(title="情节复杂或者重大违法行为（须集体讨论、法制审核）")] = False


class MinutesIn(Input):
    minutes: Annotated[Text, Field(title="笔录摘要"), Entry(required=True, rows=4)] = ""


class RequestReviewIn(Input):
    reviewer_id: Annotated[Id, Field(title="法制审核人员"), Entry(name="reviewer", picker="reviewers")]


class CompleteReviewIn(Input):
    result: Annotated[Literal["pass", "fail"], Field(title="审核结论"), Entry(choices=[("pass", "通过"), ("fail", "不通过")], radio=True)]
    opinion: Annotated[Text, Field(title="审核意见", description="不通过的，应当写明理由和意见。"), Entry(rows=4)] = ""
    checklist: Annotated[dict[CleanText, bool], Field(title="审核要点"), Entry(checks=LegalReview.CHECKLIST_LABELS)] = {}


class NotifyIn(Input):
    kinds: Annotated[Kinds, Field(title="拟处罚种类"), Entry(initial=_proposed_kinds)]
    amount: Annotated[Money | None, Field(title="拟罚款金额（元）"), Entry(initial=_proposed_amount)] = None
    new_facts: Annotated[bool, Field(title="基于新的事实或者证据重新告知")] = False
    served_on: Annotated[dt.date | None, Field(title="告知书送达日期", description=TODAY)] = None


class DefenceIn(Input):
    statement: Annotated[Text, Field(title="陈述申辩内容"), Entry(required=True, rows=4)] = ""
    accepted: Annotated[bool, Field(title="陈述申辩理由成立，予以采纳")] = False


class HearingRequestIn(Input):
    requested_on: Annotated[dt.date | None, Field(title="申请日期", description=TODAY)] = None


class ScheduleHearingIn(Input):
    chair_id: Annotated[Id, Field(title="听证主持人（非本案调查人员）"), Entry(name="chair", picker="hearing_chairs")]
    hearing_on: Annotated[dt.date, Field(title="听证日期", description="应当在举行听证的七日前通知当事人。")]


class HoldHearingIn(Input):
    minutes: Annotated[Text, Field(title="听证笔录摘要"), Entry(required=True, rows=4)] = ""
    party_absent: Annotated[bool, Field(title="当事人无正当理由拒不到场（视为放弃听证）")] = False


class DecideIn(Input):
    page_confirm: ClassVar[str] = "作出处理决定后将生成决定书内容，确定提交？"
    outcome: Annotated[Literal["penalty", "no_penalty", "transfer"], Field(title="处理结果"), Entry(choices=[
        ("penalty", "给予行政处罚"), ("no_penalty", "不予行政处罚"), ("transfer", "移送司法机关")])]
    kinds: Annotated[Kinds, Field(title="处罚种类"), Entry(initial=_proposed_kinds)] = []
    amount: Annotated[Money | None, Field(title="罚款金额（元）"), Entry(initial=_proposed_amount)] = None
    reasoning: Annotated[Text, Field(title="说理"), Entry(required=True, rows=4)] = ""
    grades: Annotated[list[Annotated[int, Field(ge=1, le=100)]], Field(
        max_length=20, title="裁量阶次", description="按裁量基准的阶次编号，多个以逗号分隔。"), Entry(entry="commas")] = []
    factors: Annotated[list[Annotated[str, Field(max_length=40)]], Field(
        max_length=50, title="裁量情节", description="裁量情节代码，多个以逗号分隔。"), Entry(entry="commas")] = []
    outside_benchmark_reason: Annotated[Text, Field(title="超出裁量基准的理由"), Entry(rows=2)] = ""
    education: Annotated[Text, Field(title="对当事人的教育情况（不予处罚时必填，行政处罚法第三十三条第三款）"), Entry(rows=2)] = ""
    defence_opinion: Annotated[Text, Field(title="对陈述、申辩（听证）意见的采纳情况及理由（当事人提出意见时必填）"), Entry(rows=2)] = ""


class OnSpotIn(Input):
    page_confirm: ClassVar[str] = "确认已出示执法证件、告知当事人处罚事由和权利并听取陈述申辩？"
    kinds: Annotated[Kinds, Field(title="处罚种类")]
    amount: Annotated[Money | None, Field(title="罚款金额（元）")] = None
    reasoning: Annotated[Text, Field(title="事实、理由和依据"), MUST] = ""
    statement: Annotated[Text, Field(title="当事人陈述申辩")] = ""
    violated_provision: Annotated[ShortText, Field(title="违反的法律规定（执法事项未列明违法条款时填写）")] = ""


class ServeIn(Input):
    method: Annotated[Literal["direct", "leaving", "post", "email", "fax", "notice"], Field(title="送达方式"),
                      Entry(choices=ServiceRecord.Method.choices)] = "direct"
    served_on: Annotated[dt.date | None, Field(title="送达日期", description=TODAY)] = None
    consent: Annotated[bool, Field(title="当事人已同意并签订确认书（电子、传真送达）")] = False


class DeferIn(Input):
    new_due: Annotated[dt.date, Field(title="延期后的缴款期限")]
    instalments: Annotated[Instalments, Field(title="分期数"), MUST] = 1
    reason: Annotated[Text, Field(title="理由"), MUST] = ""


class PayIn(Input):
    amount: Annotated[Money, Field(title="缴款金额（元）"), Entry(initial=_amount_due)]
    paid_on: Annotated[dt.date | None, Field(title="缴款日期", description=TODAY)] = None
    receipt: Annotated[Receipt, Field(title="票据号")] = ""


class CorrectIn(Input):
    page_confirm: ClassVar[str] = "撤销或者变更已作出的决定，确定提交？"
    kind: Annotated[Literal["revoke", "amend", "void"], Field(title="纠正方式"), Entry(choices=[
        ("revoke", "撤销决定"), ("amend", "变更决定"), ("void", "确认无效")], radio=True)]
    reason: Annotated[Text, Field(title="理由"), MUST] = ""
    kinds: Annotated[Kinds, Field(title="变更后的处罚种类")] = []
    amount: Annotated[Money | None, Field(title="变更后的罚款金额（元）")] = None


class CloseIn(Input):
    summary: Annotated[Text, Field(title="结案报告摘要")] = ""


class PresentIn(Input):
    """R15: the officers present when credentials are shown or rights are told."""

    officer_ids: Annotated[Officers, Field(title="在场执法人员（两名以上持证）", description="不选择则为本案承办人员。"),
                           Entry(name="officers", picker="body_officers")] = []


class ShowCredentialsIn(PresentIn):
    place: Annotated[ShortText, Field(title="地点")] = ""


class InformRightsIn(PresentIn):
    rights: Annotated[Text, Field(title="告知内容", description=(
        "不填则记录标准告知内容：陈述、申辩、听证、申请回避的权利和复议、诉讼途径。"))] = ""


class EducationIn(Input):
    content: Annotated[Text, Field(title="教育情况"), MUST] = ""


class ApproveSeizureIn(Input):
    seizure_id: Annotated[Id, Field(title="查封、扣押"), Entry(name="seizure", picker="unapproved_seizures", empty=None)]
    approve: Annotated[bool, Field(title="审批结论"), Entry(choices=[("1", "批准"), ("0", "不予批准（立即解除）")], radio=True,
                                                       required=True)] = True
    reason: Annotated[Text, Field(title="理由（不予批准时必填）")] = ""


class DeferralRequestIn(Input):
    reason: Annotated[Text, Field(title="当事人申请的理由（经济困难情况）"), MUST] = ""
    instalments: Annotated[Instalments, Field(title="申请分期数"), MUST] = 1


class CollectIn(Input):
    ground: Annotated[Literal["small", "hard_to_enforce", "remote"], Field(title="当场收缴的情形"), Entry(choices=[
        ("small", "一百元以下罚款（第六十八条第一项）"), ("hard_to_enforce", "不当场收缴事后难以执行（第六十八条第二项）"),
        ("remote", "边远、水上、交通不便地区，当事人提出（第六十九条）")])]
    receipt: Annotated[Receipt, Field(title="专用票据号"), MUST] = ""
    amount: Annotated[Money | None, Field(title="收缴金额（元）")] = None


class HandOverIn(Input):
    handed_over_on: Annotated[dt.date | None, Field(title="交至机关日期", description=TODAY)] = None


class RemedyIn(Input):
    kind: Annotated[Literal["reconsideration", "litigation"], Field(title="类别"), Entry(choices=[
        ("reconsideration", "行政复议"), ("litigation", "行政诉讼")])]
    start: Annotated[dt.date | None, Field(title="申请（起诉）日期", description=TODAY)] = None


class EndRemedyIn(Input):
    end: Annotated[dt.date | None, Field(title="终结日期", description=TODAY)] = None
    result: Annotated[ShortText, Field(title="结果")] = ""


class PublishIn(Input):
    published_on: Annotated[dt.date | None, Field(title="公示日期", description=TODAY)] = None
    where: Annotated[ShortText, Field(title="公示平台")] = ""


def schema_of(action: workflow.Action) -> type[Input]:
    """The input schema a workflow row names (``Action.input``)."""
    schema = globals().get(action.input)
    if not (isinstance(schema, type) and issubclass(schema, Input)):
        raise LookupError(f"{action.code}: no input schema {action.input!r} in cases.inputs")
    return schema
