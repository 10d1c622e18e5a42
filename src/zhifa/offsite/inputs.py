"""The typed input of each off-site use case (非现场执法的输入), written once: the API takes them as
bodies, the pages build their forms from them (``core.forms.schema_form``). A capture row of an
imported manifest (CSV or JSON) is validated by ``CaptureRow`` row by row."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from zhifa.core.forms import Entry
from zhifa.core.pagination import CleanText, Id

from . import rules
from .models import Device

ShortText = Annotated[CleanText, Field(max_length=200)]


class DeviceIn(Schema):
    """登记电子技术监控设备 and its legality file (APL art.41 ¶1)."""

    code: Annotated[CleanText, Field(min_length=1, max_length=40), Entry(label="设备编号")]
    name: Annotated[CleanText, Field(min_length=1, max_length=120), Entry(label="设备名称")]
    kind: Annotated[Literal["camera", "speed", "noise", "emission", "weight", "other"],
                    Entry(label="类型", choices=Device.Kind.choices)]
    measuring: Annotated[bool, Entry(label="计量器具（测速、噪声、称重等，须检定）")] = False
    item_code: Annotated[CleanText, Field(min_length=1, max_length=40), Entry(label="监控的执法事项编码")]
    basis_law_id: Annotated[Id | None, Entry(label="设置依据（法律、行政法规）", picker="laws", name="basis_law",
                                               empty="请选择依据的法律或者行政法规")] = None
    basis_article: Annotated[CleanText, Field(max_length=80), Entry(label="依据条款", help="如：第一百一十四条")] = ""
    legal_review_on: Annotated[dt.date | None, Entry(label="法制审核日期")] = None
    legal_review_by: Annotated[CleanText, Field(max_length=80), Entry(label="法制审核人员或者机构")] = ""
    technical_review_on: Annotated[dt.date | None, Entry(label="技术审核日期")] = None
    technical_review_by: Annotated[CleanText, Field(max_length=120), Entry(label="技术审核（检测）机构")] = ""
    standards: Annotated[ShortText, Entry(label="符合的标准")] = ""
    calibration_certificate: Annotated[CleanText, Field(max_length=60), Entry(label="检定证书编号")] = ""
    calibration_valid_from: Annotated[dt.date | None, Entry(label="检定日期")] = None
    calibration_expires_on: Annotated[dt.date | None, Entry(label="检定有效期至")] = None
    signage_on: Annotated[dt.date | None, Entry(label="设置明显可见标志的日期")] = None
    location: Annotated[CleanText, Field(min_length=1, max_length=200), Entry(label="设置地点")]
    longitude: Annotated[Annotated[Decimal, Field(ge=-180, le=180, max_digits=10, decimal_places=6)] | None, Entry(label="经度")] = None
    latitude: Annotated[Annotated[Decimal, Field(ge=-90, le=90, max_digits=9, decimal_places=6)] | None, Entry(label="纬度")] = None
    published_on: Annotated[dt.date | None, Entry(label="设置地点向社会公布的日期")] = None
    published_where: Annotated[ShortText, Entry(label="公布途径")] = ""
    body_id: Annotated[Id | None, Entry(hidden=True)] = None


class DeviceFileIn(Schema):
    """补充或者更新设备档案: the reviews, calibration, signage and publication (any subset)."""

    legal_review_on: Annotated[dt.date | None, Entry(label="法制审核日期")] = None
    legal_review_by: Annotated[CleanText, Field(max_length=80), Entry(label="法制审核人员或者机构")] = ""
    technical_review_on: Annotated[dt.date | None, Entry(label="技术审核日期")] = None
    technical_review_by: Annotated[CleanText, Field(max_length=120), Entry(label="技术审核（检测）机构")] = ""
    calibration_certificate: Annotated[CleanText, Field(max_length=60), Entry(label="检定证书编号")] = ""
    calibration_valid_from: Annotated[dt.date | None, Entry(label="检定日期")] = None
    calibration_expires_on: Annotated[dt.date | None, Entry(label="检定有效期至")] = None
    signage_on: Annotated[dt.date | None, Entry(label="设置明显可见标志的日期")] = None
    published_on: Annotated[dt.date | None, Entry(label="设置地点向社会公布的日期")] = None
    published_where: Annotated[ShortText, Entry(label="公布途径")] = ""
    state: Annotated[Literal["in_service", "retired"] | None, Entry(label="状态", choices=Device.State.choices)] = None


class CaptureRow(Schema):
    """One row of a capture manifest (CSV header or JSON keys): ``taken_at`` (ISO date-time, Beijing
    time when no offset), ``subject``, ``file`` (the name of an uploaded file), optional
    ``description``, ``measured_value``, ``party_name``, ``party_id_code``."""

    taken_at: dt.datetime
    subject: Annotated[CleanText, Field(min_length=1, max_length=60)]
    file: Annotated[CleanText, Field(min_length=1, max_length=200)]
    description: Annotated[CleanText, Field(max_length=300)] = ""
    measured_value: Annotated[CleanText, Field(max_length=40)] = ""
    party_name: Annotated[CleanText, Field(max_length=120)] = ""
    party_id_code: Annotated[CleanText, Field(max_length=18)] = ""


class RegionIn(Schema):
    """A third party's face or plate in the image, as fractions of its width and height."""

    x: Annotated[float, Field(ge=0, lt=1, description="左边距（占图像宽度的比例）")]
    y: Annotated[float, Field(ge=0, lt=1, description="上边距（占图像高度的比例）")]
    w: Annotated[float, Field(gt=0, le=1, description="宽（比例）")]
    h: Annotated[float, Field(gt=0, le=1, description="高（比例）")]
    kind: Literal[tuple(rules.REGION_KINDS)] = "other"  # type: ignore[valid-type]


class ReviewIn(Schema):
    """人工审核 (APL art.41 ¶2): accepted, or rejected with a reason."""

    accepted: Annotated[bool, Entry(label="审核结论", choices=[("1", "通过"), ("0", "不通过")], radio=True)]
    reason_code: Annotated[Literal["", *rules.REJECT_REASONS] | None,
                           Entry(label="不通过原因", choices=[("", "—"), *rules.REJECT_REASONS.items()])] = ""
    reason: Annotated[CleanText, Field(max_length=300), Entry(label="理由")] = ""
    regions: Annotated[list[RegionIn], Field(max_length=rules.MAX_REGIONS)] = []


class CaptureCaseIn(Schema):
    """立案或者并案: an accepted capture becomes a case of the body (or joins ``case_id``)."""

    case_id: Annotated[Id | None, Entry(label="并入案件编号（留空则登记新案源）")] = None
    party_kind: Annotated[Literal["person", "organisation"],
                          Entry(label="当事人类型", choices=[("person", "自然人"), ("organisation", "法人或者其他组织")])] = "person"
    party_name: Annotated[CleanText, Field(max_length=120), Entry(label="当事人（留空则用记录中的当事人）")] = ""
    party_id_code: Annotated[CleanText, Field(max_length=18), Entry(label="身份证号码或统一社会信用代码")] = ""


# --- Manifests (采集清单) ------------------------------------------------------------------------
MAX_ROWS = 50000


class ManifestError(ValueError):
    """A manifest that cannot be read, or rows that are malformed: ``errors`` (row, message)."""

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        super().__init__("；".join(f"第{row}行：{message}" if row else message for row, message in errors[:20]))


def _rows_of(name: str, data: bytes) -> list[dict]:
    import csv
    import io
    import json

    text = data.decode("utf-8-sig")
    if name.lower().endswith(".json") or text.lstrip().startswith(("[", "{")):
        parsed = json.loads(text)
        if isinstance(parsed, dict):
            parsed = parsed.get("captures", [parsed])
        if not isinstance(parsed, list) or not all(isinstance(r, dict) for r in parsed):
            raise ManifestError([(0, "JSON 清单应为记录的数组（或含 captures 数组的对象）。")])
        return parsed
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"taken_at", "subject", "file"} <= {f.strip() for f in reader.fieldnames}:
        raise ManifestError([(0, "CSV 清单的表头应包含 taken_at、subject、file 三列。")])
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]


def parse_manifest(name: str, data: bytes) -> list[CaptureRow]:
    """A manifest's rows, validated: CSV (header ``taken_at,subject,file,…``) or JSON. Every
    malformed row is reported at once (``ManifestError``); nothing is imported then."""
    import pydantic

    from zhifa.core.forms import error_message

    try:
        raw = _rows_of(name, data)
    except (UnicodeDecodeError, ValueError) as exc:
        if isinstance(exc, ManifestError):
            raise
        raise ManifestError([(0, "清单无法读取：应为 UTF-8 编码的 CSV 或 JSON 文件。")]) from None
    if not raw:
        raise ManifestError([(0, "清单中没有记录。")])
    if len(raw) > MAX_ROWS:
        raise ManifestError([(0, f"一个清单最多{MAX_ROWS}条记录，请分批导入。")])
    rows, errors = [], []
    for number, item in enumerate(raw, start=1):
        try:
            rows.append(CaptureRow.model_validate({k: v for k, v in item.items() if v not in (None, "") or k in ("subject", "file")}))
        except pydantic.ValidationError as exc:
            first = exc.errors(include_url=False, include_context=False)[0]
            where = ".".join(str(p) for p in first.get("loc", ()))
            errors.append((number, f"{where}：{error_message(first)}" if where else error_message(first)))
    if errors:
        raise ManifestError(errors)
    return rows
