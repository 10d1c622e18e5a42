"""The records audit API (全过程记录查阅): the supervision office and the administrator read the
record streams in their scope (``selectors``); staff and the public are refused (403)."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from ninja import Field, Path, Query, Router, Schema

from zhifa.core.api_auth import STAFF_AUTH
from zhifa.core.pagination import ErrorOut, PageQuery, RecordPage, SearchText, ValidationErrorOut, page_of
from zhifa.registry import access

from . import selectors

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
