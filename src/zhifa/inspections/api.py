"""Double random, one public API under ``/api/v1/inspections/…`` (R26–R30). Thin: parse, call
``services`` or ``selectors``, shape (the schemas are in ``schemas.py``).

Public (社会公众): draws (commitment before, seed and result after), their frozen list, their
verification, and published results. Staff: the item list, the entity and inspector databases,
conflict declarations, plans, tasks, draws, results entry and site photos (现场照片: upload,
list, download — never a public media URL), each scoped through ``registry.access``.
"""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from ninja import File, Form, Path, Query, Router, Status
from ninja.errors import ValidationError
from ninja.files import UploadedFile

from zhifa.core import clock, offline
from zhifa.core.api_auth import OPTIONAL_AUTH
from zhifa.core.pagination import (
    CleanText,
    ErrorOut,
    Id,
    PageQuery,
    SearchText,
    ValidationErrorOut,
    paginate,
)
from zhifa.core.violations import Refused
from zhifa.registry import access
from zhifa.registry.models import Body, Officer

from . import permissions, public, rules, selectors, services
from .models import Draw, Entity, Inspection, InspectionPhoto, Task
from .schemas import (  # noqa: F401 — every schema stays importable from ``inspections.api``
    AnswerIn,
    CheckOut,
    ConflictEndIn,
    ConflictIn,
    ConflictOut,
    ConflictPage,
    DrawFilters,
    DrawIn,
    DrawnOut,
    DrawnPage,
    DrawOut,
    DrawPage,
    EntityFilters,
    EntityOut,
    EntityPage,
    ExclusionOut,
    ExclusionPage,
    InspectionItemFilters,
    InspectionItemOut,
    InspectionItemPage,
    InspectorFilters,
    InspectorOut,
    InspectorPage,
    JointOut,
    MineFilters,
    MineOut,
    MinePage,
    OpenCaseIn,
    OpenCaseOut,
    PhotoOut,
    PlanDetailOut,
    PlanFilters,
    PlanIn,
    PlanOut,
    PlanPage,
    PublishOut,
    ResultIn,
    RevealIn,
    TaskIn,
    TaskOut,
    VerifyOut,
)
from .schemas import OfflineReceiptOut, OfflineSyncIn

router = Router(tags=["双随机、一公开"])

BAD = {404: ErrorOut, 409: dict, 422: ValidationErrorOut, 403: ErrorOut}


def _staff(request) -> access.Actor:
    actor = access.request_actor(request)
    if actor.is_public:
        raise PermissionDenied("仅执法人员、执法监督机构和系统管理员可以访问。")
    return actor


def _inspector_staff(request) -> access.Actor:
    actor = _staff(request)
    if not permissions.may_use_inspector_pages(actor):
        raise PermissionDenied("执法辅助人员不参加抽取，不能查看执法检查人员名录库和利益冲突申报。")
    return actor


# --- Item list and databases (R26) --------------------------------------------------------------

@router.get("/inspections/items", response={200: InspectionItemPage, **BAD}, summary="抽查事项清单（R26）")
def list_items(request, filters: Query[InspectionItemFilters]):
    _staff(request)
    return paginate(selectors.items(q=filters.q, body=filters.body), filters)


@router.get("/inspections/entities", response={200: EntityPage, **BAD}, summary="检查对象名录库（R26）",
            description="按名称或统一社会信用代码（q）、行业、乡镇、风险等级、标签筛选。")
def list_entities(request, filters: Query[EntityFilters]):
    _staff(request)
    return paginate(selectors.entities(q=filters.q, industry=filters.industry, township=filters.township, risk=filters.risk,
                                       tag=filters.tag), filters)


@router.get("/inspections/entities/{entity_id}", response={200: EntityOut, **BAD}, summary="检查对象详情")
def get_entity(request, entity_id: Path[Id]):
    _staff(request)
    entity = Entity.objects.filter(pk=entity_id).first()
    if entity is None:
        raise Http404
    return entity


@router.get("/inspections/inspectors", response={200: InspectorPage, **BAD}, summary="执法检查人员名录库（R26）",
            description="持有效执法证、可参加抽取的执法人员（本主体；监督机构与管理员可指定 body），按编号分页。")
def list_inspectors(request, filters: Query[InspectorFilters]):
    actor = _inspector_staff(request)
    body_id = filters.body or actor.body_id
    if body_id is None or not access.can_see_private(actor, body_id):
        raise Http404
    pool = selectors.inspector_pool_ids([body_id], clock.today())
    officers = Officer.objects.filter(pk__in=pool).select_related("inspector_profile").order_by("id")
    envelope = paginate(officers, filters)
    envelope["items"] = [{"id": o.pk, "name": o.name, "body_id": o.body_id,
                          "expertise": getattr(getattr(o, "inspector_profile", None), "expertise", "") or ""} for o in envelope["items"]]
    return envelope


@router.post("/inspections/conflicts", response={201: ConflictOut, **BAD}, summary="申报利益冲突（回避）")
def declare_conflict(request, payload: ConflictIn):
    actor = _inspector_staff(request)
    return Status(201, services.declare_conflict(actor=actor, **payload.dict()))


@router.get("/inspections/conflicts", response={200: ConflictPage, **BAD}, summary="利益冲突申报（本人或本主体）")
def list_conflicts(request, page: Query[PageQuery]):
    actor = _inspector_staff(request)
    return paginate(selectors.conflicts(actor).order_by("-declared_on", "id"), page)


@router.post("/inspections/conflicts/{declaration_id}/end", response={200: ConflictOut, **BAD}, summary="结束利益冲突申报（不得早于今天）")
def end_conflict(request, declaration_id: Path[Id], payload: ConflictEndIn):
    return services.end_conflict(declaration_id=declaration_id, ends_on=payload.ends_on, actor=_inspector_staff(request))


# --- Plans and tasks (R27, R29) --------------------------------------------------------------------

@router.get("/inspections/plans", response={200: PlanPage, **BAD}, summary="抽查计划")
def list_plans(request, filters: Query[PlanFilters]):
    qs = selectors.plans(_staff(request), year=filters.year, body=filters.body)
    return paginate(qs.order_by("-year", "body_id", "id"), filters)


@router.post("/inspections/plans", response={201: PlanOut, **BAD}, summary="编制年度抽查计划")
def create_plan(request, payload: PlanIn):
    return Status(201, services.create_plan(actor=_staff(request), **payload.dict()))


def _task_qs():
    return Task.objects.prefetch_related("items", "partners").select_related("draw")


def _joint_quota_out(quota: rules.JointQuota) -> dict:
    """The body's joint-inspection quota of the plan's year (R29), as the plan's statistics show it:
    the floor (percent, cited), tasks, joint tasks, required, shortfall, and the required joint tasks
    per quarter (largest remainder)."""
    return {
        "floor_percent": str(quota.floor_percent), "basis": quota.basis, "total": quota.total, "joint": quota.joint,
        "required": quota.required, "shortfall": quota.shortfall, "meets": quota.meets,
        "quarters": [{"quarter": q.quarter + 1, "label": q.label, "tasks": q.tasks, "joint": q.joint, "required": q.required,
                      "shortfall": q.shortfall} for q in quota.quarters],
    }


@router.get("/inspections/plans/{plan_id}", response={200: PlanDetailOut, **BAD}, summary="抽查计划详情与统计（覆盖率、问题发现率、联合抽查占比）")
def get_plan(request, plan_id: Path[Id]):
    plan = selectors.visible_plans(_staff(request)).filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    stats = selectors.plan_statistics(plan)
    joint = stats.pop("joint")
    stats["joint"] = {"total": joint.total, "joint": joint.joint, "share": str(joint.share), "meets_floor": joint.meets_floor}
    stats["joint_quota"] = _joint_quota_out(stats.pop("joint_quota"))
    stats = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in stats.items()}
    plan.task_list = list(_task_qs().filter(plan=plan).order_by("starts_on", "id"))
    plan.statistics = stats
    return plan


@router.post("/inspections/plans/{plan_id}/tasks", response={201: TaskOut, **BAD}, summary="新增抽查任务（范围、比例或户数、频次、联合部门）")
def create_task(request, plan_id: Path[Id], payload: TaskIn):
    data = services.TaskInput(**payload.dict())
    task = services.create_task(plan_id=plan_id, data=data, actor=_staff(request))
    return Status(201, _task_qs().get(pk=task.pk))


@router.get("/inspections/tasks/{task_id}", response={200: TaskOut, **BAD}, summary="抽查任务详情")
def get_task(request, task_id: Path[Id]):
    task = selectors.visible_tasks(_staff(request)).filter(pk=task_id).prefetch_related("items", "partners").first()
    if task is None:
        raise Http404
    return task


@router.get("/inspections/joint-shares", response={200: dict, **BAD}, summary="各主体联合抽查任务占比（不低于10%，R29）")
def joint_shares(request, year: int = Query(..., ge=2000, le=2100)):
    actor = _staff(request)
    bodies = dict(access.scope_bodies(actor, Body.objects.all()).values_list("pk", "name"))
    shares = selectors.joint_shares(year, bodies.keys())
    return {"year": year, "floor": "0.10", "bodies": [
        {"body_id": b, "body_name": bodies[b], "total": s.total, "joint": s.joint, "share": str(s.share), "meets_floor": s.meets_floor}
        for b, s in sorted(shares.items()) if s.total
    ]}


# --- Draws (R28) ------------------------------------------------------------------------------

def _insiders(request, draws: list[Draw]) -> set[int]:
    """Tasks among ``draws``' whose staff may see everything at once (``services.insider_task_ids``:
    never auxiliary staff): one query for a whole page of draws."""
    return services.insider_task_ids(access.request_actor(request), [d.task_id for d in draws])


def _draw_out(draw: Draw, insiders: set[int]) -> dict:
    """A surprise inspection's seed is withheld from outsiders until the task ends (``public.disclosed``)."""
    withhold = draw.is_drawn and draw.task_id not in insiders and not public.disclosed(draw)
    return public.draw_view(draw, withhold=withhold)


def _one_draw_out(request, draw_id: int) -> dict:
    draw = _draw(draw_id)
    return _draw_out(draw, _insiders(request, [draw]))


@router.post("/inspections/tasks/{task_id}/draw", response={201: DrawOut, **BAD}, summary="冻结名单并公布种子承诺（抽取第一步）")
def commit_draw(request, task_id: Path[Id], payload: DrawIn):
    draw = services.commit_draw(task_id=task_id, scheduled_at=payload.scheduled_at, actor=_staff(request))
    return Status(201, _one_draw_out(request, draw.pk))


@router.post("/inspections/draws/{draw_id}/reveal", response={200: DrawOut, **BAD}, summary="输入见证值、抽取并公开种子（抽取第二步）")
def reveal_draw(request, draw_id: Path[Id], payload: RevealIn):
    draw = services.reveal_draw(draw_id=draw_id, witness=payload.witness, witness_name=payload.witness_name, actor=_staff(request))
    return _one_draw_out(request, draw.pk)


@router.get("/inspections/draws", auth=OPTIONAL_AUTH, response={200: DrawPage, **BAD}, summary="抽取记录（公开）")
def list_draws(request, filters: Query[DrawFilters]):
    if access.request_actor(request).is_public:
        return public.draws(filters, status=filters.status or "")
    qs = Draw.objects.select_related("task")
    if filters.status:
        qs = qs.filter(status=filters.status)
    page = paginate(qs.order_by("-committed_at", "-id"), filters)
    insiders = _insiders(request, page["items"])
    page["items"] = [_draw_out(d, insiders) for d in page["items"]]
    return page


def _draw(draw_id: int) -> Draw:
    draw = Draw.objects.select_related("task").filter(pk=draw_id).first()
    if draw is None:
        raise Http404
    return draw


@router.get("/inspections/draws/{draw_id}", auth=OPTIONAL_AUTH, response={200: DrawOut, **BAD}, summary="抽取详情（公开）")
def get_draw(request, draw_id: Path[Id]):
    if access.request_actor(request).is_public:
        return public.draw_for_public(_draw(draw_id))
    return _one_draw_out(request, draw_id)


@router.get("/inspections/draws/{draw_id}/frozen.txt", auth=OPTIONAL_AUTH, response={200: str, **BAD}, summary="冻结名单全文（公开，可独立复核）")
def draw_document(request, draw_id: Path[Id]):
    response = HttpResponse(_draw(draw_id).document_text(), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="draw-{draw_id}-frozen.txt"'
    return response


@router.get("/inspections/draws/{draw_id}/verify", auth=OPTIONAL_AUTH, response={200: VerifyOut, **BAD}, summary="用公开数据重算并核对抽取结果（公开）")
def verify_draw(request, draw_id: Path[Id]):
    return services.verify_draw(_draw(draw_id)).as_dict()


def _drawn(qs, *, insider: bool = True) -> list[dict]:
    """Drawn inspections; for outsiders a result shows only once published (公示)."""
    rows = services.attach_inspectors(qs.select_related("entity"))
    return [{"id": i.pk, "rank": i.rank, "credit_code": i.entity.credit_code, "entity_name": i.entity.name,
             "inspectors": [o.name for o in i.inspectors],
             "outcome": i.outcome if insider or i.published_on else "",
             "inspected_on": i.inspected_on if insider or i.published_on else None, "published_on": i.published_on} for i in rows]


@router.get("/inspections/draws/{draw_id}/result", auth=OPTIONAL_AUTH, response={200: DrawnPage, **BAD}, summary="抽取结果：检查对象与检查人员（公开）")
def draw_result(request, draw_id: Path[Id], page: Query[PageQuery]):
    draw = _draw(draw_id)
    insider = draw.task_id in _insiders(request, [draw])
    if not insider and not public.disclosed(draw):
        if draw.is_drawn:
            raise PermissionDenied(f"飞行检查的抽取结果在任务期间结束后（{draw.task.ends_on:%Y-%m-%d} 以后）公开。")
        raise PermissionDenied("尚未抽取。")
    if not insider:  # outsiders read the redacted public result
        return public.draw_result(draw.pk, page)
    qs = Inspection.objects.filter(draw=draw).order_by("rank")
    envelope = paginate(qs, page)
    envelope["items"] = _drawn(Inspection.objects.filter(pk__in=[i.pk for i in envelope["items"]]).order_by("rank"), insider=insider)
    return envelope


@router.get("/inspections/draws/{draw_id}/exclusions", auth=OPTIONAL_AUTH, response={200: ExclusionPage, **BAD}, summary="因检查频次被排除的对象及原因（公开）")
def draw_exclusions(request, draw_id: Path[Id], page: Query[PageQuery]):
    draw = _draw(draw_id)
    envelope = paginate(draw.exclusions.select_related("entity").order_by("id"), page)
    if access.request_actor(request).is_public:  # the public reads the names redacted
        envelope["items"] = public.exclusion_rows(envelope["items"])
        return envelope
    envelope["items"] = [{"credit_code": e.entity.credit_code, "entity_name": e.entity.name, "reason_code": e.reason_code,
                          "reason": e.reason} for e in envelope["items"]]
    return envelope


# --- Results (R28, R30) -------------------------------------------------------------------------

@router.post("/inspections/inspections/{inspection_id}/result", response={200: DrawnOut, **BAD}, summary="录入检查结果（仅限抽取选派的检查人员）")
def record_result(request, inspection_id: Path[Id], payload: ResultIn):
    data = payload.dict()
    data["answers"] = [dict(a) for a in data["answers"]]
    try:
        services.record_result(inspection_id=inspection_id, data=services.ResultInput(**data), actor=_staff(request))
    except services.ResultIncomplete as exc:  # a point unanswered, a finding undescribed: malformed input (422)
        raise ValidationError([{"loc": ("body", "payload", *p.field.split(".")), "msg": p.message, "type": "result_incomplete"}
                               for p in exc.problems]) from None
    return _drawn(Inspection.objects.filter(pk=inspection_id))[0]


@router.post("/inspections/inspections/{inspection_id}/open-case", response={201: OpenCaseOut, **BAD},
             summary="据检查发现登记案源（检查对象为当事人，R30；仅选派的检查人员或主体负责人）")
def open_case(request, inspection_id: Path[Id], payload: OpenCaseIn):
    case = services.open_case_from_inspection(inspection_id, item_code=payload.item_code, act_date=payload.act_date,
                                              facts=payload.facts, actor=_staff(request))
    return Status(201, {"inspection": inspection_id, "case_id": case.pk, "case_number": case.number})


@router.post("/inspections/tasks/{task_id}/publish", response={200: PublishOut, **BAD}, summary="公示任务的检查结果")
def publish(request, task_id: Path[Id]):
    return {"published": services.publish_results(task_id=task_id, actor=_staff(request))}


@router.get("/inspections/results", auth=OPTIONAL_AUTH, response={200: DrawnPage, **BAD}, summary="已公示的抽查结果（公开）")
def published_results(request, page: Query[PageQuery], q: SearchText | None = None):
    if access.request_actor(request).is_public:  # the public reads the results redacted (public.py)
        return public.published_results(page, q=q or "")
    qs = Inspection.objects.filter(published_on__isnull=False)
    if q and q.strip():
        text = q.strip()
        qs = qs.filter(Q(entity__name__icontains=text) | Q(entity__credit_code=text.upper()))
    envelope = paginate(qs.order_by("-published_on", "-id"), page)
    envelope["items"] = _drawn(Inspection.objects.filter(pk__in=[i.pk for i in envelope["items"]]).order_by("-published_on", "-id"))
    return envelope


# --- 我的检查 (R28) ---------------------------------------------------------------------------------

@router.get("/inspections/mine", response={200: MinePage, **BAD},
            summary="我的检查：抽取选派给当前执法人员的检查，待录入的在前（R28；非执法人员为空列表）")
def my_inspections(request, filters: Query[MineFilters]):
    envelope = paginate(selectors.my_inspections(_staff(request), filters.status), filters)
    envelope["items"] = [
        {"id": i.pk, "rank": i.rank, "draw_id": i.draw_id, "task_id": i.task_id, "task_title": i.task.title,
         "task_ends_on": i.task.ends_on, "credit_code": i.entity.credit_code, "entity_name": i.entity.name,
         "inspectors": [o.name for o in i.inspectors], "outcome": i.outcome, "inspected_on": i.inspected_on,
         "published_on": i.published_on}
        for i in selectors.attach_inspectors(envelope["items"])
    ]
    return envelope


# --- Site photos (现场照片) -------------------------------------------------------------------------

def _photo_out(photo: InspectionPhoto) -> dict:
    url = reverse("api:download_photo", kwargs={"photo_id": photo.pk})
    return {"id": photo.pk, "inspection_id": photo.inspection_id, "sha256": photo.sha256, "size": photo.size,
            "content_type": photo.content_type, "caption": photo.caption,
            "uploaded_by": photo.uploaded_by.name if photo.uploaded_by else None, "uploaded_at": photo.uploaded_at,
            "url": url, "thumbnail_url": f"{url}?thumbnail=true" if photo.thumbnail else None}


def _visible_inspection(actor: access.Actor, inspection_id: int) -> Inspection:
    inspection = Inspection.objects.select_related("task").filter(pk=inspection_id).first()
    if inspection is None or not permissions.may_see_photos(actor, inspection):
        raise Http404
    return inspection


@router.post("/inspections/inspections/{inspection_id}/photos", response={201: list[PhotoOut], **BAD},
             summary="上传现场照片（仅抽取选派的检查人员，结果公示前）",
             description="multipart/form-data：files（一张或多张）、caption（可选，不超过 100 字）。只接受 JPEG、PNG、WebP、HEIC"
                         "（按文件头识别），每张不超过 15 MB（ZHIFA[\"INSPECTION_PHOTO_MAX_BYTES\"]），每次检查最多 30 张。"
                         "文件不是图片、过大、为空、损坏或重复 → 422；非选派人员、结果已公示、张数超限 → 409；"
                         "被拒绝时不保存任何文件。每张照片的 SHA-256 记入抽取全过程记录。")
def upload_photos(request, inspection_id: Path[Id], files: File[list[UploadedFile]],
                  caption: CleanText = Form("", max_length=100, description="照片说明（可选）")):
    actor = _staff(request)
    try:
        photos = services.add_photos(inspection_id=inspection_id, uploads=files, caption=caption, actor=actor)
    except Refused as exc:
        if all(v.code in services.PHOTO_INPUT_CODES for v in exc.violations):
            raise ValidationError([{"loc": ("file", "files"), "type": v.code.lower(), "msg": v.message} for v in exc.violations]) from None
        raise
    return Status(201, [_photo_out(p) for p in photos])


@router.get("/inspections/inspections/{inspection_id}/photos", response={200: list[PhotoOut], **BAD}, summary="检查的现场照片")
def list_photos(request, inspection_id: Path[Id]):
    inspection = _visible_inspection(_staff(request), inspection_id)
    return [_photo_out(p) for p in inspection.photos.select_related("uploaded_by").order_by("uploaded_at", "id")]


@router.get("/inspections/photos/{photo_id}", url_name="download_photo", response=BAD,
            summary="下载现场照片（或 thumbnail=true 取缩略图）",
            openapi_extra={"responses": {200: {"description": "照片文件", "content": {
                t: {"schema": {"type": "string", "format": "binary"}} for t in services.PHOTO_TYPES}}}})
def download_photo(request, photo_id: Path[Id], thumbnail: bool = False):
    actor = _staff(request)
    photo = InspectionPhoto.objects.select_related("inspection__task").filter(pk=photo_id).first()
    if photo is None or not permissions.may_see_photos(actor, photo.inspection):
        raise Http404
    name = photo.thumbnail.name if thumbnail else photo.file.name
    if not name or not default_storage.exists(name):
        raise Http404
    ext = ".jpg" if thumbnail else services.PHOTO_TYPES.get(photo.content_type, "")
    return FileResponse(default_storage.open(name, "rb"), content_type="image/jpeg" if thumbnail else photo.content_type,
                        filename=f"inspection-{photo.inspection_id}-photo-{photo.pk}{'-thumb' if thumbnail else ''}{ext}")


@router.delete("/inspections/photos/{photo_id}", response={204: None, **BAD}, summary="删除现场照片（仅选派的检查人员，结果公示前）")
def delete_photo(request, photo_id: Path[Id]):
    services.remove_photo(photo_id=photo_id, actor=_staff(request))
    return Status(204, None)


# --- Field work without network (离线现场执法, B9) -----------------------------------------------

@router.post("/inspections/offline/sync", url_name="offline_sync", response={200: OfflineReceiptOut, 201: OfflineReceiptOut, **BAD},
             summary="提交手机离线保存的检查结果、现场照片或现场笔录（按客户端编号幂等）",
             description="每次一项。client_id 为手机生成的 UUID：已收到的编号再次提交返回 200 和原回执，不重复写入；"
                         "新收到的返回 201。captured_at 为手机保存时间，received_at 为服务器收到时间，两者都写入全过程记录。"
                         "检查已改派、执法证在采集日不在有效期内、结果已公示、结果已由他人录入（expected_outcome 与服务器不同，"
                         "未选择 overwrite）→ 409，手机保留该记录；内容不完整 → 422。")
def offline_sync(request, payload: OfflineSyncIn):
    actor = _staff(request)
    client_id = offline.client_uuid(payload.client_id, payload.captured_at)
    part = {"result": payload.result, "photo": payload.photo, "onsite": payload.onsite}[payload.kind]
    if part is None:
        raise ValidationError([{"loc": ("body", "payload", payload.kind), "msg": "缺少本次提交的内容", "type": "missing"}])
    capture = services.Capture(
        client_id=client_id, kind=payload.kind, inspection_id=payload.inspection_id, captured_at=payload.captured_at,
        position=payload.position.position() if payload.position else None,
        expected_outcome=payload.expected_outcome, overwrite=payload.overwrite,
    )
    if payload.kind == "result":
        data = payload.result.dict()
        data["answers"] = [dict(a) for a in data["answers"]]
        capture.result = services.ResultInput(**data)
    elif payload.kind == "photo":
        capture.photo, capture.caption = offline.decoded(payload.photo.data, "photo"), payload.photo.caption
    else:
        capture.onsite_text, capture.party_name = payload.onsite.text, payload.onsite.party_name
        capture.signature = offline.decoded(payload.onsite.signature, "onsite") if payload.onsite.signature else b""
    try:
        got = services.sync_capture(capture=capture, actor=actor)
    except services.ResultIncomplete as exc:
        raise ValidationError([{"loc": ("body", "payload", "result", *p.field.split(".")), "msg": p.message, "type": "result_incomplete"}
                               for p in exc.problems]) from None
    except Refused as exc:
        raise offline.input_refusal(exc.violations, payload.kind, services.PHOTO_INPUT_CODES | services.OFFLINE_INPUT_CODES) or exc from None
    r = got.receipt
    body = {"client_id": str(r.client_id), "kind": r.kind, "inspection_id": r.inspection_id, "captured_at": r.captured_at.astimezone(clock.SHANGHAI),
            "received_at": r.received_at.astimezone(clock.SHANGHAI), "duplicate": got.duplicate, "photo_id": r.photo_id, "onsite_record_id": r.onsite_record_id}
    return Status(200 if got.duplicate else 201, body)
