"""The supervision's long work run off the request with its progress on the page (core/work.py):
the report to the people's congress (人大报告, R37) in PDF or Word, and a bound case file's PDF
(卷宗, R31). Each checks nothing itself: the page that submits it has checked who asks."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from zhifa.core.work import Progress, work
from zhifa.registry import access

CONTENT_TYPES = {"pdf": "application/pdf",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


@work
def congress_report(params: dict, progress: Progress) -> dict:
    """人大报告 of ``params["year"]`` as ``params["format"]`` (pdf, docx) for the submitting user."""
    from . import congress, congress_render

    year, fmt = int(params["year"]), params["format"]
    actor = access.actor_for(get_user_model().objects.get(pk=params["user_id"]))
    progress("统计年度数据", 0, 2)
    report = congress.build(actor, year)
    progress("排版 PDF" if fmt == "pdf" else "生成 Word 文件", 1, 2)
    data = congress_render.render_pdf(report) if fmt == "pdf" else congress_render.render_docx(report)
    name = default_storage.save(f"work/congress-report-{year}.{fmt}", ContentFile(data))
    progress("完成", 2, 2)
    return {"name": name, "filename": f"congress-report-{year}.{fmt}", "content_type": CONTENT_TYPES[fmt],
            "link": f"下载{year}年度报告（{'PDF' if fmt == 'pdf' else 'Word'}）"}


@work
def case_file_pdf(params: dict, progress: Progress) -> dict:
    """The PDF of a bound case file (made once; its SHA-256 on the case's record)."""
    from .services.casefiles import ensure_case_file_pdf

    progress("排版卷宗（封面、目录、文书、证据清单、备考表）")
    cf = ensure_case_file_pdf(int(params["case_file_id"]))
    return {"url": f"/api/v1/case-files/{cf.case_id}/pdf?version={cf.version}&inline=true", "pages": cf.page_count,
            "link": "打开卷宗 PDF"}
