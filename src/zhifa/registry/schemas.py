"""Typed shapes of the registry API (bodies, officers, jurisdictions, the current user).

Dates are ISO ``YYYY-MM-DD``; hours are decimal strings (``"12.5"``), like money (contract.md).
Every ``*_label`` field is the Chinese label of the code beside it.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal, Optional

from ninja import Field, Schema

from zhifa.core.pagination import CleanText, Id, PageQuery, SearchText, choice_of, sort_choices

from .models import Assignment, Body, Certificate, Jurisdiction, Officer
from .rules import CertificateState
from .selectors import BODY_ORDERINGS

# --- Jurisdictions ------------------------------------------------------------------------

JURISDICTION_SORTS = {"path": ("path",), "code": ("code",), "name": ("name",)}


class JurisdictionFilters(PageQuery):
    level: Optional[choice_of(Jurisdiction.Level)] = Field(None, description="层级：city 市、county 县（市、区）、township 镇（街道）")
    parent: Optional[Id] = Field(None, description="只列该区划及其全部下级（区划 id）")
    sort: Optional[Literal[sort_choices(JURISDICTION_SORTS)]] = Field(None, description="排序，默认按树的先序（path）")


class JurisdictionOut(Schema):
    """行政区划: one node of the tree, flat, with its parent id."""

    id: int
    code: str = Field(..., description="区划代码")
    name: str
    level: choice_of(Jurisdiction.Level)
    level_label: str
    parent_id: Optional[int] = Field(None, description="上级区划 id；根为 null")
    depth: int = Field(..., description="深度，根为 0")
    path: str = Field(..., description="物化路径，如 /650200/650203/")

    @staticmethod
    def resolve_level_label(obj) -> str:
        return obj.get_level_display()


class JurisdictionPage(Schema):
    items: list[JurisdictionOut]
    count: int
    page: int
    page_size: int


# --- Bodies -------------------------------------------------------------------------------

BODY_SORTS = {**BODY_ORDERINGS, "officer_count": ("officer_count",)}


class BodyFilters(PageQuery):
    q: Optional[SearchText] = Field(None, description="名称、简称或主体编码包含的文字")
    sector: Optional[choice_of(Body.Sector)] = Field(None, description="执法领域")
    kind: Optional[choice_of(Body.Kind)] = Field(None, description="主体类型")
    jurisdiction: Optional[Id] = Field(None, description="所属区划 id，含其全部下级区划")
    published: Optional[bool] = Field(None, description="是否已公示（公众只能看到已公示的主体）")
    sort: Optional[Literal[sort_choices(BODY_SORTS)]] = Field(None, description="排序字段，前加“-”为降序；默认按区划、编码")


class BodyOut(Schema):
    """行政执法主体 (R01)."""

    id: int
    code: str = Field(..., description="主体编码")
    name: str
    short_name: str = Field(..., description="简称（用于文号）")
    kind: choice_of(Body.Kind)
    kind_label: str
    sector: choice_of(Body.Sector)
    sector_label: str
    jurisdiction_id: int
    jurisdiction_name: str
    parent_department_id: Optional[int] = Field(None, description="上级业务主管部门 id")
    entrusted_by_id: Optional[int] = Field(None, description="委托机关 id（受委托组织）")
    legal_representative: str
    address: str
    supervision_phone: str
    supervision_email: str
    is_township_bureau: bool
    is_published: bool
    is_active: bool
    officer_count: int = Field(..., description="在岗执法人员数（不含辅助人员）")

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_sector_label(obj) -> str:
        return obj.get_sector_display()

    @staticmethod
    def resolve_jurisdiction_name(obj) -> str:
        return obj.jurisdiction.name


class BodyDetailOut(BodyOut):
    """One body with its long texts."""

    powers: str = Field(..., description="执法权限")
    legal_basis: str = Field(..., description="设立及执法依据")
    responsibility_boundary: str = Field(..., description="职能边界（R02）")


class BodyPage(Schema):
    items: list[BodyOut]
    count: int
    page: int
    page_size: int


# --- Officers -----------------------------------------------------------------------------

OFFICER_SORTS = {
    "name": ("name",),
    "body": ("body_id", "name"),
    "certificate_expires_on": ("cert_expires_on",),
    "certificate_number": ("cert_number",),
}

OfficerRole = Literal["officer", "auxiliary", "legal_reviewer", "head"]
ROLE_LABELS = {"officer": "执法人员", "auxiliary": "执法辅助人员", "legal_reviewer": "法制审核人员", "head": "主体负责人"}


class OfficerFilters(PageQuery):
    body: Optional[Id] = Field(None, description="所属主体 id")
    q: Optional[SearchText] = Field(None, description="姓名或执法证号包含的文字")
    role: Optional[OfficerRole] = Field(
        None, description="officer 执法人员（非辅助人员）、auxiliary 执法辅助人员、legal_reviewer 法制审核人员、head 主体负责人"
    )
    certificate_state: Optional[CertificateState] = Field(
        None, description="执法证状态（当日计算）：valid 有效、expired 已过期、suspended 暂扣、revoked 已注销、none 无执法证"
    )
    status: Optional[choice_of(Officer.Status)] = Field(None, description="在岗状态（公众只能看到在岗人员）")
    sort: Optional[Literal[sort_choices(OFFICER_SORTS)]] = Field(None, description="排序字段，前加“-”为降序；默认按主体、姓名")


class OfficerPrivate(Schema):
    """Private data (个人信息): only for the officer's own body, its supervisors and the administrator."""

    id_number: str = Field(..., description="身份证号")
    phone: str = Field(..., description="手机号")
    staff_no: str = Field(..., description="工号")
    position: str = Field(..., description="职务")
    status: choice_of(Officer.Status)
    status_label: str
    is_auxiliary: bool
    is_legal_reviewer: bool
    is_head: bool
    has_legal_qualification: bool = Field(..., description="具有国家统一法律职业资格")
    enforcement_experience_years: int = Field(..., description="执法工作年限")
    certificate_issued_on: Optional[dt.date] = Field(None, description="发证日期")
    training_year: int = Field(..., description="培训学时统计年度（本年）")
    training_hours: Decimal = Field(..., description="本年度培训学时（R07）")
    training_hours_required: int = Field(..., description="每年应完成的培训学时")


class OfficerOut(Schema):
    """执法人员 with the state of their latest certificate (行政执法证, R04). ``private`` is null
    unless the caller may see the officer's private data."""

    id: int
    name: str
    body_id: int
    body_name: str
    role: OfficerRole
    role_label: str
    certificate_number: Optional[str] = Field(None, description="执法证号")
    certificate_state: CertificateState = Field(..., description="执法证状态（当日计算）")
    certificate_state_label: str
    certificate_expires_on: Optional[dt.date] = Field(None, description="执法证有效期至")
    private: Optional[OfficerPrivate] = None


class OfficerPage(Schema):
    items: list[OfficerOut]
    count: int
    page: int
    page_size: int


# --- The current user ---------------------------------------------------------------------

class RoleOut(Schema):
    code: str
    label: str


class BodyRef(Schema):
    id: int
    name: str


class JurisdictionRef(Schema):
    id: int
    name: str
    path: str


class MeOut(Schema):
    """当前用户: who the token belongs to and what they may see."""

    username: str
    name: str = Field(..., description="姓名")
    roles: list[RoleOut]
    primary_role: RoleOut
    officer_id: Optional[int] = None
    body: Optional[BodyRef] = Field(None, description="所属执法主体")
    supervised_jurisdiction: Optional[JurisdictionRef] = Field(None, description="监督的区划（执法监督机构）")


# --- Writes (heads and the administrator) -------------------------------------------------
# Shapes only: every rule (unique number, expiry after issue, R05 …) is the services' and comes
# back as a 409 with every violation; malformed input is a 422 here.

Text = Annotated[CleanText, Field(max_length=200)]


class ViolationOut(Schema):
    code: str = Field(..., description="稳定的英文代码，如 DUPLICATE_NUMBER")
    message: str = Field(..., description="中文说明")
    basis: str = Field(..., description="法律或规范依据")


class RefusedOut(Schema):
    """法律或规则不允许（409）: 全部理由一次列出，未写入任何数据."""

    violations: list[ViolationOut]


class CertificateIn(Schema):
    """发放（换发）行政执法证 (R04)."""

    number: Annotated[CleanText, Field(min_length=1, max_length=32)] = Field(..., description="证件编号（全市唯一）")
    issued_on: dt.date = Field(..., description="发证日期")
    expires_on: dt.date = Field(..., description="有效期至（应晚于发证日期）")
    exam_score: Optional[Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=1)]] = Field(None, description="考试成绩（百分制，照录考试机构认定的成绩）")
    exam_passed_on: Optional[dt.date] = Field(None, description="考试通过日期")
    issuer: Annotated[CleanText, Field(max_length=100)] = Field("", description="发证机关")


class RevokeIn(Schema):
    """注销执法证."""

    reason: choice_of(Certificate.RevocationReason) = Field(
        ..., description="transfer 调离、dismissal 辞退或开除、resignation 辞职、retirement 退休、misconduct 违法违纪吊销、other 其他"
    )
    on: Optional[dt.date] = Field(None, description="注销日期，默认今天")
    note: Text = Field("", description="说明")


class SuspendIn(Schema):
    """暂扣执法证."""

    note: Annotated[CleanText, Field(min_length=1, max_length=200)] = Field(..., description="暂扣事由")
    on: Optional[dt.date] = Field(None, description="暂扣日期，默认今天")


class RestoreIn(Schema):
    """解除暂扣."""

    note: Text = Field("", description="说明")


class CertificateOut(Schema):
    """行政执法证 with its recorded status and its state today."""

    id: int
    officer_id: int
    number: str
    issuer: str
    exam_score: Optional[Decimal] = None
    issued_on: dt.date
    expires_on: dt.date
    status: choice_of(Certificate.Status) = Field(..., description="记录的状态：valid 有效、suspended 暂扣、revoked 注销/吊销")
    status_label: str
    state: CertificateState = Field(..., description="当日状态（含是否过期）")
    status_changed_on: Optional[dt.date] = None
    revocation_reason: str = Field(..., description="注销原因代码，未注销为空")
    revocation_reason_label: str
    status_note: str

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_state(obj) -> CertificateState:
        from zhifa.core import clock  # noqa: PLC0415
        from .rules import CertificateFacts, certificate_state  # noqa: PLC0415

        return certificate_state(CertificateFacts(obj.number, obj.status, obj.issued_on, obj.expires_on), clock.today())

    @staticmethod
    def resolve_revocation_reason_label(obj) -> str:
        return obj.get_revocation_reason_display() if obj.revocation_reason else ""


class TrainingIn(Schema):
    """登记培训 (R07)."""

    title: Annotated[CleanText, Field(min_length=1, max_length=120)] = Field(..., description="培训名称")
    held_on: dt.date = Field(..., description="培训日期（学时计入该年度）")
    hours: Annotated[Decimal, Field(gt=0, le=200, max_digits=5, decimal_places=1)] = Field(..., description="学时")
    provider: Annotated[CleanText, Field(max_length=100)] = Field("", description="组织单位")


class TrainingOut(Schema):
    id: int
    officer_id: int
    title: str
    provider: str
    held_on: dt.date
    hours: Decimal


class AssignmentIn(Schema):
    """登记借调或从事非执法工作 (R08)."""

    kind: choice_of(Assignment.Kind) = Field(..., description="secondment 借调、non_enforcement 从事非执法工作")
    organization: Annotated[CleanText, Field(min_length=1, max_length=120)] = Field(..., description="去向单位/工作")
    starts_on: dt.date
    ends_on: Optional[dt.date] = Field(None, description="结束日期，未定为 null")
    reason: Text = Field("", description="事由")
    approved_by: Annotated[CleanText, Field(max_length=100)] = Field("", description="批准机关")


class EndAssignmentIn(Schema):
    ends_on: Optional[dt.date] = Field(None, description="结束日期，默认今天")


class AssignmentOut(Schema):
    id: int
    officer_id: int
    kind: choice_of(Assignment.Kind)
    kind_label: str
    organization: str
    reason: str
    starts_on: dt.date
    ends_on: Optional[dt.date] = None
    approved_by: str

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()


class OfficerIn(Schema):
    """录用执法人员或执法辅助人员 (R05)."""

    name: Annotated[CleanText, Field(min_length=1, max_length=40)]
    joined_on: dt.date = Field(..., description="录用日期")
    is_auxiliary: bool = Field(False, description="执法辅助人员")
    staff_no: Annotated[CleanText, Field(max_length=32)] = ""
    position: Annotated[CleanText, Field(max_length=60)] = ""
    id_number: Annotated[CleanText, Field(max_length=18)] = ""
    phone: Annotated[CleanText, Field(max_length=20)] = ""


class LeaveIn(Schema):
    """离岗 / 清退: 有效或暂扣的执法证同时注销."""

    reason: choice_of(Certificate.RevocationReason) = Field(..., description="原因，取值同注销原因")
    left_on: Optional[dt.date] = Field(None, description="离岗日期，默认今天")
    note: Annotated[CleanText, Field(max_length=60)] = Field("", description="说明")


class OfficerRecordOut(Schema):
    id: int
    body_id: int
    name: str
    is_auxiliary: bool
    status: choice_of(Officer.Status)
    joined_on: Optional[dt.date] = None
    left_on: Optional[dt.date] = None
    left_reason: str
