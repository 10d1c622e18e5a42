"""The records audit API (全过程记录查阅): the supervision office and the administrator read the
record streams in their scope (``selectors``); staff and the public are refused (403)."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from django.http import FileResponse, Http404
from ninja import Field, Path, Query, Router, Schema, Status

from zhifa.core.api_auth import STAFF_AUTH
from zhifa.core.pagination import CleanText, ErrorOut, Id, PageQuery, RecordPage, SearchText, ValidationErrorOut, page_of
from zhifa.registry import access

from . import selectors, services

router = Router(tags=["全过程记录"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
StreamName = Path[str]


class RecordStreamOut(Schema):
    stream: str = Field(..., description="记录对象，如 case:42、officer:7、import:officers")
    entries: int = Field(..., description="条数")
    last_seq: int
    last_at: dt.datetime = Field(..., description="最近一条的时间")


class RecordStreamPage(Schema):
    items: list[RecordStreamOut]
    count: int
    page: int
    page_size: int


class RecordStreamFilters(PageQuery):
    kind: Optional[SearchText] = Field(None, description="记录类别：case、officer、body、item、draw、import …")
    key: Optional[SearchText] = Field(None, description="记录对象编号（指定类别时精确匹配，否则包含）")


class RecordVerifyOut(Schema):
    ok: bool
    stream: str
    entries: int
    seq: Optional[int] = Field(None, description="摘要链第一处断开的序号")
    reason: str = Field(..., description="断开原因（完整时为空）")


@router.get("/records", auth=STAFF_AUTH, response={200: RecordStreamPage, **ERRORS},
            summary="可查阅的全过程记录（执法监督机构：所辖区划内各主体；管理员：全部）")
def list_streams(request, filters: Query[RecordStreamFilters]):
    actor = access.request_actor(request)
    qs = selectors.streams(actor, selectors.StreamFilters(kind=filters.kind or "", key=filters.key or ""))
    return page_of(qs, filters, lambda row: row)


@router.get("/records/{stream}", auth=STAFF_AUTH, response={200: RecordPage, **ERRORS},
            summary="一个记录对象的全部记录条目（按序号，分页）")
def stream_entries(request, stream: StreamName, params: Query[PageQuery]):
    return page_of(selectors.stream_entries(access.request_actor(request), stream), params, lambda entry: entry)


@router.get("/records/{stream}/verify", auth=STAFF_AUTH, response={200: RecordVerifyOut, **ERRORS},
            summary="核验一个记录对象的摘要链")
def verify_stream(request, stream: StreamName):
    return selectors.verify_stream(access.request_actor(request), stream)


# --- Case files (卷宗, R31) ---------------------------------------------------------------------

ACT_ERRORS = {**ERRORS, 409: dict}


class CaseFileEntryOut(Schema):
    kind: str = Field(..., description="文书种类；evidence_list 为证据清单")
    stage: str
    stage_label: str = Field(..., description="办案环节")
    title: str
    number: str
    version: int
    document_id: Optional[int]
    issued_on: str
    data_sha256: str
    first_page: Optional[int] = Field(None, description="起始页（卷宗 PDF 生成后）")
    last_page: Optional[int] = None


class CaseFileEvidenceOut(Schema):
    id: int
    title: str
    kind: str
    sha256: str = Field(..., description="证据文件的 SHA-256（证据按摘要列明，不复制入卷）")
    size: int
    collected_on: str


class CaseFileVersionOut(Schema):
    version: int
    bound_on: dt.date
    bound_by: str
    reason: str
    binding_sha256: str
    page_count: Optional[int]
    pdf_sha256: str


class CaseFileOut(Schema):
    case_id: int
    case_number: str
    body: str
    version: int = Field(..., description="本次返回的装订版本")
    bound_on: dt.date
    bound_by: str
    reason: str = Field(..., description="重新装订原因（首次装订为空）")
    contents: list[CaseFileEntryOut] = Field(..., description="卷内文件，按办案顺序")
    evidence: list[CaseFileEvidenceOut]
    notes: dict = Field(..., description="备考表")
    page_count: Optional[int] = Field(None, description="页数（延迟生成时，首次下载 PDF 后可得）")
    binding_sha256: str = Field(..., description="装订摘要，已写入案件全过程记录")
    pdf_sha256: str
    versions: list[CaseFileVersionOut]


class RebindIn(Schema):
    reason: CleanText = Field(..., min_length=2, max_length=200, title="重新装订原因")


def _version_out(cf) -> dict:
    return {"version": cf.version, "bound_on": cf.bound_on, "bound_by": cf.bound_by_name, "reason": cf.reason,
            "binding_sha256": cf.binding_sha256, "page_count": cf.page_count, "pdf_sha256": cf.pdf_sha256}


def _case_file_out(case, versions, version: Optional[int]) -> dict:
    chosen = versions[0] if version is None else next((v for v in versions if v.version == version), None)
    if chosen is None:
        raise Http404("没有这个装订版本。")
    return {**_version_out(chosen), "case_id": case.pk, "case_number": case.number, "body": case.body.name,
            "contents": chosen.contents, "evidence": chosen.evidence, "notes": chosen.notes,
            "versions": [_version_out(v) for v in versions]}


@router.get("/case-files/{case_id}", auth=STAFF_AUTH, response={200: CaseFileOut, **ERRORS},
            summary="案件的卷宗：卷内文件（按办案顺序）、页数、装订摘要、各装订版本")
def case_file(request, case_id: Id, version: Optional[int] = Query(None, ge=1, le=32767, description="装订版本，默认最新")):
    case, versions = selectors.case_files(access.request_actor(request), case_id)
    return _case_file_out(case, versions, version)


@router.post("/case-files/{case_id}/bindings", auth=STAFF_AUTH, response={201: CaseFileOut, **ACT_ERRORS},
             summary="重新装订案卷（更正后形成新的装订版本，原版本仍可查阅）")
def rebind(request, case_id: Id, data: RebindIn):
    actor = access.request_actor(request)
    services.bind_case_file(case_id, reason=data.reason, actor=actor)
    case, versions = selectors.case_files(actor, case_id)
    return Status(201, _case_file_out(case, versions, None))


@router.get("/case-files/{case_id}/pdf", auth=STAFF_AUTH, response={200: None, **ACT_ERRORS},
            summary="卷宗 PDF（封面、目录、文书与证据清单连续编页、备考表）")
def case_file_pdf(request, case_id: Id, version: Optional[int] = Query(None, ge=1, le=32767), inline: bool = False):
    case, versions = selectors.case_files(access.request_actor(request), case_id)
    chosen = _case_file_out(case, versions, version)["version"]
    cf = services.ensure_case_file_pdf(next(v.pk for v in versions if v.version == chosen))
    return FileResponse(cf.pdf.open("rb"), content_type="application/pdf", as_attachment=not inline,
                        filename=f"卷宗-{case.number or case.pk}-v{cf.version}.pdf")
