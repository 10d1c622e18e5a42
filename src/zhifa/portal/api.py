"""Complaints and reports over the API (R35): the public files one and follows it by its
tracking code (no login); the body's head and legal reviewers (and the supervision office, which
reads its jurisdiction's) list them and act on them. The same services, rules and scope as the
pages; the complainant's identity only for the supervision office and the administrator."""
from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError

from zhifa.core import clock
from zhifa.core.api_auth import STAFF_AUTH
from zhifa.core.pagination import ErrorOut, Id, PageQuery, ValidationErrorOut, page_of
from zhifa.registry import access

from . import permissions, public, rules, selectors, services
from .api_open import router as open_router
from .inputs import ComplaintActionIn, ComplaintIn
from .models import Complaint

router = Router(tags=["投诉举报"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: dict, 422: ValidationErrorOut}


class ComplaintFiledOut(Schema):
    tracking_code: str = Field(..., description="查询码：凭码查看办理进度")
    state: str
    state_label: str
    accept_due: dt.date = Field(..., description="受理决定期限（收到之日起七个工作日）")


class TrackedComplaintOut(Schema):
    tracking_code: str
    kind_label: str
    body_name: str
    subject: str
    received_on: dt.date
    accept_due: dt.date
    state: str
    state_label: str
    decided_on: Optional[dt.date] = None
    anonymous: bool
    reason: str = Field(..., description="不予受理或标记滥用的理由")
    answer: str
    answered_on: Optional[dt.date] = None
    finding_label: str = Field("", description="处理结论（办结后公开）")


class ComplaintOut(Schema):
    id: int
    tracking_code: str
    kind: str
    body_id: int
    body_name: str
    act_reference: str
    subject: str
    facts: str
    request: str
    known_on: Optional[dt.date] = None
    anonymous: bool
    reporter: Optional[dict] = Field(None, description="投诉举报人（只向执法监督机构和管理员提供）")
    received_on: dt.date
    state: str
    state_label: str
    deadlines: dict = Field(..., description="accept_due 受理决定期限")
    overdue: bool
    limitation_passed: bool = Field(..., description="知道之日起已超过三年")
    allowed_actions: list[str]
    state_reason: str
    handling_note: str
    finding: str = Field(..., description="处理结论：upheld 成立、partly_upheld 部分成立、not_upheld 不成立；未处理为空")
    answer: str
    answered_on: Optional[dt.date] = None


class ComplaintPage(Schema):
    items: list[ComplaintOut]
    count: int
    page: int
    page_size: int


class ComplaintFilters(PageQuery):
    state: Optional[Literal[tuple(Complaint.States.values)]] = Field(None, description="状态")  # type: ignore[misc]
    overdue: bool = Field(False, description="只列逾期未决定受理的")


def _out(complaint: Complaint, actor, today: dt.date) -> dict:
    identity = None
    if permissions.may_see_identity(actor) and not complaint.anonymous:
        identity = {"name": complaint.reporter_name, "phone": complaint.reporter_phone,
                    "address": complaint.reporter_address, "email": complaint.reporter_email}
    return {
        "id": complaint.pk, "tracking_code": complaint.tracking_code, "kind": complaint.kind, "body_id": complaint.body_id,
        "body_name": complaint.body.name, "act_reference": complaint.act_reference, "subject": complaint.subject,
        "facts": complaint.facts, "request": complaint.request, "known_on": complaint.known_on,
        "anonymous": complaint.anonymous, "reporter": identity, "received_on": complaint.received_on,
        "state": complaint.state, "state_label": complaint.get_state_display(),
        "deadlines": {"accept_due": complaint.accept_due.isoformat()},
        "overdue": complaint.state == Complaint.States.RECEIVED and today > complaint.accept_due,
        "limitation_passed": rules.limitation_passed(complaint.known_on, complaint.received_on),
        "allowed_actions": complaint.allowed_actions if permissions.may_handle(actor, complaint.body_id) else [],
        "state_reason": complaint.state_reason, "handling_note": complaint.handling_note,
        "finding": complaint.finding, "answer": complaint.answer,
        "answered_on": complaint.answered_on,
    }


@router.post("/public/complaints", auth=None, response={201: ComplaintFiledOut, 409: dict, 422: ValidationErrorOut, 429: ErrorOut},
             summary="提交投诉或举报（无需登录；投诉须实名，举报可匿名；同一地址每小时至多 5 件）")
def file_complaint(request, payload: ComplaintIn):
    try:
        complaint = services.file_complaint(payload, source=permissions.client_address(request))
    except services.complaints.RateLimited as exc:
        raise HttpError(429, str(exc)) from exc
    return Status(201, {"tracking_code": complaint.tracking_code, "state": complaint.state,
                 "state_label": complaint.get_state_display(), "accept_due": complaint.accept_due})


@router.get("/public/complaints/{tracking_code}", auth=None, response={200: TrackedComplaintOut, 404: ErrorOut},
            summary="凭查询码查看投诉举报办理进度（不含投诉举报人信息）")
def track_complaint(request, tracking_code: Path[str]):
    found = public.tracked_complaint(tracking_code)
    if found is None:
        raise HttpError(404, "查询码无效。")
    return found


@router.get("/complaints", auth=STAFF_AUTH, response={200: ComplaintPage, **ERRORS},
            summary="本主体的投诉举报（主体负责人、法制审核人员；执法监督机构看所辖区划）")
def list_complaints(request, filters: Query[ComplaintFilters]):
    actor = access.request_actor(request)
    if not (actor.is_admin or actor.is_supervisor or (actor.officer and (actor.officer.is_head or actor.officer.is_legal_reviewer))):
        raise HttpError(403, permissions.REFUSED)
    today = clock.today()
    qs = selectors.complaints(actor, selectors.ComplaintFilter(state=filters.state or "", overdue=filters.overdue))
    return page_of(qs, filters, lambda complaint: _out(complaint, actor, today))


@router.post("/complaints/{complaint_id}/actions/{action}", auth=STAFF_AUTH, response={200: ComplaintOut, **ERRORS},
             summary="办理投诉举报：accept 受理、reject 不予受理、handle 记录处理情况、answer 答复、mark_abusive 标记滥用")
def act(request, complaint_id: Path[Id], action: Path[Literal[tuple(rules.ACTIONS)]], payload: ComplaintActionIn):  # type: ignore[valid-type]
    actor = access.request_actor(request)
    complaint = services.act_on_complaint(complaint_id, action, payload, actor=actor)
    complaint = selectors.complaint(actor, complaint.pk)
    return _out(complaint, actor, clock.today())


router.add_router("/", open_router)  # the publications' endpoints (``api_open``), same mount
