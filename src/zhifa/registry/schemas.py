"""Typed shapes of the registry API (bodies, officers, jurisdictions, the current user).

Dates are ISO ``YYYY-MM-DD``; hours are decimal strings (``"12.5"``), like money (contract.md).
Every ``*_label`` field is the Chinese label of the code beside it.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal, Optional

from ninja import Field, Schema

from zhifa.core.pagination import Id, PageQuery, SearchText, choice_of, sort_choices

from .models import Body, Jurisdiction, Officer
from .rules import CertificateState

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

BODY_SORTS = {
    "name": ("name",),
    "code": ("code",),
    "jurisdiction": ("jurisdiction__path", "code"),
    "sector": ("sector", "code"),
    "officer_count": ("officer_count",),
}


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
