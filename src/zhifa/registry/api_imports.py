"""Import jobs over the API (导入任务接口):

- ``POST /api/v1/imports`` (multipart: ``kind``, ``file``, ``body`` — the body's code, for the
  kinds that use one —, ``dry_run``, true by default) → 202 with the job, which runs in the
  background (``zhifa.core.imports``);
- ``GET /api/v1/imports/{id}`` → its status, progress and, once done, the result (counts and up to
  1,000 row errors, with their total count);
- ``GET /api/v1/imports`` → the caller's jobs, newest first, paginated (without the row errors).

Who may import what: ``registry.import_jobs`` (403 with a Chinese reason otherwise; 401 without a
token). A job of another user is a 404.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.files import UploadedFile

from zhifa.core.imports import max_upload_bytes
from zhifa.core.models import ImportJob
from zhifa.core.pagination import CleanText, ErrorOut, Id, PageQuery, ValidationErrorOut, paginate

from . import access, import_jobs
from .forms import IMPORT_EXTENSIONS
from .models import Body

router = Router(tags=["数据导入"])


class RowErrorOut(Schema):
    row: int = Field(..., description="表格行号（0 表示整个文件）")
    column: str = Field(..., description="列名")
    message: str = Field(..., description="原因")


class ImportResultOut(Schema):
    ok: bool = Field(..., description="是否没有错误行（有错误时未写入任何数据）")
    dry_run: bool
    written: bool = Field(..., description="是否已写入数据库")
    total_rows: int
    created: int
    updated: int
    skipped: int = Field(..., description="与已有数据相同、未改动的行")
    error_count: int = Field(..., description="错误总数")
    errors: list[RowErrorOut] = Field(..., description="前 1,000 处错误")
    errors_truncated: bool
    summary: str
    warning_count: int = Field(0, description="推断（警告）总数：不阻止导入，请核对")
    warnings: list[RowErrorOut] = Field(default_factory=list, description="前 1,000 处推断（警告）")


class ImportJobOut(Schema):
    id: int
    kind: str
    label: str
    filename: str
    size: int
    sha256: str
    body_code: str
    dry_run: bool
    status: str = Field(..., description="queued 排队中 / running 进行中 / done 已完成 / failed 失败")
    status_label: str
    phase: str = Field(..., description="读取 / 校验 / 写入 / 完成")
    done_rows: int
    total_rows: int | None = Field(None, description="总行数（未知时为空；运行中可能为估计值）")
    percent: int | None
    seconds: float = Field(..., description="已用时间（秒）")
    message: str = Field(..., description="失败原因")
    created_by: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    result: ImportResultOut | None = None
    url: str = Field(..., description="任务页面")


class ImportJobPage(Schema):
    items: list[ImportJobOut]
    count: int
    page: int
    page_size: int


class ImportIn(Schema):
    kind: Annotated[CleanText, Field(max_length=40, description="导入类型：officers、items、benchmarks、entities")]
    body: Annotated[CleanText, Field(max_length=40, description="所属主体编码")] = ""
    dry_run: bool = Field(True, description="试运行：只检查，不写入（默认）")


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _out(job: ImportJob, *, with_result: bool = True) -> dict:
    from django.urls import reverse

    result = job.result if with_result else None  # the list leaves it out (deferred)
    return {
        "id": job.pk, "kind": job.kind, "label": job.label, "filename": job.filename, "size": job.size,
        "sha256": job.sha256, "body_code": job.body_code, "dry_run": job.dry_run, "status": job.status,
        "status_label": job.get_status_display(), "phase": job.phase, "done_rows": job.done_rows,
        "total_rows": job.total_rows, "percent": job.percent, "seconds": job.seconds, "message": job.message,
        "created_by": job.created_by.username if job.created_by_id else None, "created_at": job.created_at,
        "started_at": job.started_at, "finished_at": job.finished_at, "result": result,
        "url": reverse("registry:import_job", args=[job.pk]),
    }


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ("form", field), "msg": message, "type": "value_error"}])


@router.post("/imports", response={202: ImportJobOut, **ERRORS}, summary="提交导入任务（上传表格）",
             description="multipart/form-data：kind 导入类型，file 表格文件（.xlsx/.xls/.ods/.csv），body 所属主体编码"
                         "（权责清单、裁量基准必填；执法人员可选），dry_run 是否试运行（默认 true）。任务在后台执行，"
                         "用 GET /api/v1/imports/{id} 查询进度和结果。")
def submit_import(request, form: Form[ImportIn], file: File[UploadedFile] = None):
    actor = access.request_actor(request)
    kind, body, dry_run = form.kind, form.body, form.dry_run
    if not import_jobs.kind_choices(actor):
        raise PermissionDenied(import_jobs.DENIED)
    kinds = {c.kind: c for c in import_jobs.kind_choices(actor)}
    if kind not in kinds:
        from zhifa.core.importing import get_importer

        if get_importer(kind) is None:
            raise _invalid("kind", "未知的导入类型，可选：" + "、".join(kinds))
        raise PermissionDenied(f"无权导入{get_importer(kind).label}。")
    if file is None:
        raise _invalid("file", "请选择要上传的文件")
    if not (file.name or "").lower().endswith(IMPORT_EXTENSIONS):
        raise _invalid("file", "文件格式不支持：请上传 .xlsx、.xls、.ods 或 .csv 文件")
    if not file.size:
        raise _invalid("file", "上传的文件是空的")
    if file.size > max_upload_bytes():
        raise _invalid("file", f"文件超过 {max_upload_bytes() // (1024 * 1024)} MB，请拆分后分批导入")
    target = None
    if kinds[kind].uses_body and body:
        target = Body.objects.filter(code=body.strip()).first()
        if target is None:
            raise _invalid("body", f"未知的执法主体编码「{body}」")
    try:
        job = import_jobs.submit(actor, kind=kind, upload=file, body=target, dry_run=dry_run)
    except ValueError as exc:
        raise _invalid("body", str(exc)) from None
    job.refresh_from_db()
    return Status(202, _out(job))


@router.get("/imports", response={200: ImportJobPage, **ERRORS}, summary="我的导入任务（分页，最新在前）")
def list_imports(request, params: Query[PageQuery]):
    actor = access.request_actor(request)
    page = paginate(import_jobs.own_jobs(actor).select_related("created_by").defer("result"), params)
    page["items"] = [_out(job, with_result=False) for job in page["items"]]
    return page


@router.get("/imports/{job_id}", response={200: ImportJobOut, **ERRORS}, summary="导入任务的状态、进度和结果")
def get_import(request, job_id: Id):
    actor = access.request_actor(request)
    job = import_jobs.visible_jobs(actor).select_related("created_by").filter(pk=job_id).first()
    if job is None:
        raise Http404
    return _out(job)
