"""Flexible enforcement API (contract.md, "Flexible and off-site enforcement"): thin.

- ``POST /flexible-acts``: record an act (409 with every violation: ``TWO_OFFICERS_REQUIRED``,
  ``MINUTES_REQUIRED``, ``FOLLOW_UP_REQUIRED``, ``REPEAT_FIRST_OFFENCE`` …);
- ``GET /flexible-acts``: the acts in scope (filters ``kind``, ``q``, ``due``), paginated;
- ``GET /flexible-acts/{id}``; ``POST …/{id}/follow-up``; ``POST …/{id}/later-violations``.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Query, Router, Schema, Status

from zhifa.core import clock
from zhifa.core.pagination import CleanText, ErrorOut, Id, PageQuery, ValidationErrorOut, paginate
from zhifa.registry import access

from . import flexible_selectors as fs
from . import services
from .flexible_inputs import FlexibleActIn, FollowUpIn, LinkIn
from .models import FlexibleAct

router = Router(tags=["柔性执法"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: dict, 422: ValidationErrorOut}


class FlexibleActOut(Schema):
    id: int
    body_id: int
    kind: str
    kind_label: str
    party_kind: str
    party_name: str
    party_id_code: str
    item_code: str
    officer_ids: list[int]
    acted_on: dt.date
    place: str
    content: str
    outcome: str
    minutes: str
    follow_up_on: dt.date | None
    followed_up_on: dt.date | None
    follow_up_result: str
    first_offence: bool
    repeat_flagged: bool
    override_reason: str
    case_id: int | None
    later_case_ids: list[int]
    document_number: str


class FlexiblePage(Schema):
    items: list[FlexibleActOut]
    count: int
    page: int
    page_size: int


def _out(a: FlexibleAct) -> dict:
    return {"id": a.pk, "body_id": a.body_id, "kind": a.kind, "kind_label": a.get_kind_display(), "party_kind": a.party_kind,
            "party_name": a.party_name, "party_id_code": a.party_id_code, "item_code": a.item.code,
            "officer_ids": sorted(o.pk for o in a.officers.all()), "acted_on": a.acted_on, "place": a.place, "content": a.content,
            "outcome": a.outcome, "minutes": a.minutes, "follow_up_on": a.follow_up_on, "followed_up_on": a.followed_up_on,
            "follow_up_result": a.follow_up_result, "first_offence": a.first_offence, "repeat_flagged": a.repeat_flagged,
            "override_reason": a.override_reason, "case_id": a.case_id, "later_case_ids": sorted(c.pk for c in a.later_cases.all()),
            "document_number": a.document_number}


def _one(act_id: int, actor) -> dict:
    return _out(fs.acts(actor).prefetch_related("later_cases").get(pk=fs.get_act(act_id, actor).pk))


class Filters(PageQuery):
    kind: Literal["guidance", "persuasion", "demonstration", "warning", "interview"] | None = None
    q: Annotated[CleanText, Field(max_length=100)] | None = Field(None, description="对象名称或者证件号码")
    due: bool = Field(False, description="只看回访日期已到、尚未回访的")


@router.post("/flexible-acts", response={201: FlexibleActOut, **ERRORS}, summary="登记柔性执法（政策辅导、说服教育、劝导示范、警示告诫、指导约谈）")
def create_act(request, payload: FlexibleActIn):
    actor = access.request_actor(request)
    act = services.record_flexible_act(**payload.dict(), actor=actor)
    return Status(201, _one(act.pk, actor))


@router.get("/flexible-acts", response={200: FlexiblePage, **ERRORS}, summary="柔性执法列表（分页、按权限范围）")
def list_acts(request, filters: Query[Filters]):
    actor = access.request_actor(request)
    page = paginate(fs.acts(actor, kind=filters.kind, q=filters.q, due=filters.due, today=clock.today())
                    .prefetch_related("later_cases"), filters)
    page["items"] = [_out(a) for a in page["items"]]
    return page


@router.get("/flexible-acts/{act_id}", response={200: FlexibleActOut, **ERRORS}, summary="柔性执法详情")
def get_act(request, act_id: Id):
    return _one(act_id, access.request_actor(request))


@router.post("/flexible-acts/{act_id}/follow-up", response={200: FlexibleActOut, **ERRORS}, summary="登记回访情况")
def follow_up(request, act_id: Id, payload: FollowUpIn):
    actor = access.request_actor(request)
    services.record_follow_up(act_id, result=payload.result, actor=actor)
    return _one(act_id, actor)


@router.post("/flexible-acts/{act_id}/later-violations", response={200: FlexibleActOut, **ERRORS}, summary="关联其后的违法行为（案件）")
def link_later(request, act_id: Id, payload: LinkIn):
    actor = access.request_actor(request)
    services.link_later_violation(act_id, case_id=payload.case_id, actor=actor)
    return _one(act_id, actor)
