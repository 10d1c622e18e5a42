"""The records audit API (全过程记录查阅): the supervision office and the administrator read the
record streams in their scope (``selectors``); staff and the public are refused (403)."""
from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

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


# --- Evaluation (案卷评查, R31) -------------------------------------------------------------------

from decimal import Decimal  # noqa: E402

from zhifa.core import clock  # noqa: E402

from . import inputs  # noqa: E402
from .rules import notices as notice_rules  # noqa: E402
from .rules import scoring  # noqa: E402


class SheetOut(Schema):
    id: int
    code: str
    version: int
    name: str
    status: str
    published_on: Optional[dt.date]
    content: dict


class PlanOut(Schema):
    id: int
    name: str
    sheet_id: int
    period_start: dt.date
    period_end: dt.date
    body_ids: list[int]
    files_per_body: int
    excellent: Decimal
    passing: Decimal
    created_on: dt.date
    double_blind: bool = False
    results_published_on: Optional[dt.date] = None


class PlanResultOut(Schema):
    body_id: int
    body: str
    files: int
    average: float
    excellent: int
    passed: int = Field(..., description="合格")
    fail: int


class SampleOut(Schema):
    id: int
    plan_id: int
    state: str
    pool: str = Field(..., description="冻结名单（公开，任何人可据以复核）")
    pool_sha256: str
    commitment: str = Field(..., description="秘密值的承诺 SHA-256(secret)")
    secret: str = Field(..., description="秘密值（抽取后公开）")
    witness: str
    seed: str
    drawn: list[dict]


class EvaluationOut(Schema):
    id: int
    case_id: Optional[int] = Field(..., description="双盲评查中评查人看不到（为空）")
    case_number: str = Field(..., description="双盲评查中评查人只看到案卷代码")
    body: str
    case_file_version: int
    double_blind: bool = Field(False, description="本视图是否按双盲评查隐去了被评查主体或评查人")
    binding_sha256: str
    sheet_id: int
    sheet_version: int
    plan_id: Optional[int]
    kind: str
    evaluator: str
    state: str
    prechecks: dict = Field(..., description="自动预检：每项的建议值与理由")
    vetoes: dict
    items: dict = Field(..., description="每项：扣分、得分、扣分理由、不同于预检的理由")
    score: Optional[Decimal]
    grade: str = Field(..., description="excellent / pass / fail（优秀 / 合格 / 不合格），提交前为空")
    grade_label: str
    comments: str
    created_on: dt.date
    submitted_on: Optional[dt.date]


class EvaluationPage(Schema):
    items: list[EvaluationOut]
    count: int
    page: int
    page_size: int


class EvaluationFilters(PageQuery):
    plan: Optional[int] = Field(None, ge=1, le=2**63 - 1)
    body: Optional[int] = Field(None, ge=1, le=2**63 - 1)
    state: Optional[Literal["assigned", "submitted"]] = None
    mine: bool = Field(False, description="只看指派给我的")


class NoticeStepOut(Schema):
    action: str
    on: dt.date
    actor_name: str
    text: str
    evidence: list[dict]


class NoticeOut(Schema):
    id: int
    kind: str
    title: str
    number: str
    body_id: int
    body: str
    source: str
    evaluation_id: Optional[int]
    case_id: Optional[int]
    findings: str
    basis: str
    rectify: str
    issued_on: dt.date
    due: dt.date
    state: str
    state_label: str
    overdue: bool
    closed_on: Optional[dt.date]
    served_on: Optional[dt.date] = None
    reminded_on: Optional[dt.date] = Field(None, description="逾期催办日期")
    escalated_on: Optional[dt.date] = Field(None, description="逾期报请处理日期")
    escalated_to: str = Field("", description="报请对象：本级人民政府、上级行政执法监督机构")
    document: dict = Field(default_factory=dict, description="文书：pdf、docx 下载地址与 SHA-256（首次下载时生成）")
    steps: list[NoticeStepOut] = []


class NoticePage(Schema):
    items: list[NoticeOut]
    count: int
    page: int
    page_size: int


class NoticeFilters(PageQuery):
    state: Optional[Literal["issued", "responded", "returned", "closed"]] = None
    body: Optional[int] = Field(None, ge=1, le=2**63 - 1)


def _sheet_out(sheet) -> dict:
    return {"id": sheet.pk, "code": sheet.code, "version": sheet.version, "name": sheet.name, "status": sheet.status,
            "published_on": sheet.published_on, "content": sheet.content}


def _plan_out(plan) -> dict:
    return {"id": plan.pk, "name": plan.name, "sheet_id": plan.sheet_id, "period_start": plan.period_start,
            "period_end": plan.period_end, "body_ids": sorted(b.pk for b in plan.bodies.all()), "files_per_body": plan.files_per_body,
            "excellent": plan.excellent, "passing": plan.passing, "created_on": plan.created_on, "double_blind": plan.double_blind,
            "results_published_on": plan.results_published_on}


def _sample_out(sample) -> dict:
    drawn = sample.state == "drawn"
    return {"id": sample.pk, "plan_id": sample.plan_id, "state": sample.state, "pool": sample.pool, "pool_sha256": sample.pool_sha256,
            "commitment": sample.commitment, "secret": sample.secret if drawn else "", "witness": sample.witness, "seed": sample.seed,
            "drawn": sample.drawn}


def _evaluation_out(ev, actor) -> dict:
    cf, shown = ev.case_file, selectors.blind_view(actor, ev)  # double-blind plans mask the body or the evaluator
    return {"id": ev.pk, "case_id": shown["case_id"], "case_number": shown["case_number"], "body": shown["body"],
            "case_file_version": cf.version, "double_blind": shown["hide_identity"] or shown["hide_evaluator"],
            "binding_sha256": cf.binding_sha256, "sheet_id": ev.sheet_id, "sheet_version": ev.sheet.version, "plan_id": ev.plan_id,
            "kind": ev.kind, "evaluator": shown["evaluator"], "state": ev.state, "prechecks": shown["prechecks"], "vetoes": ev.vetoes,
            "items": ev.items, "score": ev.score, "grade": ev.grade, "grade_label": scoring.GRADE_LABELS.get(ev.grade, ""),
            "comments": ev.comments, "created_on": ev.created_on, "submitted_on": ev.submitted_on}


def _notice_out(n, steps: bool = False) -> dict:
    out = {"id": n.pk, "kind": n.kind, "title": n.title, "number": n.number, "body_id": n.body_id, "body": n.body.name,
           "source": n.source, "evaluation_id": n.evaluation_id, "case_id": n.case_id, "findings": n.findings, "basis": n.basis,
           "rectify": n.rectify, "issued_on": n.issued_on, "due": n.due, "state": n.state,
           "state_label": notice_rules.STATE_LABELS.get(n.state, n.state), "overdue": notice_rules.is_overdue(n.state, n.due, clock.today()),
           "closed_on": n.closed_on, "served_on": n.served_on, "reminded_on": n.reminded_on, "escalated_on": n.escalated_on,
           "escalated_to": n.escalated_to,
           "document": {"pdf": f"/api/v1/supervision/notices/{n.pk}/document?format=pdf", "pdf_sha256": n.pdf_sha256,
                        "docx": f"/api/v1/supervision/notices/{n.pk}/document?format=docx", "docx_sha256": n.docx_sha256}}
    if steps:
        out["steps"] = [{"action": s.action, "on": s.on, "actor_name": s.actor_name, "text": s.text, "evidence": s.evidence}
                        for s in n.steps.all()]
    return out


@router.get("/supervision/sheets", auth=STAFF_AUTH, response={200: list[SheetOut], **ERRORS}, summary="案卷评查表的各版本")
def list_sheets(request):
    from .models import EvaluationSheet

    access.request_actor(request)
    return [_sheet_out(s) for s in EvaluationSheet.objects.order_by("code", "-version")[:200]]


@router.post("/supervision/plans", auth=STAFF_AUTH, response={201: PlanOut, **ACT_ERRORS}, summary="制定案卷评查计划（执法监督机构）")
def create_plan(request, data: inputs.PlanIn):
    return Status(201, _plan_out(services.create_plan(data, actor=access.request_actor(request))))


@router.get("/supervision/plans/{plan_id}/results", auth=STAFF_AUTH, response={200: list[PlanResultOut], **ERRORS},
            summary="评查计划的结果：各主体评查案卷数、平均分、各等次数量（format=xlsx 导出 Excel）")
def plan_results(request, plan_id: Id, format: Literal["json", "xlsx"] = "json"):
    plan = services.plan_in_scope(plan_id, access.request_actor(request))
    rows = selectors.plan_results(plan)
    if format == "xlsx":
        from django.http import HttpResponse

        response = HttpResponse(results_xlsx(plan.name, rows),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f"attachment; filename=evaluation-plan-{plan.pk}.xlsx"
        return response
    return rows


def results_xlsx(title: str, rows: list[dict]) -> bytes:
    """The results per body as an Excel workbook (openpyxl), for the annual assessment."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "评查结果"
    sheet.append([title])
    sheet.append(["执法主体", "评查案卷数", "平均分", "优秀", "合格", "不合格"])
    for r in rows:
        sheet.append([r["body"], r["files"], r["average"], r["excellent"], r["passed"], r["fail"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@router.post("/supervision/samples", auth=STAFF_AUTH, response={201: SampleOut, **ACT_ERRORS},
             summary="冻结评查计划的案卷名单并承诺秘密值（随机抽取第一步）")
def commit_sample(request, data: inputs.SampleIn):
    return Status(201, _sample_out(services.commit_sample(data.plan_id, actor=access.request_actor(request))))


@router.post("/supervision/samples/{sample_id}/draw", auth=STAFF_AUTH, response={200: SampleOut, **ACT_ERRORS},
             summary="输入见证值抽取案卷，公开秘密值与种子（可复核）")
def draw_sample(request, sample_id: Id, data: inputs.DrawIn):
    return _sample_out(services.draw_sample(sample_id, witness=data.witness, actor=access.request_actor(request)))


@router.get("/supervision/evaluations", auth=STAFF_AUTH, response={200: EvaluationPage, **ERRORS}, summary="案卷评查列表")
def list_evaluations(request, filters: Query[EvaluationFilters]):
    actor = access.request_actor(request)
    qs = selectors.evaluations(actor, plan_id=filters.plan, body_id=filters.body, state=filters.state or "", mine=filters.mine)
    return page_of(qs, filters, lambda ev: _evaluation_out(ev, actor))


@router.post("/supervision/evaluations", auth=STAFF_AUTH, response={201: EvaluationOut, **ACT_ERRORS},
             summary="指派评查（执法监督机构指定评查人；主体负责人组织自评），自动预检")
def create_evaluation(request, data: inputs.EvaluationIn):
    actor = access.request_actor(request)
    ev = services.assign_evaluation(data, actor=actor)
    return Status(201, _evaluation_out(selectors.get_evaluation(actor, ev.pk), actor))


@router.get("/supervision/evaluations/{evaluation_id}", auth=STAFF_AUTH, response={200: EvaluationOut, **ERRORS}, summary="一项评查")
def get_evaluation(request, evaluation_id: Id):
    actor = access.request_actor(request)
    return _evaluation_out(selectors.get_evaluation(actor, evaluation_id), actor)


@router.post("/supervision/evaluations/{evaluation_id}/submit", auth=STAFF_AUTH, response={200: EvaluationOut, **ACT_ERRORS},
             summary="评查人提交评查结果：否决项、各项扣分与理由、总体评价；得分与等次")
def submit_evaluation(request, evaluation_id: Id, data: inputs.MarksIn):
    actor = access.request_actor(request)
    services.submit_evaluation(evaluation_id, data, actor=actor)
    return _evaluation_out(selectors.get_evaluation(actor, evaluation_id), actor)


@router.get("/supervision/notices", auth=STAFF_AUTH, response={200: NoticePage, **ERRORS}, summary="监督通知书列表")
def list_notices(request, filters: Query[NoticeFilters]):
    qs = selectors.notices(access.request_actor(request), state=filters.state or "", body_id=filters.body)
    return page_of(qs, filters, _notice_out)


@router.post("/supervision/notices", auth=STAFF_AUTH, response={201: NoticeOut, **ACT_ERRORS},
             summary="下发行政执法监督通知书（意见书、案卷评查单）")
def issue_notice(request, data: inputs.NoticeIn):
    actor = access.request_actor(request)
    notice = services.issue_notice(data, actor=actor)
    return Status(201, _notice_out(selectors.get_notice(actor, notice.pk), steps=True))


@router.get("/supervision/notices/{notice_id}", auth=STAFF_AUTH, response={200: NoticeOut, **ERRORS}, summary="一份监督通知书及其办理环节")
def get_notice(request, notice_id: Id):
    return _notice_out(selectors.get_notice(access.request_actor(request), notice_id), steps=True)


@router.post("/supervision/notices/{notice_id}/actions/{action}", auth=STAFF_AUTH, response={200: NoticeOut, **ACT_ERRORS},
             summary="整改闭环：respond（主体反馈整改情况及证明材料）、accept（验收办结）、send_back（退回整改）")
def notice_action(request, notice_id: Id, action: Literal["respond", "accept", "send_back"], data: inputs.NoticeActionIn):
    actor = access.request_actor(request)
    services.act_on_notice(notice_id, action, data, actor=actor)
    return _notice_out(selectors.get_notice(actor, notice_id), steps=True)


# --- Accountability (问责、免责、容错纠错, R39) -------------------------------------------------------

class AccountabilityOut(Schema):
    id: int
    body_id: int
    body: str
    source: str
    evaluation_id: Optional[int]
    notice_id: Optional[int]
    source_ref: str
    person_ids: list[int]
    finding: str
    state: str = Field(..., description="open / exemption_proposed / corrected / exempted / accountable")
    ground: str
    outcome_text: str
    opened_on: dt.date
    decided_on: Optional[dt.date]


class AccountabilityPage(Schema):
    items: list[AccountabilityOut]
    count: int
    page: int
    page_size: int


def _record_out(r) -> dict:
    return {"id": r.pk, "body_id": r.body_id, "body": r.body.name, "source": r.source, "evaluation_id": r.evaluation_id,
            "notice_id": r.notice_id, "source_ref": r.source_ref, "person_ids": sorted(p.pk for p in r.persons.all()),
            "finding": r.finding, "state": r.state, "ground": r.ground, "outcome_text": r.outcome_text, "opened_on": r.opened_on,
            "decided_on": r.decided_on}


@router.get("/supervision/accountability", auth=STAFF_AUTH, response={200: AccountabilityPage, **ERRORS},
            summary="问责与免责（容错）记录（执法监督机构：所辖范围）")
def list_accountability(request, params: Query[PageQuery]):
    qs = services.records_in_scope(access.request_actor(request)).prefetch_related("persons").order_by("-opened_on", "-id")
    return page_of(qs, params, _record_out)


@router.get("/supervision/accountability/report", auth=STAFF_AUTH, response={200: dict, **ERRORS},
            summary="已纠正、已免责（容错）、已问责及办理中的数量")
def accountability_report(request):
    return services.report(access.request_actor(request))


@router.post("/supervision/accountability", auth=STAFF_AUTH, response={201: AccountabilityOut, **ACT_ERRORS}, summary="登记问责事项")
def open_accountability(request, data: inputs.AccountabilityIn):
    return Status(201, _record_out(services.open_record(data, actor=access.request_actor(request))))


@router.post("/supervision/accountability/{record_id}/actions/{action}", auth=STAFF_AUTH, response={200: AccountabilityOut, **ACT_ERRORS},
             summary="propose_exemption / approve_exemption / reject_exemption / record_correction / hold_accountable")
def accountability_action(request, record_id: Id,
                          action: Literal["propose_exemption", "approve_exemption", "reject_exemption", "record_correction", "hold_accountable"],
                          data: inputs.AccountabilityActionIn):
    return _record_out(services.act_on_record(record_id, action, data, actor=access.request_actor(request)))


# --- Annual assessment (R36) and officer workload (R38): assessment_api ------------------------------
from .assessment_api import router as assessment_router  # noqa: E402

router.add_router("/supervision", assessment_router)
from . import api_alerts  # noqa: E402,F401  (alerts, R33: routes on this router)
from . import api_sheets  # noqa: E402,F401  (sheet import and publication: routes on this router)
from . import api_evaluations  # noqa: E402,F401  (double-blind evaluation: routes on this router)
from . import api_notices  # noqa: E402,F401  (a notice as a document: routes on this router)
