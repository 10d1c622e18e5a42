"""Off-site enforcement API (contract.md, "Flexible and off-site enforcement"): thin.

- ``GET/POST /devices``: devices in scope with their statistics; register one with its legality
  file (409 ``DEVICE_NOT_LAWFUL`` without a law or administrative regulation);
- ``GET /devices/{id}``, ``POST /devices/{id}/file``: a device, its file's problems today; complete it;
- ``POST /devices/{id}/captures``: a batch — multipart ``manifest`` (CSV/JSON) or ``rows`` (JSON
  text, a device's push) with the ``files`` it names; idempotent;
- ``GET /captures``, ``GET /captures/{id}``, ``GET /captures/{id}/file``;
- ``POST /captures/{id}/review``: ``{"accepted", "reason_code", "reason"}``;
- ``POST /captures/{id}/case``: an accepted capture becomes a case (or joins ``case_id``).
"""
from __future__ import annotations

import datetime as dt
import hashlib
from typing import Annotated, Literal

from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.files import UploadedFile

from zhifa.core import clock
from zhifa.core.pagination import CleanText, ErrorOut, Id, PageQuery, ValidationErrorOut, paginate
from zhifa.registry import access

from . import capture_files, inputs, selectors, services
from .inputs import CaptureCaseIn, DeviceFileIn, DeviceIn, ReviewIn
from .models import Capture, Device

router = Router(tags=["非现场执法"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: dict, 422: ValidationErrorOut}
MAX_MANIFEST_BYTES = 20 * 1024 * 1024


class StatsOut(Schema):
    total: int
    pending: int
    accepted: int
    rejected: int
    cases: int
    acceptance_rate: float | None = Field(..., description="审核通过率（通过数 ÷ 已审核数），未审核时为 null")
    rejections_by_reason: dict[str, int]


class ProblemOut(Schema):
    code: str
    message: str
    basis: str


class DeviceOut(Schema):
    id: int
    body_id: int
    body_name: str
    code: str
    name: str
    kind: str
    measuring: bool
    item_code: str
    basis_law: str
    basis_article: str
    legal_review_on: dt.date | None
    technical_review_on: dt.date | None
    calibration_certificate: str
    calibration_expires_on: dt.date | None
    signage_on: dt.date | None
    location: str
    published_on: dt.date | None
    wait_days: int
    state: str
    usable_today: bool
    problems_today: list[ProblemOut]
    stats: StatsOut


class DevicePage(Schema):
    items: list[DeviceOut]
    count: int
    page: int
    page_size: int


def _device_out(device: Device, stats: selectors.Stats, today: dt.date) -> dict:
    problems = [p.as_dict() for p in selectors.device_problems(device, today)]
    return {
        "id": device.pk, "body_id": device.body_id, "body_name": device.body.name, "code": device.code, "name": device.name,
        "kind": device.kind, "measuring": device.measuring, "item_code": device.item.code, "basis_law": device.basis_law.title,
        "basis_article": device.basis_article, "legal_review_on": device.legal_review_on,
        "technical_review_on": device.technical_review_on, "calibration_certificate": device.calibration_certificate,
        "calibration_expires_on": device.calibration_expires_on, "signage_on": device.signage_on, "location": device.location,
        "published_on": device.published_on, "wait_days": device.wait_days, "state": device.state,
        "usable_today": not problems and device.state == Device.State.IN_SERVICE, "problems_today": problems,
        "stats": stats.as_dict(),
    }


class DeviceFilters(PageQuery):
    state: Literal["in_service", "retired"] | None = None
    q: Annotated[CleanText, Field(max_length=100)] | None = Field(None, description="设备编号、名称或者地点")


@router.get("/devices", response={200: DevicePage, **ERRORS}, summary="电子技术监控设备列表（含统计）")
def list_devices(request, filters: Query[DeviceFilters]):
    actor = access.request_actor(request)
    qs = selectors.visible_devices(actor)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.q:
        from django.db.models import Q

        qs = qs.filter(Q(code__icontains=filters.q) | Q(name__icontains=filters.q) | Q(location__icontains=filters.q))
    page = paginate(qs.order_by("body_id", "code", "pk"), filters)
    stats = selectors.device_stats([d.pk for d in page["items"]])
    today = clock.today()
    page["items"] = [_device_out(d, stats[d.pk], today) for d in page["items"]]
    return page


@router.post("/devices", response={201: DeviceOut, **ERRORS}, summary="登记电子技术监控设备及其合法性档案")
def create_device(request, payload: DeviceIn):
    actor = access.request_actor(request)
    device = services.register_device(**payload.dict(), actor=actor)
    device = selectors.get_device(device.pk, actor)
    return Status(201, _device_out(device, selectors.Stats(), clock.today()))


@router.get("/devices/{device_id}", response={200: DeviceOut, **ERRORS}, summary="设备详情、档案问题与统计")
def get_device(request, device_id: Id):
    actor = access.request_actor(request)
    device = selectors.get_device(device_id, actor)
    return _device_out(device, selectors.device_stats([device.pk])[device.pk], clock.today())


@router.post("/devices/{device_id}/file", response={200: DeviceOut, **ERRORS}, summary="补充或者更新设备档案")
def update_device_file(request, device_id: Id, payload: DeviceFileIn):
    actor = access.request_actor(request)
    services.update_device_file(device_id, **{k: v for k, v in payload.dict().items() if v not in (None, "")}, actor=actor)
    device = selectors.get_device(device_id, actor)
    return _device_out(device, selectors.device_stats([device.pk])[device.pk], clock.today())


class BatchOut(Schema):
    id: int
    device_id: int
    source: str
    rows: int
    created: int
    duplicates: int
    refused: int
    refusals: list[dict]


def _manifest_error(exc: inputs.ManifestError) -> ValidationError:
    return ValidationError([{"loc": ["manifest", str(row)] if row else ["manifest"], "msg": message, "type": "value_error"}
                            for row, message in exc.errors[:200]])


@router.post("/devices/{device_id}/captures", response={201: BatchOut, **ERRORS},
             summary="导入电子监控记录（CSV/JSON 清单和文件，或设备推送）；按设备、时间、对象和文件摘要去重")
def import_captures(request, device_id: Id, manifest: File[UploadedFile] = None,
                    rows: Form[CleanText | None] = None,
                    files: File[list[UploadedFile]] = None):
    actor = access.request_actor(request)
    selectors.get_device(device_id, actor)  # 404 before reading anything
    if manifest is not None:
        if manifest.size > MAX_MANIFEST_BYTES:
            raise ValidationError([{"loc": ["manifest"], "msg": "清单文件不得超过20MB，请分批导入。", "type": "value_error"}])
        data, name, source = manifest.read(), manifest.name or "manifest", "upload"
    elif rows:
        if len(rows) > MAX_MANIFEST_BYTES:
            raise ValidationError([{"loc": ["rows"], "msg": "提交的记录不得超过20MB，请分批导入。", "type": "value_error"}])
        data, name, source = rows.encode(), "push.json", "push"
    else:
        raise ValidationError([{"loc": ["manifest"], "msg": "请上传清单文件（manifest）或者提交记录（rows）。", "type": "value_error"}])
    try:
        parsed = inputs.parse_manifest(name, data)
    except inputs.ManifestError as exc:
        raise _manifest_error(exc) from None
    uploads = {}
    for f in request.FILES.getlist("files"):
        uploads[f.name] = f
    batch = services.import_captures(device_id, rows=parsed, files=uploads, source=source, manifest_name=name,
                                     manifest_sha256=hashlib.sha256(data).hexdigest(), actor=actor)
    return Status(201, {"id": batch.pk, "device_id": device_id, "source": batch.source, "rows": batch.rows,
                        "created": batch.created, "duplicates": batch.duplicates, "refused": batch.refused,
                        "refusals": batch.refusals})


class CaptureOut(Schema):
    id: int
    device_id: int
    device_code: str
    taken_at: dt.datetime
    subject: str
    description: str
    measured_value: str
    party_name: str
    sha256: str
    size: int
    content_type: str
    state: str
    reviewer_name: str
    reviewed_at: dt.datetime | None
    reject_code: str
    reject_reason: str
    case_id: int | None
    case_number: str
    lookup_code: str | None
    regions: list[dict] = Field([], description="审核时标注的第三方区域（当事人查看时模糊处理）")


class CapturePage(Schema):
    items: list[CaptureOut]
    count: int
    page: int
    page_size: int


def _capture_out(c: Capture) -> dict:
    return {"id": c.pk, "device_id": c.device_id, "device_code": c.device.code, "taken_at": c.taken_at, "subject": c.subject,
            "description": c.description, "measured_value": c.measured_value, "party_name": c.party_name, "sha256": c.sha256,
            "size": c.size, "content_type": c.content_type, "state": c.state, "reviewer_name": c.reviewer_name,
            "reviewed_at": c.reviewed_at, "reject_code": c.reject_code, "reject_reason": c.reject_reason,
            "case_id": c.case_id, "case_number": c.case.number if c.case_id else "", "lookup_code": c.lookup_code,
            "regions": c.regions}


class CaptureFilters(PageQuery):
    device: Id | None = None
    state: Literal["pending", "accepted", "rejected"] | None = None
    q: Annotated[CleanText, Field(max_length=100)] | None = Field(None, description="对象（号牌）或者当事人")


@router.get("/captures", response={200: CapturePage, **ERRORS}, summary="电子监控记录列表（分页、按权限范围）")
def list_captures(request, filters: Query[CaptureFilters]):
    actor = access.request_actor(request)
    page = paginate(selectors.captures(actor, device_id=filters.device, state=filters.state, q=filters.q), filters)
    page["items"] = [_capture_out(c) for c in page["items"]]
    return page


@router.get("/captures/{capture_id}", response={200: CaptureOut, **ERRORS}, summary="电子监控记录详情")
def get_capture(request, capture_id: Id):
    return _capture_out(selectors.get_capture(capture_id, access.request_actor(request)))


@router.get("/captures/{capture_id}/file", summary="电子监控记录的文件（本主体工作人员）")
def capture_file(request, capture_id: Id):
    return capture_files.file_response(selectors.get_capture(capture_id, access.request_actor(request)))


@router.post("/captures/{capture_id}/review", response={200: CaptureOut, **ERRORS}, summary="人工审核（通过，或者不通过并说明原因）")
def review_capture(request, capture_id: Id, payload: ReviewIn):
    actor = access.request_actor(request)
    services.review_capture(capture_id, accepted=payload.accepted, reason_code=payload.reason_code or "",
                            reason=payload.reason, regions=[r.dict() for r in payload.regions], actor=actor)
    return _capture_out(selectors.get_capture(capture_id, actor))


@router.post("/captures/{capture_id}/case", response={201: CaptureOut, **ERRORS},
             summary="审核通过的记录立案或者并案，并生成当事人查询码")
def capture_to_case(request, capture_id: Id, payload: CaptureCaseIn):
    actor = access.request_actor(request)
    services.capture_to_case(capture_id, **payload.dict(), actor=actor)
    return Status(201, _capture_out(selectors.get_capture(capture_id, actor)))


