"""A supervision notice as a document (监督文书, R32): ``GET /api/v1/supervision/notices/{id}/document
?format=pdf|docx`` — the 通知书 / 意见书 / 决定书 / 评查单 rendered from the document set under the
notice's number, for the office that issued it and the body it was served to (404 otherwise)."""
from __future__ import annotations

from typing import Literal

from django.http import FileResponse

from zhifa.core.api_auth import STAFF_AUTH
from zhifa.core.pagination import Id
from zhifa.registry import access

from . import selectors, services
from .api import ACT_ERRORS, router

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@router.get("/supervision/notices/{notice_id}/document", auth=STAFF_AUTH, response={200: None, **ACT_ERRORS},
            summary="监督通知书（意见书、决定书、评查单）文书：PDF 或 DOCX")
def notice_document(request, notice_id: Id, format: Literal["pdf", "docx"] = "pdf", inline: bool = False):
    notice = selectors.get_notice(access.request_actor(request), notice_id)
    notice = services.ensure_notice_document(notice.pk)
    stored = notice.pdf if format == "pdf" else notice.docx
    return FileResponse(stored.open("rb"), content_type="application/pdf" if format == "pdf" else DOCX,
                        as_attachment=not inline, filename=f"{notice.title}-{notice.number}.{format}")
