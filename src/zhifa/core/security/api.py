"""``GET /api/v1/audit``: the security audit log (core/security/audit.py), for the administrator
and the auditor role only (403 for every other user, 401 without credentials)."""
from __future__ import annotations

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema

from zhifa.core.pagination import ErrorOut, PageQuery, SearchText, paginate
from zhifa.core.security import audit

router = Router(tags=["安全审计"])

Kind = Literal[tuple(audit.KIND_LABELS)]
Outcome = Literal[tuple(audit.OUTCOME_LABELS)]


class AuditQuery(PageQuery):
    kind: Kind | None = Field(None, description="事件类型")
    outcome: Outcome | None = Field(None, description="结果：success 成功、failure 失败、denied 拒绝")
    username: SearchText | None = Field(None, description="用户名（精确）")
    address: SearchText | None = Field(None, description="客户端地址（精确）")
    object: SearchText | None = Field(None, description="对象（前缀）")
    since: dt.date | None = Field(None, description="起始日期（含）")
    until: dt.date | None = Field(None, description="截止日期（含）")


class AuditEventOut(Schema):
    seq: int
    at: dt.datetime
    kind: str
    kind_label: str
    outcome: str
    username: str
    address: str
    object: str
    detail: dict
    algorithm: str
    previous_hash: str
    hash: str


class AuditPage(Schema):
    items: list[AuditEventOut]
    count: int
    page: int
    page_size: int


def shape(event) -> dict:
    return {
        "seq": event.seq, "at": event.at, "kind": event.kind, "kind_label": audit.KIND_LABELS.get(event.kind, event.kind),
        "outcome": event.outcome, "username": event.username, "address": event.address, "object": event.object,
        "detail": event.detail, "algorithm": event.algorithm, "previous_hash": event.previous_hash, "hash": event.hash,
    }


@router.get("/audit", response={200: AuditPage, 403: ErrorOut}, summary="安全审计记录（系统管理员、安全审计员）")
def audit_log(request, q: Query[AuditQuery]):
    if not audit.may_read(request.user):
        raise PermissionDenied("仅系统管理员和安全审计员可以查看安全审计记录。")
    filters = q.dict(exclude={"page", "page_size"})
    envelope = paginate(audit.events(**filters), q)
    envelope["items"] = [shape(event) for event in envelope["items"]]
    return envelope
