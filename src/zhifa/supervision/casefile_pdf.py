"""The PDF of a whole case file (卷宗 PDF): cover and index (卷内文件目录), the documents' own PDFs
and the evidence list in procedural order with page numbers stamped on them, then the notes sheet
(备考表). Nothing here touches the database: the service hands in the bytes.

The documents are merged with pypdf, page by page, without re-rendering; the page numbers are a
small content stream appended to each page (a standard PDF font, no parsing of the page's own
content), so binding a file of hundreds of pages costs little more than copying it.
"""
from __future__ import annotations

import io
from pathlib import Path

from django.template.loader import render_to_string

from zhifa.documents import rendering

from .rules import casefile as rules

PAGE_FONT = "/ZhifaPageNo"
EVIDENCE_ROWS_PER_PAGE = 12  # rows of the evidence list on an A4 page (a SHA-256 wraps to three lines): the first guess


def render_matter(make_context, evidence: list[dict]) -> tuple[list, list, list]:
    """The pages zhifa writes itself — the evidence list (numbered with the documents), the cover
    and index, the notes sheet — in ONE WeasyPrint pass (layout and CJK font subsetting dominate
    the cost of a render). The index shows the pages of the evidence list, so its page count is
    guessed, checked against the layout (the page holding the ``cover`` anchor) and laid out
    again in the rare case the guess was wrong. ``make_context(evidence_pages)`` gives the
    template's context. Returns the pypdf pages of (evidence list, cover and index, notes)."""
    rendering.check_fonts()
    font, heading = rendering.fonts()
    from weasyprint import HTML

    guess = -(-len(evidence) // EVIDENCE_ROWS_PER_PAGE)  # ceil; 0 without evidence
    try:
        for _ in range(3):
            html = render_to_string("supervision/casefile/matter.html",
                                    {**make_context(guess), "evidence": evidence, "font": font, "heading_font": heading})
            document = HTML(string=html, base_url=str(Path(__file__).parent)).render()
            starts = {name: i for i, page in enumerate(document.pages) for name in page.anchors}
            if starts["cover"] == guess:
                break
            guess = starts["cover"]
        pdf = document.write_pdf()
    except Exception as exc:  # pragma: no cover - WeasyPrint failure
        raise rendering.RenderFailed(f"卷宗 PDF 生成失败：{exc}。请联系系统管理员。") from None
    pages = list(reader(pdf).pages)
    return pages[:guess], pages[guess:starts["notes"]], pages[starts["notes"]:]


def reader(pdf: bytes):
    """A parsed PDF (pypdf): each part is parsed once, to count its pages and to merge it."""
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(pdf))


def _number_page(writer, page, number: int) -> None:
    """Append ``number`` at the bottom right of ``page`` (inside a saved graphics state)."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    box = page.mediabox
    x, y = float(box.right) - 60, float(box.bottom) + 28
    resources = page.get("/Resources")
    if resources is None:
        resources = DictionaryObject()
        page[NameObject("/Resources")] = resources
    resources = resources.get_object()
    fonts = resources.get("/Font")
    if fonts is None:
        fonts = DictionaryObject()
        resources[NameObject("/Font")] = fonts
    fonts = fonts.get_object()
    if PAGE_FONT not in fonts:
        fonts[NameObject(PAGE_FONT)] = writer._add_object(DictionaryObject({
            NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica")}))
    before, after = DecodedStreamObject(), DecodedStreamObject()
    before.set_data(b"q\n")
    after.set_data(f"Q\nq BT {PAGE_FONT} 11 Tf 1 0 0 1 {x:.1f} {y:.1f} Tm (- {number} -) Tj ET Q\n".encode())
    contents = page.get("/Contents")
    existing = [] if contents is None else (list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents])
    page[NameObject("/Contents")] = ArrayObject([writer._add_object(before), *existing, writer._add_object(after)])


def build(*, front: list, parts: list[list], notes: list) -> tuple[bytes, int]:
    """(the whole file's PDF, the number of numbered pages): the pages of ``front`` (cover and
    index, unnumbered), of each part (the documents and the evidence list, numbered from 1), of
    ``notes`` (备考表, unnumbered)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for page in front:
        writer.add_page(page)
    number = 0
    for part in parts:
        for page in part:
            added = writer.add_page(page)
            number += 1
            _number_page(writer, added, number)
    for page in notes:
        writer.add_page(page)
    writer.add_metadata({"/Title": "卷宗", "/Producer": "zhifa"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), number


def contents_with_pages(contents: list[dict], counts: list[int]) -> list[dict]:
    """The contents with each entry's first and last page."""
    return [{**entry, "pages": f"{a}" if a == b else f"{a}–{b}", "first_page": a, "last_page": b}
            for entry, (a, b) in zip(contents, rules.page_ranges(counts))]
