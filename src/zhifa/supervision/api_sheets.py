"""Evaluation sheets over the API (案卷评查表, R31, R43): import a sheet from Excel as a new draft
version (``POST /api/v1/supervision/sheets/import``, multipart: ``code``, ``file``, ``dry_run``) —
all or nothing, 422 with every bad row (row, column, reason) — and publish a draft
(``POST …/sheets/{id}/publish``: from then on immutable)."""
from __future__ import annotations

from ninja import Field, File, Form, Schema, Status
from ninja.errors import ValidationError
from ninja.files import UploadedFile

from zhifa.core.api_auth import STAFF_AUTH
from zhifa.core.imports import max_upload_bytes
from zhifa.core.pagination import CleanText, Id
from zhifa.registry import access

from . import services
from .api import ACT_ERRORS, SheetOut, _sheet_out, router

EXTENSIONS = (".xls", ".xlsx", ".ods", ".csv")


class SheetImportIn(Schema):
    code: CleanText = Field(..., min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_\-]+$", description="评查表编号，如 default")
    dry_run: bool = Field(False, description="试导入：只校验，不保存")


class SheetRowErrorOut(Schema):
    row: int = Field(..., description="表格行号（0 表示整个评查表）")
    column: str
    message: str


class SheetImportOut(Schema):
    ok: bool
    dry_run: bool
    total_rows: int
    errors: list[SheetRowErrorOut]
    summary: str
    sheet: SheetOut | None = Field(None, description="保存的评查表草稿（试导入或被拒绝时为空）")


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ("form", field), "msg": message, "type": "value_error"}])


@router.post("/supervision/sheets/import", auth=STAFF_AUTH, response={**ACT_ERRORS, 200: SheetImportOut, 201: SheetImportOut,
                                                                      422: SheetImportOut},
             summary="从 Excel 导入评查表草稿（执法监督机构）",
             description="multipart/form-data：code 评查表编号，file 表格（.xlsx/.xls/.ods/.csv），dry_run 试导入。"
                         "全部校验通过才保存为该编号的新草稿版本；有错误时返回 422 和每一处错误（行、列、原因），不保存任何内容。")
def import_sheet(request, form: Form[SheetImportIn], file: File[UploadedFile] = None):
    from .models import EvaluationSheet

    actor = access.request_actor(request)
    if file is None:
        raise _invalid("file", "请选择要上传的评查表文件")
    if not (file.name or "").lower().endswith(EXTENSIONS):
        raise _invalid("file", "文件格式不支持：请上传 .xlsx、.xls、.ods 或 .csv 文件")
    if not file.size or file.size > max_upload_bytes():
        raise _invalid("file", "文件为空或过大")
    result = services.import_sheet_file(file.read(), file.name, code=form.code, dry_run=form.dry_run, actor=actor)
    sheet = None
    if result.written:
        sheet = _sheet_out(EvaluationSheet.objects.filter(code=form.code, status=EvaluationSheet.Status.DRAFT).first())
    body = {"ok": result.ok, "dry_run": result.dry_run, "total_rows": result.total_rows, "summary": result.summary(),
            "errors": [e.as_dict() for e in result.errors], "sheet": sheet}
    return Status(422 if not result.ok else (201 if result.written else 200), body)


@router.post("/supervision/sheets/{sheet_id}/publish", auth=STAFF_AUTH, response={200: SheetOut, **ACT_ERRORS},
             summary="发布评查表草稿（发布后不得修改）")
def publish_sheet(request, sheet_id: Id):
    return _sheet_out(services.publish_sheet(sheet_id, actor=access.request_actor(request)))
