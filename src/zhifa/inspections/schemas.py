"""The API's schemas of double random, one public (双随机、一公开): what the endpoints of
``inspections/api.py`` take and return. The item list's schemas are ``InspectionItemOut`` /
``InspectionItemPage``: the catalog has its own ``ItemOut`` (enforcement items), and two schemas of
one name made ninja document ``/api/v1/items`` with this app's."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from zhifa.core.pagination import CleanText, Id, PageQuery, SearchText

# --- Item list, databases, plans, tasks, draws, results (R26–R30) ---

class InspectionItemOut(Schema):
    id: int
    code: str
    name: str
    body_id: int
    body_name: str = Field(..., alias="body.name")
    legal_basis: str
    method: str
    category: str
    ratio_percent: Decimal
    rounds_per_year: int
    checklist: list[str]


class InspectionItemPage(Schema):
    items: list[InspectionItemOut]
    count: int
    page: int
    page_size: int


class InspectionItemFilters(PageQuery):
    q: SearchText | None = None
    body: Id | None = None


class EntityOut(Schema):
    id: int
    credit_code: str
    name: str
    kind: str
    industry: str
    address: str
    township_id: int | None
    risk_grade: str
    credit_grade: str
    is_abnormal: bool
    complaint_count: int
    violation_count: int
    tags: list[str]


class EntityPage(Schema):
    items: list[EntityOut]
    count: int
    page: int
    page_size: int


class EntityFilters(PageQuery):
    q: SearchText | None = Field(None, description="名称或统一社会信用代码")
    industry: SearchText | None = None
    township: Id | None = None
    risk: Literal["A", "B", "C", "D"] | None = None
    tag: Literal["abnormal", "complaints", "violations"] | None = None


class InspectorOut(Schema):
    id: int
    name: str
    body_id: int
    expertise: str = ""


class InspectorPage(Schema):
    items: list[InspectorOut]
    count: int
    page: int
    page_size: int


class InspectorFilters(PageQuery):
    body: Id | None = Field(None, description="执法主体；监督机构与管理员可指定，默认本主体")


class ConflictIn(Schema):
    officer_id: Id
    entity_id: Id
    relation: CleanText = Field(..., max_length=100)
    starts_on: dt.date
    ends_on: dt.date | None = None


class ConflictEndIn(Schema):
    ends_on: dt.date = Field(..., description="申报最后有效的日期（不得早于今天）")


class ConflictOut(Schema):
    id: int
    officer_id: int
    entity_id: int
    relation: str
    starts_on: dt.date
    ends_on: dt.date | None
    declared_on: dt.date


class ConflictPage(Schema):
    items: list[ConflictOut]
    count: int
    page: int
    page_size: int


class PlanIn(Schema):
    body_id: Id
    year: int = Field(..., ge=2000, le=2100)
    title: CleanText = Field(..., max_length=200)
    note: CleanText = ""


class TaskIn(Schema):
    title: CleanText = Field(..., max_length=200)
    kind: Literal["random", "targeted", "surprise"] = "random"
    item_ids: list[Id]
    partner_ids: list[Id] = []
    scope_industry: CleanText = Field("", max_length=60)
    scope_jurisdiction_id: Id | None = None
    scope_risk_grades: CleanText = Field("", max_length=4)
    scope_tag: Literal["", "abnormal", "complaints", "violations"] = ""
    ratio_percent: Decimal | None = Field(None, ge=0, le=1000, max_digits=6, decimal_places=2)
    sample_count: int | None = Field(None, ge=0, le=10_000_000)
    inspectors_per_entity: int = Field(2, ge=0, le=100)
    flagged_weight: int = Field(1, ge=0, le=100)
    max_per_year: int | None = Field(None, ge=1, le=365)
    min_gap_days: int | None = Field(None, ge=0, le=3650)
    starts_on: dt.date
    ends_on: dt.date


class TaskOut(Schema):
    id: int
    plan_id: int
    title: str
    kind: str
    item_ids: list[int]
    partner_ids: list[int]
    scope_industry: str
    scope_jurisdiction_id: int | None
    scope_risk_grades: str
    scope_tag: str
    ratio_percent: Decimal | None
    sample_count: int | None
    inspectors_per_entity: int
    flagged_weight: int
    max_per_year: int
    min_gap_days: int
    starts_on: dt.date
    ends_on: dt.date
    draw_id: int | None

    @staticmethod
    def resolve_item_ids(obj):
        return [i.pk for i in obj.items.all()]

    @staticmethod
    def resolve_partner_ids(obj):
        return [b.pk for b in obj.partners.all()]

    @staticmethod
    def resolve_draw_id(obj):
        draw = getattr(obj, "draw", None) if hasattr(obj, "draw") else None
        return draw.pk if draw else None


class JointOut(Schema):
    total: int
    joint: int
    share: Decimal
    meets_floor: bool


class PlanOut(Schema):
    id: int
    body_id: int
    body_name: str = Field(..., alias="body.name")
    year: int
    title: str
    note: str


class PlanDetailOut(PlanOut):
    tasks: list[TaskOut] = Field(..., alias="task_list")
    statistics: dict


class PlanPage(Schema):
    items: list[PlanOut]
    count: int
    page: int
    page_size: int


class PlanFilters(PageQuery):
    year: int | None = Field(None, ge=2000, le=2100)
    body: Id | None = None


class DrawIn(Schema):
    scheduled_at: dt.datetime | None = Field(None, description="公布的抽取时间；不填为立即")


class RevealIn(Schema):
    witness: CleanText = Field(..., max_length=100, description="见证人现场输入的见证值")
    witness_name: CleanText = Field("", max_length=60)


class DrawOut(Schema):
    id: int
    task: int
    task_title: str
    algorithm: str
    status: str
    committed_at: dt.datetime
    scheduled_at: dt.datetime
    document_digest: str
    commitment: str
    candidate_count: int
    excluded_count: int
    inspector_count: int
    sample: int
    secret: str | None = None
    witness: str | None = None
    witness_name: str | None = None
    seed: str | None = None
    result_digest: str | None = None
    revealed_at: dt.datetime | None = None
    refusal: str | None = None
    disclosed_after: dt.date | None = Field(None, description="飞行检查：种子等在该日期之后向公众公开")


class DrawPage(Schema):
    items: list[DrawOut]
    count: int
    page: int
    page_size: int


class DrawFilters(PageQuery):
    status: Literal["committed", "revealed"] | None = None


class CheckOut(Schema):
    check: str
    ok: bool


class VerifyOut(Schema):
    ok: bool
    checks: list[CheckOut]


class DrawnOut(Schema):
    id: int
    rank: int
    credit_code: str
    entity_name: str
    inspectors: list[str]
    outcome: str
    inspected_on: dt.date | None
    published_on: dt.date | None


class DrawnPage(Schema):
    items: list[DrawnOut]
    count: int
    page: int
    page_size: int


class ExclusionOut(Schema):
    credit_code: str
    entity_name: str
    reason_code: str
    reason: str


class ExclusionPage(Schema):
    items: list[ExclusionOut]
    count: int
    page: int
    page_size: int


class AnswerIn(Schema):
    point: CleanText = Field(..., max_length=200)
    ok: bool
    note: CleanText = Field("", max_length=500)


class ResultIn(Schema):
    inspected_on: dt.date
    outcome: Literal["no_problem", "corrected", "rectify", "case", "not_found"]
    answers: list[AnswerIn] = []
    findings: CleanText = Field("", max_length=5000)
    case_number: CleanText = Field("", max_length=60)
    case_id: Id | None = None  # a BigIntegerField: larger ids would overflow it (a 500)


class PublishOut(Schema):
    published: int


class OpenCaseIn(Schema):
    item_code: CleanText = Field(..., min_length=1, max_length=40, description="行政处罚事项编码")
    act_date: dt.date = Field(..., description="违法行为发生日期")
    facts: CleanText = Field("", max_length=5000, description="违法事实简述；空则采用发现的问题")


class OpenCaseOut(Schema):
    inspection: int
    case_id: int
    case_number: str


# --- 我的检查 (R28) ---

class MineOut(DrawnOut):
    draw_id: int
    task_id: int
    task_title: str
    task_ends_on: dt.date = Field(..., description="任务期间的最后一天")


class MinePage(Schema):
    items: list[MineOut]
    count: int
    page: int
    page_size: int


class MineFilters(PageQuery):
    status: Literal["pending", "recorded", "all"] = Field("pending", description="pending 待录入（默认），recorded 已录入，all 全部")


# --- Site photos (现场照片) ---

class PhotoOut(Schema):
    id: int
    inspection_id: int
    sha256: str = Field(..., description="照片文件的 SHA-256，已记入抽取全过程记录（draw:<id>）")
    size: int = Field(..., description="字节数")
    content_type: str = Field(..., description="按文件头识别：image/jpeg、image/png、image/webp、image/heic")
    caption: str
    uploaded_by: str | None = Field(None, description="上传的检查人员")
    uploaded_at: dt.datetime
    url: str = Field(..., description="下载地址（需登录且有权查看该检查）")
    thumbnail_url: str | None = Field(None, description="缩略图（JPEG，最长边 480 像素；HEIC 无缩略图）")


# --- Field work without network (离线现场执法, B9) -----------------------------------------------

from zhifa.core.offline import OfflinePhotoIn, OnsiteIn, PositionIn  # noqa: E402 — shared by every offline page


class OfflineSyncIn(Schema):
    client_id: str = Field(..., min_length=32, max_length=36, description="手机生成的编号（UUID）：同一编号重复提交只接收一次")
    kind: Literal["result", "photo", "onsite"]
    inspection_id: Id
    captured_at: dt.datetime = Field(..., description="手机保存的时间（带时区）")
    position: PositionIn | None = None
    expected_outcome: Literal["", "no_problem", "corrected", "rectify", "case", "not_found"] = Field(
        "", description="手机缓存页面时看到的检查结果（空：尚未录入）；与服务器不同即为冲突")
    overwrite: bool = Field(False, description="检查人员已看到冲突，仍以本机结果提交")
    result: ResultIn | None = None
    photo: OfflinePhotoIn | None = None
    onsite: OnsiteIn | None = None


class OfflineReceiptOut(Schema):
    client_id: str
    kind: str
    inspection_id: int
    captured_at: dt.datetime
    received_at: dt.datetime
    duplicate: bool
    photo_id: int | None = None
    onsite_record_id: int | None = None
