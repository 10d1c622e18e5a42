"""The PDF of a whole case file (卷宗 PDF): cover and index (卷内文件目录), the documents' own PDFs
and the evidence list in procedural order with page numbers stamped on them, then the notes sheet
(备考表). Nothing here touches the database: the service hands in the bytes.

The documents are merged as they were rendered (pikepdf, i.e. qpdf: the pages are copied, never
re-rendered nor re-parsed in Python); the page numbers are a small content stream appended to each
page (a standard PDF font, no parsing of the page's own content). Only the pages zhifa writes
itself — cover, index, evidence list, notes — are laid out, in one WeasyPrint pass with the
prepared faces. The output is deterministic (``deterministic_id``): the same parts give the same
bytes, so the file's SHA-256 is reproducible. Binding 200 documents (400 pages) takes about 1 s for
the merge; see ``bench/bench_casefiles.py``.
"""
from __future__ import annotations

import io
from pathlib import Path

from django.template.loader import render_to_string

from zhifa.documents import rendering
from zhifa.documents.fonts import font_stack

from .rules import casefile as rules

PAGE_FONT = "/ZhifaPageNo"


def render_matter(make_context, evidence: list[dict]):
    """The pages zhifa writes itself, laid out once each: the evidence list first (numbered with
    the documents, so its page count goes into the index), then the cover, the index and the notes
    sheet in one WeasyPrint pass (layout and CJK font subsetting dominate the cost of a render).
    ``make_context(evidence_pages)`` gives the template's context. Returns the parsed PDFs (keep
    them open until ``build``) and the pages of (evidence list, cover and index, notes)."""
    rendering.check_fonts()
    font, heading = rendering.fonts()
    fonts = {"font": font, "heading_font": heading, "font_family": font_stack(font, "serif"),
             "heading_font_family": font_stack(heading, "sans-serif")}
    base = str(Path(__file__).parent)
    try:
        listed = None
        if evidence:
            listed = reader(rendering.html_to_pdf(render_to_string("supervision/casefile/evidence.html", {
                **fonts, "evidence": evidence}), base))
        evidence_pages = list(listed.pages) if listed is not None else []
        document = rendering.html_to_pdf(render_to_string("supervision/casefile/matter.html", {
            **make_context(len(evidence_pages)), **fonts}), base, render=True)
        notes_at = next(i for i, page in enumerate(document.pages) if "notes" in page.anchors)
        matter = reader(document.write_pdf())
    except Exception as exc:  # pragma: no cover - WeasyPrint failure
        raise rendering.RenderFailed(f"卷宗 PDF 生成失败：{exc}。请联系系统管理员。") from None
    pages = list(matter.pages)
    return (listed, matter), (evidence_pages, pages[:notes_at], pages[notes_at:])


def reader(pdf: bytes):
    """A parsed PDF (pikepdf): opened once, to count its pages and to merge them. Keep it alive
    until ``build`` has written the file (its pages belong to it)."""
    import pikepdf

    return pikepdf.Pdf.open(io.BytesIO(pdf))


def _number_page(out, page, number: int, font) -> None:
    """Append ``number`` at the bottom right of ``page`` (its own content inside a saved graphics
    state, so nothing it left set changes the number)."""
    import pikepdf

    box = page.mediabox
    x, y = float(box[2]) - 60, float(box[1]) + 28
    resources = page.obj.get("/Resources")
    if resources is None:
        resources = page.obj.Resources = pikepdf.Dictionary()
    fonts = resources.get("/Font")
    if fonts is None:
        fonts = resources.Font = pikepdf.Dictionary()
    fonts[PAGE_FONT] = font
    page.contents_add(out.make_stream(b"q\n"), prepend=True)
    page.contents_add(out.make_stream(f"Q\nq BT {PAGE_FONT} 11 Tf 1 0 0 1 {x:.1f} {y:.1f} Tm (- {number} -) Tj ET Q\n".encode()))


def build(*, front: list, parts: list[list], notes: list) -> tuple[bytes, int]:
    """(the whole file's PDF, the number of numbered pages): the pages of ``front`` (cover and
    index, unnumbered), of each part (the documents and the evidence list, numbered from 1), of
    ``notes`` (备考表, unnumbered). Deterministic: the same pages give the same bytes."""
    import pikepdf

    out = pikepdf.Pdf.new()
    font = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    out.pages.extend(front)
    number = 0
    for part in parts:
        for page in part:
            out.pages.append(page)
            number += 1
            _number_page(out, out.pages[-1], number, font)
    out.pages.extend(notes)
    out.docinfo[pikepdf.Name.Title] = "卷宗"
    out.docinfo[pikepdf.Name.Producer] = "zhifa"
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue(), number


def contents_with_pages(contents: list[dict], counts: list[int]) -> list[dict]:
    """The contents with each entry's first and last page."""
    return [{**entry, "pages": f"{a}" if a == b else f"{a}–{b}", "first_page": a, "last_page": b}
            for entry, (a, b) in zip(contents, rules.page_ranges(counts))]


def numbered_pages(pdf: bytes, first: int, count: int) -> bytes:
    """Pages ``first`` … ``first + count - 1`` (0-based) of a bound file: its documents and
    evidence list without the cover, index and notes sheet, which name the body and its officers
    (a double-blind evaluator's copy, ``rules.blind``). Deterministic like ``build``."""
    import pikepdf

    source, out = reader(pdf), pikepdf.Pdf.new()
    out.pages.extend(list(source.pages)[first:first + count])
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()
