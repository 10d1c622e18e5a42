"""Document API (文书接口): metadata and downloads by document id, scoped by the issuing body
through ``registry.access``. The case app lists a case's documents and links here; writes go
through the case workflow, which calls ``services``."""
from __future__ import annotations

import datetime as dt

from django.http import FileResponse, Http404, HttpResponse
from ninja import Field, Router, Schema

from zhifa.core.api_auth import STAFF_AUTH
from zhifa.core.pagination import CleanDict, Id
from zhifa.core.violations import INVALID_INPUT, Refused, Violation
from zhifa.registry.access import request_actor

from . import services
from .models import Document

router = Router(auth=STAFF_AUTH, tags=["执法文书"])


class DocumentHeadOut(Schema):
    """The first fields of a document (执法文书) in every API answer: this router's ``DocumentOut``
    and a case's ``CaseDocumentOut`` (cases/api.py) go on from them."""

    id: int
    kind: str
    title: str
    number: str
    version: int
    status: str
    status_label: str
    body_id: int
    body_name: str


class DocumentOut(DocumentHeadOut):
    subject: str
    issued_on: dt.date
    pdf_sha256: str
    docx_sha256: str
    previous_id: int | None
    void_reason: str
    rendered: bool = Field(..., description="文件是否已生成；为 false 时显示“生成中”，此时下载会当场生成一次并保存")
    files_label: str = Field(..., description="“已生成”或“生成中”")
    pdf_url: str
    docx_url: str


def _out(doc: Document) -> dict:
    return {
        "id": doc.pk, "kind": doc.kind, "title": doc.title, "number": doc.number, "version": doc.version,
        "status": doc.status, "status_label": doc.get_status_display(), "body_id": doc.body_id,
        "body_name": doc.body.name, "subject": doc.subject, "issued_on": doc.issued_on,
        "pdf_sha256": doc.pdf_sha256, "docx_sha256": doc.docx_sha256, "previous_id": doc.previous_id,
        "void_reason": doc.void_reason, **files_state(doc),
        "pdf_url": f"/api/v1/documents/{doc.pk}.pdf", "docx_url": f"/api/v1/documents/{doc.pk}.docx",
    }


def files_state(doc: Document) -> dict:
    """``rendered`` and its label: 生成中 until the worker (or a first download) stored the files."""
    rendered = services.is_rendered(doc)
    return {"rendered": rendered, "files_label": "已生成" if rendered else "生成中"}


def _visible(request, document_id: int) -> Document:
    doc = services.visible_documents(request_actor(request)).filter(pk=document_id).first()
    if doc is None:
        raise Http404("文书不存在")
    return doc


@router.get("/documents/{int:document_id}", response=DocumentOut, summary="文书信息（文号、状态、文件哈希）")
def document_detail(request, document_id: Id):
    return _out(_visible(request, document_id))


def download(doc: Document, fmt: str, inline: bool = False) -> FileResponse:
    """The PDF or DOCX of a visible document (rendered now, once, and stored if the worker has not
    done it yet; the case API serves its documents through this too)."""
    doc = services.ensure_rendered(doc)
    if fmt == "pdf":
        field = doc.void_pdf if doc.is_void and doc.void_pdf else doc.pdf
        content_type = "application/pdf"
    else:
        field = doc.void_docx if doc.is_void and doc.void_docx else doc.docx
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("文书文件不存在") from None
    suffix = "（作废）" if doc.is_void else ""
    filename = f"{doc.title}{doc.number}{suffix}.{fmt}"
    return FileResponse(handle, content_type=content_type, as_attachment=not inline, filename=filename)


@router.get("/documents/{int:document_id}.pdf", summary="下载文书 PDF（作废文书为标注“作废”的版本）")
def document_pdf(request, document_id: Id, inline: bool = False):
    return download(_visible(request, document_id), "pdf", inline)


@router.get("/documents/{int:document_id}.docx", summary="下载文书 Word 文件")
def document_docx(request, document_id: Id):
    return download(_visible(request, document_id), "docx", False)


class PreviewIn(Schema):
    kind: str = Field(..., max_length=40, description="文书种类代码，见 kinds.toml")
    body_id: Id | None = Field(None, description="制发主体；默认为当前用户所在主体")
    data: CleanDict = Field(default_factory=dict, description="文书数据")


@router.post("/documents/preview", summary="预览文书 PDF（不编号、不保存；缺项时 409 列出全部缺少的要素）")
def document_preview(request, payload: PreviewIn):
    actor = request_actor(request)
    body_id = payload.body_id or actor.body_id
    if body_id is None:
        raise Refused([Violation(INVALID_INPUT, "请指定制发文书的执法主体", "")])
    pdf = services.preview_pdf(kind=payload.kind, body=body_id, data=payload.data, actor=actor)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = "inline; filename=preview.pdf"
    return response
