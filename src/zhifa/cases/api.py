"""Case API (contract.md ``/api/v1/cases…``): thin — parse, call ``services``, shape.

- ``POST /cases`` registers a case source (普通程序) or opens a simple-procedure case (简易程序);
- ``GET /cases`` pages the cases in the actor's scope with their running deadlines (a constant
  number of queries whatever the page size);
- ``GET /cases/{id}`` has ``state``, ``deadlines`` and ``allowed_actions``;
- ``POST /cases/{id}/actions/{action}`` performs one workflow action: 409 with every violation;
- ``POST /cases/{id}/evidence`` uploads an evidence file (streamed, SHA-256);
- ``GET /cases/{id}/record`` and ``…/record/verify``: the full-process record and its proof.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

import pydantic
from django.db.models import F
from ninja import Body, Field, File, Form, Query, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.files import UploadedFile

from zhifa.core import clock, offline, workdays
from zhifa.core.violations import Refused
from zhifa.core.pagination import CleanDict, CleanText, ErrorOut, Id, PageQuery, RecordPage, ValidationErrorOut, paginate
from zhifa.documents.api import DocumentHeadOut, files_state
from zhifa.registry import access

from . import deadlines as dl
from . import inputs, permissions, selectors, services, workflow
from .inputs import CaseIn, ShortText, Text
from .models import Case

router = Router(tags=["案件"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: dict, 422: ValidationErrorOut}


def _money(value) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


# --- Shapes -------------------------------------------------------------------------------------

class DeadlineOut(Schema):
    kind: str
    label: str
    due: dt.date
    days_left: int = Field(..., description="距期限届满的天数，负数为已逾期")
    provisional: bool = Field(..., description="涉及尚未公布节假日安排的年份，日期为临时推算")


class PartyOut(Schema):
    """当事人 (its own object): what the decision prints of it. Staff only (the public shape is
    ``cases.public``, redacted)."""
    id: int
    kind: str
    name: str
    id_type: str
    id_number: str
    legal_representative: str
    address: str
    service_address: str
    phone: str


class CaseOut(Schema):
    id: int
    number: str
    body_id: int
    body_name: str
    item_code: str
    item_name: str
    procedure: str
    state: str
    state_label: str
    version: int
    party_kind: str
    party_name: str
    party_id_code: str
    party: PartyOut | None = None
    act_date: dt.date
    clue_received_on: dt.date
    filed_on: dt.date | None
    officer_ids: list[int] = []
    proposed_kinds: list[str]
    proposed_amount: str | None
    notice_served_on: dt.date | None
    defence_done: bool
    hearing_status: str
    review_status: str
    outcome: str
    decision_kinds: list[str]
    decision_amount: str | None
    decided_on: dt.date | None
    served_on: dt.date | None
    payment_due: dt.date | None
    paid_amount: str
    closed_on: dt.date | None
    next_due: dt.date | None = Field(None, description="最近的期限（每次办案操作后更新，列表按此排序）")
    next_due_kind: str = ""
    published_on: dt.date | None = None
    transfer_pending: bool = Field(False, description="涉嫌犯罪移送办理中：不得罚款（行政执法机关移送涉嫌犯罪案件的规定第十一条）")
    deadlines: list[DeadlineOut]
    allowed_actions: list[str]


class CasePage(Schema):
    items: list[CaseOut]
    count: int
    page: int
    page_size: int


def _party(party) -> dict:
    return {"id": party.pk, "kind": party.kind, "name": party.name, "id_type": party.id_type, "id_number": party.id_number,
            "legal_representative": party.legal_representative, "address": party.address,
            "service_address": party.service_address, "phone": party.phone}


def _shape(case: Case, actor: access.Actor, schedule, today: dt.date, pauses=None, seizures=None, officer_ids=None) -> dict:
    pauses = pauses if pauses is not None else [dl.Interval(p.start, p.end) for p in case.pauses.all()]
    seizures = seizures if seizures is not None else list(case.seizures.all())
    return {
        "id": case.pk, "number": case.number, "body_id": case.body_id, "body_name": case.body.name,
        "item_code": case.item.code, "item_name": case.item.full_name, "procedure": case.procedure,
        "state": case.state, "state_label": workflow.state_label(case.state), "version": case.version,
        "party_kind": case.party_kind, "party_name": case.party_name, "party_id_code": case.party_id_code,
        "party": _party(case.party) if case.party_id else None,
        "act_date": case.act_date, "clue_received_on": case.clue_received_on, "filed_on": case.filed_on,
        "officer_ids": officer_ids if officer_ids is not None else [o.pk for o in case.officers.all()],
        "proposed_kinds": case.proposed_kinds, "proposed_amount": _money(case.proposed_amount),
        "notice_served_on": case.notice_served_on, "defence_done": case.defence_done, "hearing_status": case.hearing_status,
        "review_status": case.review_status, "outcome": case.outcome, "decision_kinds": case.decision_kinds,
        "decision_amount": _money(case.decision_amount), "decided_on": case.decided_on, "served_on": case.served_on,
        "payment_due": case.payment_due, "paid_amount": _money(case.paid_amount), "closed_on": case.closed_on,
        "next_due": case.next_due, "next_due_kind": case.next_due_kind, "published_on": case.published_on,
        "transfer_pending": case.transfer_pending,
        "deadlines": [d.as_dict() for d in dl.case_deadlines(case, schedule, today, pauses, seizures, selectors.policy())],
        "allowed_actions": selectors.allowed_actions(case, actor),
    }


def _detail(case: Case | int, actor: access.Actor) -> dict:
    """The case as the API shows it: the case an act returns, from what the act holds; else read in
    the actor's scope with what the shape needs (its relations in one go)."""
    if isinstance(case, Case) and (schedule := services.held_schedule(case)) is not None:
        # The case an act just committed: shown from what the act read (``services.prime``).
        return _shape(services.prime(case), actor, schedule, clock.today(), officer_ids=permissions.officer_ids(case))
    case_id = case.pk if isinstance(case, Case) else case
    case = selectors.for_shape(selectors.visible_cases(actor)).filter(pk=case_id).first()
    if case is None:
        from django.http import Http404

        raise Http404
    return _shape(selectors.with_clock_rows([case])[0], actor, workdays.schedule_of(case), clock.today())


# --- Create and list ----------------------------------------------------------------------------

@router.post("/cases", response={201: CaseOut, **ERRORS}, summary="登记案源（普通程序）或者开始简易程序案件")
def create_case(request, payload: CaseIn):
    actor = access.request_actor(request)
    case = services.register_source(**payload.dict(), actor=actor)
    return Status(201, _detail(case, actor))


class CaseFilters(PageQuery):
    state: Literal[tuple(workflow.STATES)] | None = None  # type: ignore[valid-type]
    procedure: Literal["normal", "simple"] | None = None
    mine: bool = Field(False, description="只看本人承办的案件")
    q: Annotated[CleanText, Field(max_length=100)] | None = Field(None, description="当事人或者案件编号")
    order: Literal["urgency", "newest"] = Field("newest", description="urgency：按最近期限（逾期在前）；newest：按登记先后")
    overdue: bool = Field(False, description="只看最近期限已届满的案件")


@router.get("/cases", response={200: CasePage, **ERRORS}, summary="案件列表（分页、按权限范围）")
def list_cases(request, filters: Query[CaseFilters]):
    actor = access.request_actor(request)
    wanted = selectors.CaseFilter(q=filters.q, state=filters.state, procedure=filters.procedure, mine=filters.mine,
                                  overdue=filters.overdue)
    qs = selectors.for_shape(selectors.filter_cases(actor, wanted))
    qs = qs.order_by(F("next_due").asc(nulls_last=True), "-id") if filters.order == "urgency" else qs.order_by("-id")
    page = paginate(qs, filters)
    cases, today = selectors.with_clock_rows(list(page["items"])), clock.today()
    schedule = workdays.schedule_of(cases[0]) if cases else None  # the stamp came with the page
    page["items"] = [_shape(c, actor, schedule, today) for c in cases]
    return page


@router.get("/cases/{case_id}", response={200: CaseOut, **ERRORS}, summary="案件详情：状态、期限、可执行的操作")
def get_case(request, case_id: Id):
    return _detail(case_id, access.request_actor(request))


# --- Actions ------------------------------------------------------------------------------------

def _validated(schema: type[pydantic.BaseModel], payload: dict | None) -> pydantic.BaseModel:
    """The body checked by its schema; bad input is the API's 422 with a Chinese message per field."""
    try:
        return schema.model_validate(payload or {})
    except pydantic.ValidationError as exc:
        raise ValidationError(exc.errors(include_url=False, include_context=False)) from None


# Each action's input schema is named by its workflow row (``cases/inputs.py``); this mapping is
# derived from the rows, for the schema fuzzing of the action endpoint.
ActionCode = Literal[tuple(workflow.BY_CODE)]  # type: ignore[valid-type]


@router.post(
    "/cases/{case_id}/actions/{action}", response={200: CaseOut, **ERRORS}, summary="执行一个办案操作",
    description="操作代码与参数见 docs/cases.md。法律或者流程不允许时返回 409 与全部理由（violations）。",
)
def perform_action(request, case_id: Id, action: ActionCode, payload: Body[dict | None] = None):
    actor = access.request_actor(request)
    data = _validated(inputs.schema_of(workflow.BY_CODE[action]), payload)
    done = services.perform(case_id, action, data.model_dump(), actor=actor)
    return _detail(done if isinstance(done, Case) else case_id, actor)


@router.post("/cases/{case_id}/evidence", response={201: dict, **ERRORS}, summary="上传证据文件（流式计算 SHA-256）")
def upload_evidence(request, case_id: Id, kind: Form[inputs.EvidenceKind], title: Form[inputs.EvidenceTitle],
                    act: Form[inputs.EvidenceAct] = "", place: Form[ShortText] = "", file: File[UploadedFile] = None):
    actor = access.request_actor(request)
    evidence = services.record_evidence(case_id, kind=kind, title=title, act=act, place=place, upload=file, actor=actor)
    return Status(201, {"id": evidence.pk, "sha256": evidence.sha256, "size": evidence.size, "is_av": evidence.is_av})


# --- The full-process record -------------------------------------------------------------------------

@router.get("/cases/{case_id}/record", response={200: RecordPage, **ERRORS}, summary="全过程记录（每条带摘要）")
def get_record(request, case_id: Id, params: Query[PageQuery]):
    return paginate(services.record_of(case_id, access.request_actor(request)), params)


@router.get("/cases/{case_id}/record/verify", response={200: dict, **ERRORS}, summary="校验全过程记录的摘要链")
def verify_record(request, case_id: Id):
    broken = services.verify_record(case_id, access.request_actor(request))
    return {"ok": True} if broken is None else broken.as_dict()


# --- The case's documents (R16) -----------------------------------------------------------------------

class CaseDocumentOut(DocumentHeadOut):
    issued_on: dt.date
    issued_at: dt.datetime
    previous_id: int | None
    void_reason: str
    data_sha256: str = Field(..., description="文书数据的 SHA-256（签发时即确定，全过程记录中也有）")
    pdf_sha256: str = Field(..., description="PDF 的 SHA-256；延迟生成模式下首次下载前为空")
    docx_sha256: str
    rendered: bool
    files_label: str = Field(..., description="“已生成”或“生成中”（文件由后台生成；生成前下载会当场生成）")
    pdf_url: str
    preview_url: str
    docx_url: str


class CaseDocumentPage(Schema):
    items: list[CaseDocumentOut]
    count: int
    page: int
    page_size: int


def _document_out(case_id: int, doc) -> dict:
    from zhifa.documents import services as documents

    base = f"/api/v1/cases/{case_id}/documents/{doc.pk}"
    return {
        "id": doc.pk, "kind": doc.kind, "title": doc.title, "number": doc.number, "version": doc.version, "status": doc.status,
        "status_label": doc.get_status_display(), "body_id": doc.body_id, "body_name": doc.body.name, "issued_on": doc.issued_on,
        "issued_at": doc.issued_at, "previous_id": doc.previous_id, "void_reason": doc.void_reason,
        "data_sha256": documents.data_sha256(doc), "pdf_sha256": doc.pdf_sha256, "docx_sha256": doc.docx_sha256,
        **files_state(doc), "pdf_url": f"{base}.pdf", "preview_url": f"{base}.pdf?inline=true", "docx_url": f"{base}.docx",
    }


@router.get("/cases/{case_id}/documents", response={200: CaseDocumentPage, **ERRORS},
            summary="本案文书（每次签发、更正的版本，文号、状态、哈希和下载地址）")
def list_case_documents(request, case_id: Id, params: Query[PageQuery]):
    page = paginate(services.case_documents(case_id, access.request_actor(request)), params)
    page["items"] = [_document_out(case_id, d) for d in page["items"]]
    return page


def _case_document(request, case_id: int, document_id: int):
    doc = services.case_documents(case_id, access.request_actor(request)).filter(pk=document_id).first()
    if doc is None:
        from django.http import Http404

        raise Http404("本案没有该文书。")
    return doc


@router.get("/cases/{case_id}/documents/{int:document_id}.pdf", summary="下载本案文书 PDF（inline=true 在浏览器中预览）")
def case_document_pdf(request, case_id: Id, document_id: Id, inline: bool = False):
    from zhifa.documents.api import download

    return download(_case_document(request, case_id, document_id), "pdf", inline)


@router.get("/cases/{case_id}/documents/{int:document_id}.docx", summary="下载本案文书 Word 文件")
def case_document_docx(request, case_id: Id, document_id: Id):
    from zhifa.documents.api import download

    return download(_case_document(request, case_id, document_id), "docx", False)


class ReissueIn(inputs.Input):
    corrections: Annotated[CleanDict, Field(description="更正的文书数据项，如 {\"facts\": \"…\"}")]
    reason: Text = ""


@router.post("/cases/{case_id}/documents/{document_id}/reissue", response={201: CaseDocumentOut, **ERRORS},
             summary="更正重发：同一文号的新版本，旧版本保留（决定书送达后须自我纠正）")
def reissue_case_document(request, case_id: Id, document_id: Id, payload: Body[dict | None] = None):
    data = _validated(ReissueIn, payload)
    doc = services.reissue_case_document(case_id, document_id, corrections=data.corrections, reason=data.reason,
                                         actor=access.request_actor(request))
    return Status(201, _document_out(case_id, doc))


# --- Field work without network (现场取证离线, B9) ------------------------------------------------

class FieldSyncIn(Schema):
    client_id: str = Field(..., min_length=32, max_length=36, description="手机生成的编号（UUID）：同一编号重复提交只接收一次")
    kind: Literal["photo", "scene", "inquest"] = Field(..., description="现场照片、现场笔录或勘验笔录")
    captured_at: dt.datetime = Field(..., description="手机保存的时间（带时区）")
    position: offline.PositionIn | None = None
    place: CleanText = Field("", max_length=200, description="取证地点")
    photo: offline.OfflinePhotoIn | None = None
    onsite: offline.OnsiteIn | None = None


class FieldReceiptOut(Schema):
    client_id: str
    kind: str
    case_id: int
    evidence_id: int | None
    captured_at: dt.datetime
    received_at: dt.datetime
    duplicate: bool


@router.post("/cases/{case_id}/offline/sync", url_name="case_offline_sync", response={200: FieldReceiptOut, 201: FieldReceiptOut, **ERRORS},
             summary="提交手机离线保存的案件现场照片、现场笔录或勘验笔录（按客户端编号幂等）",
             description="每次一项。client_id 为手机生成的 UUID：已收到的编号再次提交返回 200 和原回执，不重复写入；新收到的返回 201，"
                         "作为本案证据登记，captured_at（手机保存时间）与 received_at（服务器收到时间）都写入案件全过程记录。"
                         "已不是本案承办人员、调查已终结、执法证在采集日不在有效期内 → 409，手机保留该记录；内容不完整 → 422。")
def field_sync(request, case_id: Id, payload: FieldSyncIn):
    actor = access.request_actor(request)
    client_id = offline.client_uuid(payload.client_id, payload.captured_at)
    part = "photo" if payload.kind == "photo" else "onsite"
    given = payload.photo if part == "photo" else payload.onsite
    if given is None:
        raise ValidationError([{"loc": ("body", "payload", part), "msg": "缺少本次提交的内容", "type": "missing"}])
    capture = services.FieldCaptureIn(client_id=client_id, kind=payload.kind, case_id=case_id, captured_at=payload.captured_at,
                                      position=payload.position.position() if payload.position else None, place=payload.place)
    if part == "photo":
        capture.photo, capture.caption = offline.decoded(payload.photo.data, part), payload.photo.caption
    else:
        capture.text, capture.party_name = payload.onsite.text, payload.onsite.party_name
        capture.signature = offline.decoded(payload.onsite.signature, part) if payload.onsite.signature else b""
    try:
        receipt, duplicate = services.sync_field_capture(capture=capture, actor=actor)
    except Refused as exc:
        raise offline.input_refusal(exc.violations, part) or exc from None
    return Status(200 if duplicate else 201, {
        "client_id": str(receipt.client_id), "kind": receipt.kind, "case_id": receipt.case_id, "evidence_id": receipt.evidence_id,
        "captured_at": receipt.captured_at.astimezone(clock.SHANGHAI), "received_at": receipt.received_at.astimezone(clock.SHANGHAI),
        "duplicate": duplicate})
