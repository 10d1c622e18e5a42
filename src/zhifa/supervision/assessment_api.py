"""The annual assessment (R36) and officer workload (R38) API, mounted under the supervision router:
``GET /api/v1/supervision/assessments?year=YYYY`` (contract.md), ``POST …/assessments/compute``,
``POST …/assessments/manual-items``, ``GET …/workload/officers``, ``GET …/workload/bodies``."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

from ninja import Field, Query, Router, Schema, Status

from zhifa.core.api_auth import STAFF_AUTH
from zhifa.core.pagination import ErrorOut, Id, PageQuery, ValidationErrorOut, paginate
from zhifa.registry import access

from . import assessment, workload
from .assessment_inputs import ManualItemIn
from .rules import assessment as rules

router = Router(tags=["年度考核与工作量"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


class ComponentOut(Schema):
    code: str
    name: str
    weight: Decimal
    direction: str = Field(..., description="higher：越高越好；lower：越低越好")
    value: Optional[Decimal] = Field(None, description="指标值（单位见 unit）；无数据为空")
    unit: str
    points: Decimal = Field(..., description="得分")
    detail_url: str = Field(..., description="这个数字背后的明细列表（页面）")
    formula: str
    basis: str


class AssessmentLineOut(Schema):
    body_id: int
    body_code: str
    body_name: str
    rank: int
    total: Decimal
    manual: Decimal = Field(..., description="人工加减分合计（已按上限截取）")
    previous_total: Optional[Decimal] = Field(None, description="上年总分")
    previous_rank: Optional[int] = None
    change: Optional[Decimal] = Field(None, description="同比变化（总分）")
    components: list[ComponentOut]


class AssessmentPage(Schema):
    year: int
    snapshot_id: Optional[int] = Field(None, description="考核快照；尚未计算为空")
    computed_at: Optional[dt.datetime] = None
    config_version: str = ""
    inputs_sha256: str = ""
    results_sha256: str = ""
    items: list[AssessmentLineOut]
    count: int
    page: int
    page_size: int


class AssessmentQuery(PageQuery):
    year: int = Field(..., ge=2000, le=2100, description="考核年度")


class ComputeIn(Schema):
    year: int = Field(..., ge=2000, le=2100, title="考核年度")


class SnapshotOut(Schema):
    snapshot_id: int
    year: int
    config_version: str
    inputs_sha256: str
    results_sha256: str
    body_count: int


class ManualItemOut(Schema):
    id: int
    body_id: int
    year: int
    title: str
    points: Decimal
    reason: str
    entered_on: dt.date


def _line(score, components) -> dict:
    cells = []
    for c in components:
        cell = score.components.get(c.code, {})
        cells.append({"code": c.code, "name": c.name, "weight": c.weight, "direction": c.direction, "value": cell.get("value"),
                      "unit": c.unit, "points": cell.get("points", "0"), "detail_url": cell.get("detail_url", ""),
                      "formula": c.formula, "basis": c.basis})
    return {"body_id": score.body_id, "body_code": score.body.code, "body_name": score.body.name, "rank": score.rank,
            "total": score.total, "manual": score.manual, "previous_total": score.previous_total,
            "previous_rank": score.previous_rank, "change": rules.change(score.total, score.previous_total), "components": cells}


@router.get("/assessments", auth=STAFF_AUTH, response={200: AssessmentPage, **ERRORS},
            summary="年度考核：各主体得分、排名、同比，每项得分附明细链接（监督机构：所辖；主体负责人：本主体）")
def list_assessments(request, params: Query[AssessmentQuery]):
    actor = access.request_actor(request)
    snapshot = assessment.latest_snapshot(actor, params.year)
    head = {"year": params.year, "snapshot_id": None, "items": [], "count": 0, "page": params.page, "page_size": params.page_size}
    if snapshot is None:
        return head
    components = rules.parse_config(snapshot.config).components  # the configuration the snapshot used
    envelope = paginate(assessment.scores(actor, snapshot), params)
    envelope["items"] = [_line(s, components) for s in envelope["items"]]
    return {**head, **envelope, "snapshot_id": snapshot.pk, "computed_at": snapshot.computed_at,
            "config_version": snapshot.config_version, "inputs_sha256": snapshot.inputs_sha256,
            "results_sha256": snapshot.results_sha256}


@router.post("/assessments/compute", auth=STAFF_AUTH, response={201: SnapshotOut, 409: dict, **ERRORS},
             summary="计算并保存年度考核快照（执法监督机构）")
def compute(request, data: ComputeIn):
    snapshot = assessment.compute_assessment(data.year, actor=access.request_actor(request))
    return Status(201, {"snapshot_id": snapshot.pk, "year": snapshot.year, "config_version": snapshot.config_version,
                 "inputs_sha256": snapshot.inputs_sha256, "results_sha256": snapshot.results_sha256, "body_count": snapshot.body_count})


@router.post("/assessments/manual-items", auth=STAFF_AUTH, response={201: ManualItemOut, 409: dict, **ERRORS},
             summary="录入人工考核项（加减分、理由；执法监督机构）")
def add_manual_item(request, data: ManualItemIn):
    item = assessment.add_manual_item(data, actor=access.request_actor(request))
    return Status(201, item)


# --- Workload (R38) ---------------------------------------------------------------------------------

class FlagOut(Schema):
    kind: str = Field(..., description="overload：负荷过重；risk：风险")
    reason: str


class OfficerWorkloadOut(Schema):
    officer_id: int
    name: str
    body_id: int
    body_name: str
    open_cases: int
    due_soon: int
    overdue: int
    actions_per_month: Decimal
    evaluation_failures: int
    reversals: int
    complaints: int = Field(..., description="近期受理的、引用本人所办案件编号的投诉举报")
    flags: list[FlagOut]


class OfficerWorkloadPage(Schema):
    items: list[OfficerWorkloadOut]
    count: int
    page: int
    page_size: int
    thresholds_version: str


class OfficerWorkloadQuery(PageQuery):
    body: Optional[Id] = Field(None, description="只看一个主体")
    sort: str = Field("body", pattern="^-?(body|name|open|overdue)$", description="body、name、open、overdue，前加 - 为倒序")


class BodyWorkloadOut(Schema):
    body_id: int
    code: str
    name: str
    officers: int
    open_cases: int
    due_soon: int
    overdue: int
    open_per_officer: Optional[Decimal]
    overdue_per_officer: Optional[Decimal]
    actions_per_officer_month: Optional[Decimal]
    evaluation_failures: int
    reversals: int
    complaints: int = Field(..., description="本年度受理的投诉举报（按主体）")
    flags: list[FlagOut]


class BodyWorkloadPage(Schema):
    items: list[BodyWorkloadOut]
    count: int
    page: int
    page_size: int
    thresholds_version: str


@router.get("/workload/officers", auth=STAFF_AUTH, response={200: OfficerWorkloadPage, **ERRORS},
            summary="执法人员工作量与风险（监督机构：所辖；主体负责人：本主体），分页")
def officer_workload(request, params: Query[OfficerWorkloadQuery]):
    actor = access.request_actor(request)
    envelope = paginate(workload.officers(actor, body_id=params.body, sort=params.sort), params)
    rows = workload.fill_officers(list(envelope["items"]))
    envelope["items"] = [{"officer_id": o.pk, "name": o.name, "body_id": o.body_id, "body_name": o.body.name,
                          "open_cases": o.open_cases, "due_soon": o.due_soon, "overdue": o.overdue,
                          "actions_per_month": o.actions_per_month, "evaluation_failures": o.evaluation_failures,
                          "reversals": o.reversals, "complaints": o.complaints_accepted, "flags": [{"kind": k, "reason": r} for k, r in o.flags]} for o in rows]
    return {**envelope, "thresholds_version": workload.config()[0].version}


@router.get("/workload/bodies", auth=STAFF_AUTH, response={200: BodyWorkloadPage, **ERRORS},
            summary="各主体工作量（按执法人员数折算）与提示，分页")
def body_workload(request, params: Query[PageQuery]):
    actor = access.request_actor(request)
    envelope = paginate(workload.bodies(actor), params)
    rows = workload.fill_bodies(list(envelope["items"]))
    envelope["items"] = [{"body_id": b.pk, "code": b.code, "name": b.name, "officers": b.officer_count, "open_cases": b.open_cases,
                          "due_soon": b.due_soon, "overdue": b.overdue, "open_per_officer": b.open_per_officer,
                          "overdue_per_officer": b.overdue_per_officer, "actions_per_officer_month": b.actions_per_officer_month,
                          "evaluation_failures": b.evaluation_failures, "reversals": b.reversals, "complaints": b.complaints_accepted,
                          "flags": [{"kind": k, "reason": r} for k, r in b.flags]} for b in rows]
    return {**envelope, "thresholds_version": workload.config()[0].version}
