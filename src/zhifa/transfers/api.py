"""Transfer API (contract.md "Criminal transfer (R25)"): thin — parse, call ``services``, shape.

- ``POST /transfers``: an outward transfer from a case (state ``reported``), or with
  ``"direction": "in"`` a reverse transfer or a procuratorate's opinion (state ``registered``);
- ``GET /transfers``: the ledger in the actor's scope (filters ``state``, ``body``, ``direction``,
  ``overdue``), each with its Order 310 clocks — a constant number of queries whatever the page;
- ``GET /transfers/{id}``: ``state``, ``deadlines`` (the clocks: a timestamp for the 24 hours, a
  date for the days), ``allowed_actions``, materials and offset (art.11);
- ``POST /transfers/{id}/actions/{action}``: one act; 409 with every violation;
- ``GET /transfers/signals``: 有案不移 and 以罚代刑 signals in the actor's scope.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import pydantic
from django.http import HttpResponse
from ninja import Body, Field, Query, Router, Schema, Status
from ninja.errors import ValidationError

from zhifa.core import clock, workdays
from zhifa.core.pagination import CleanText, ErrorOut, Id, PageQuery, RecordPage, ValidationErrorOut, paginate
from zhifa.registry import access

from . import exporting, inputs, package, rules, selectors, services
from .models import Transfer

router = Router(tags=["移送涉嫌犯罪案件"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: dict, 422: ValidationErrorOut}


class ClockOut(Schema):
    kind: str
    label: str
    basis: str
    unit: str = Field(..., description="hours：按小时计，due 为时间戳；days / months：due 为日期")
    due: dt.datetime | dt.date
    done_at: dt.datetime | dt.date | None
    status: str = Field(..., description="running / soon / overdue / met / late / lapsed")
    status_label: str
    whose: str = Field(..., description="agency：本机关；police：公安机关")
    optional: bool
    provisional: bool


class MaterialOut(Schema):
    kind: str
    title: str
    document_id: int | None
    number: str
    note: str


class TransferOut(Schema):
    id: int
    direction: str
    state: str
    state_label: str
    version: int
    body_id: int
    body_name: str
    case_id: int | None
    case_number: str
    inspection_id: int | None = Field(None, description="据检查发现报告移送的检查记录")
    source_reference: str = ""
    party_name: str
    suspected_offence: str
    police: str
    team_officer_ids: list[int]
    reported_at: dt.datetime | None
    head_decision: str
    refusal_reason: str
    dispatched_at: dt.datetime | None
    received_on: dt.date | None
    police_decision: str
    police_reasons: str
    filed_on: dt.date | None
    closed_at: dt.datetime | None
    inward_kind: str
    sender: str
    sender_number: str
    inward_received_on: dt.date | None
    reply_outcome: str
    reply_reasons: str
    reply_case_id: int | None
    next_due_at: dt.datetime | None
    blocks_fine: bool = Field(..., description="办理期间本案不得罚款（不得以罚代刑）")
    overdue: bool
    deadlines: list[ClockOut]
    allowed_actions: list[str]
    materials: list[MaterialOut] = []
    offset: dict = {}


class TransferPage(Schema):
    items: list[TransferOut]
    count: int
    page: int
    page_size: int


def _shape(t: Transfer, actor: access.Actor, schedule, now: dt.datetime, detail: bool = False) -> dict:
    cl = rules.clocks(t.facts(), schedule, now, selectors.policy())
    out = {
        "id": t.pk, "direction": t.direction, "state": t.state, "state_label": rules.state_label(t.state), "version": t.version,
        "body_id": t.body_id, "body_name": t.body.name, "case_id": t.case_id, "case_number": t.case.number if t.case else "",
        "inspection_id": t.inspection_id, "source_reference": t.source_reference,
        "party_name": t.case.party_name if t.case and t.direction == "out" else t.party_name,
        "suspected_offence": t.suspected_offence, "police": t.police, "team_officer_ids": [o.pk for o in t.team.all()],
        "reported_at": t.reported_at, "head_decision": t.head_decision, "refusal_reason": t.refusal_reason,
        "dispatched_at": t.dispatched_at, "received_on": t.received_on, "police_decision": t.police_decision,
        "police_reasons": t.police_reasons, "filed_on": t.filed_on, "closed_at": t.closed_at, "inward_kind": t.inward_kind,
        "sender": t.sender, "sender_number": t.sender_number, "inward_received_on": t.inward_received_on,
        "reply_outcome": t.reply_outcome, "reply_reasons": t.reply_reasons, "reply_case_id": t.reply_case_id,
        "next_due_at": t.next_due_at, "blocks_fine": t.blocks_fine, "overdue": rules.is_overdue(cl),
        "deadlines": [{**x.as_dict(), "status_label": rules.STATUS_LABELS[x.status]} for x in cl],
        "allowed_actions": selectors.allowed_actions(t, actor, rules.local(now).date()),
    }
    if detail:
        out["materials"] = [{"kind": m.kind, "title": m.title, "document_id": m.document_id,
                             "number": m.document.number if m.document_id else "", "note": m.note} for m in t.materials.all()]
        off = selectors.offset_of(t)
        out["offset"] = {"standing": off.standing, "fine_paid": f"{off.fine_paid:.2f}"}
    return out


def _detail(transfer_id: int, actor: access.Actor) -> dict:
    return _shape(selectors.get_transfer(transfer_id, actor), actor, workdays.schedule(), clock.now(), detail=True)


def _validated(schema: type[pydantic.BaseModel], payload: dict | None) -> pydantic.BaseModel:
    try:
        return schema.model_validate(payload or {})
    except pydantic.ValidationError as exc:
        raise ValidationError(exc.errors(include_url=False, include_context=False)) from None


@router.post("/transfers", response={201: TransferOut, **ERRORS}, summary="报告移送涉嫌犯罪案件，或者登记反向移送、检察意见")
def create_transfer(request, payload: Body[dict | None] = None):
    actor = access.request_actor(request)
    data = _validated(inputs.TransferIn, payload)
    if data.direction == "out":
        if (data.case_id is None) == (data.inspection_id is None):
            raise ValidationError([{"loc": ("body", "case_id"), "msg": "报告移送应当指明案件或者检查记录（二者选一）。", "type": "missing"}])
        t = services.report_transfer(case_id=data.case_id, inspection_id=data.inspection_id, team_officer_ids=data.team_officer_ids,
                                     suspected_offence=data.suspected_offence, report=data.report, police=data.police, actor=actor)
    else:
        t = services.register_inward(inward_kind=data.inward_kind, sender=data.sender, sender_number=data.sender_number,
                                     received_on=data.received_on, reply_months=data.reply_months, party_name=data.party_name,
                                     summary=data.summary, case_id=data.case_id, body_id=data.body_id, actor=actor)
    return Status(201, _detail(t.pk, actor))


class TransferFilters(PageQuery):
    state: Literal[tuple(rules.STATES)] | None = None  # type: ignore[valid-type]
    body: Id | None = Field(None, description="执法主体编号")
    direction: Literal["out", "in"] | None = None
    overdue: bool = Field(False, description="只看最近期限已届满的")
    q: Annotated[CleanText, Field(max_length=100)] | None = Field(None, description="当事人、案件编号或者罪名")
    order: Literal["urgency", "newest"] = Field("newest", description="urgency：按最近期限（逾期在前）；newest：按登记先后")


def _filtered(actor, f: TransferFilters):
    wanted = selectors.TransferFilter(state=f.state, body_id=f.body, direction=f.direction, overdue=f.overdue, q=f.q)
    return selectors.ordered(selectors.with_relations(selectors.filter_transfers(actor, wanted)), f.order)


@router.get("/transfers", response={200: TransferPage, **ERRORS}, summary="移送台账（分页、按权限范围，含各项期限）")
def list_transfers(request, filters: Query[TransferFilters]):
    actor = access.request_actor(request)
    page = paginate(_filtered(actor, filters), filters)
    schedule, now = workdays.schedule(), clock.now()
    page["items"] = [_shape(t, actor, schedule, now) for t in page["items"]]
    return page


@router.get("/transfers/export.xlsx", summary="移送台账导出 Excel")
def export_transfers(request, filters: Query[TransferFilters]):
    actor = access.request_actor(request)
    content = exporting.ledger_xlsx(_filtered(actor, filters)[: exporting.MAX_ROWS], workdays.schedule(), clock.now())
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="transfers.xlsx"'
    return response


@router.get("/transfers/signals", response={200: list[selectors.Signal], **ERRORS}, summary="有案不移、以罚代刑信号")
def list_signals(request, body: Id | None = None):
    return [s.as_dict() for s in selectors.signals(access.request_actor(request), body)]


class SigningKeyOut(Schema):
    body_id: int
    body_name: str
    algorithm: str
    key_id: str = Field(..., description="密钥指纹：原始公钥 SHA-256 的前16位十六进制")
    public_key: str = Field(..., description="Ed25519 原始公钥，Base64")
    created_at: dt.datetime
    retired_at: dt.datetime | None
    reason: str


class RotateKeyIn(Schema):
    reason: Annotated[CleanText, Field(max_length=200)] = ""
    body_id: Id | None = Field(None, description="系统管理员轮换时填写")


@router.get("/transfers/keys", response={200: list[SigningKeyOut], **ERRORS}, summary="案卷包签名密钥（公钥及指纹，含已停用的）")
def list_keys(request, body: Id | None = None):
    return [selectors.key_row(k) for k in selectors.signing_keys(access.request_actor(request), body)]


@router.post("/transfers/keys/rotate", response={201: SigningKeyOut, **ERRORS}, summary="轮换本机关案卷包签名密钥")
def rotate_key(request, payload: RotateKeyIn):
    key = services.rotate_signing_key(body_id=payload.body_id, reason=payload.reason, actor=access.request_actor(request))
    return Status(201, selectors.key_row(key))


@router.get("/transfers/{transfer_id}", response={200: TransferOut, **ERRORS}, summary="移送详情：状态、期限、可执行的操作")
def get_transfer(request, transfer_id: Id):
    return _detail(transfer_id, access.request_actor(request))


ActionCode = Literal[tuple(rules.BY_CODE)]  # type: ignore[valid-type]


@router.post("/transfers/{transfer_id}/actions/{action}", response={200: TransferOut, **ERRORS}, summary="执行一个移送操作",
             description="操作代码与参数见 docs/transfers.md。法律或者流程不允许时返回 409 与全部理由（violations）。")
def perform_action(request, transfer_id: Id, action: ActionCode, payload: Body[dict | None] = None):
    actor = access.request_actor(request)
    data = _validated(inputs.SCHEMAS[action], payload)
    services.perform(transfer_id, action, data.model_dump(), actor=actor)
    return _detail(transfer_id, actor)


@router.get("/transfers/{transfer_id}/record", response={200: RecordPage, **ERRORS}, summary="移送的全过程记录")
def get_record(request, transfer_id: Id, params: Query[PageQuery]):
    t = selectors.get_transfer(transfer_id, access.request_actor(request))
    return paginate(selectors.record_of(t), params)


def _package(request, transfer_id: int, render, content_type: str, ext: str) -> HttpResponse:
    t = selectors.get_transfer(transfer_id, access.request_actor(request))
    response = HttpResponse(render(package.build(t)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="transfer-{t.pk}-package.{ext}"'
    return response


@router.get("/transfers/{transfer_id}/package.json", summary="移送案卷包（JSON：文书、全过程记录、摘要及本机关签名，可脱离本平台校验）")
def package_json(request, transfer_id: Id):
    return _package(request, transfer_id, package.as_json, "application/json; charset=utf-8", "json")


@router.get("/transfers/{transfer_id}/package.pdf", summary="移送案卷包目录（PDF，载明案卷包摘要和签名）")
def package_pdf(request, transfer_id: Id):
    return _package(request, transfer_id, package.as_pdf, "application/pdf", "pdf")
