"""A supervision notice as a document of the set (监督文书, R32): its kind read from
``notice_documents.toml`` by the documents app's parser, its content composed and rendered to PDF
and DOCX by the documents app's rendering (the "letter" layout and Word template), under the
notice's own number and in the name of the supervision body. Nothing here touches the database:
the service hands in the notice and stores the bytes."""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from zhifa.core.violations import Refused, Violation
from zhifa.documents import kinds, rendering
from zhifa.documents import rules as document_rules

KINDS_FILE = Path(__file__).with_name("notice_documents.toml")
SOURCE_LABELS = {"evaluation": "案卷评查", "alert": "执法监督预警核查", "complaint": "投诉举报核查", "inspection": "行政执法监督检查"}


@lru_cache(maxsize=1)
def specs() -> dict[str, kinds.KindSpec]:
    return kinds.parse_kinds(tomllib.loads(KINDS_FILE.read_text(encoding="utf-8")))


def supervision_body(issuer_name: str) -> dict:
    """The body printed at the top: the justice department of the office's level, the
    government's supervision body (O825 art.6)."""
    return {"name": f"{issuer_name}司法局", "short_name": f"{issuer_name}司法局"}


def data_of(notice) -> dict:
    return {"body_name": notice.body.name, "source_label": SOURCE_LABELS.get(notice.source, "行政执法监督"),
            "findings": notice.findings, "basis": notice.basis, "rectify": notice.rectify, "due": notice.due.isoformat(),
            "case_number": notice.case.number if notice.case_id and notice.case.number else ""}


def render(notice) -> tuple[bytes, bytes]:
    """(PDF, DOCX) of ``notice``. Refuses ``DOCUMENT_INCOMPLETE`` with every missing item, or
    ``DOCUMENT_RENDER_FAILED``."""
    spec = specs().get(notice.kind)
    if spec is None:
        raise Refused([Violation(document_rules.UNKNOWN_DOCUMENT_KIND, f"监督文书种类“{notice.kind}”没有文书格式", "")])
    data = rendering.json_ready(data_of(notice))
    body = supervision_body(notice.issuer.name)
    data["body"] = body
    missing = document_rules.check_document(spec, data)
    if missing:
        raise Refused(missing)
    try:
        rendering.check_fonts()
        content = rendering.compose(spec, data, body=body, number=notice.number, issued_on=notice.issued_on)
        return rendering.render_pdf(spec, content), rendering.render_docx(spec, content)
    except rendering.RenderFailed as exc:
        raise Refused([Violation(document_rules.DOCUMENT_RENDER_FAILED, str(exc), "")]) from None
