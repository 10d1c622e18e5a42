"""Build the Word template (Word 文书模板) ``document.docx`` with python-docx.

Run ``python src/zhifa/documents/docx_templates/build.py`` after changing this script; the
generated ``document.docx`` is committed beside it. Legal staff may instead open the .docx in
Word or WPS and edit it directly — keep the ``{{ … }}`` and ``{%p … %}`` / ``{%tr … %}`` tags
(docxtpl / Jinja2 syntax, see docs/documents.md). A layout of its own goes in ``<layout>.docx``
(``decision.docx``, ``form.docx`` …) and wins over ``document.docx``.

The content variables are the same as the HTML templates': ``body_name``, ``title``, ``number``,
``addressee``, ``party_lines``, ``rows``, ``preamble``, ``record_body``, ``paragraphs`` (each with
``text`` and ``entries``), ``items``, ``served``, ``closing``, ``seal``, ``issued_on``,
``signatures``, ``void``, ``void_reason``.
"""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

HERE = Path(__file__).parent
FONT = "Noto Serif CJK SC"  # replaced at render time by ZHIFA["DOCUMENT_FONT"]
HEADING_FONT = "Noto Sans CJK SC"


def _font(style, family: str, size: float, bold: bool = False) -> None:
    style.font.name = family
    style.font.size = Pt(size)
    style.font.bold = bold
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), family)


def _style(doc, name: str, *, size: float, bold=False, align=None, indent=False, family=FONT, space_before=0):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    _font(style, family, size, bold)
    fmt = style.paragraph_format
    if align is not None:
        fmt.alignment = align
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    fmt.space_before = Pt(space_before)
    fmt.space_after = Pt(0)
    return style


def _p(doc, text: str, style: str | None = None):
    return doc.add_paragraph(text, style=style)


def _block(doc, tag: str, *parts) -> None:
    """``{%p if x %}`` or ``{%p for a in b %}`` (``tag``: ``if x`` / ``for a in b``), the parts —
    ``(text, style)`` paragraphs, or a callable adding its own — and the matching end tag."""
    _p(doc, f"{{%p {tag} %}}")
    for part in parts:
        if callable(part):
            part(doc)
        else:
            _p(doc, *part)
    _p(doc, f"{{%p end{tag.split()[0]} %}}")


def _loop_table(doc, header: list[str] | None, loop: str, cells: list[str], widths: list[float]):
    """A table whose middle rows repeat: ``{%tr for … %}`` / cells / ``{%tr endfor %}``."""
    rows = (1 if header else 0) + 3
    table = doc.add_table(rows=rows, cols=len(cells))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    r = 0
    if header:
        for i, h in enumerate(header):
            table.cell(0, i).text = h
            table.cell(0, i).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = 1
    table.cell(r, 0).text = f"{{%tr for {loop} %}}"
    for i, c in enumerate(cells):
        table.cell(r + 1, i).text = c
    table.cell(r + 2, 0).text = "{%tr endfor %}"
    for row in table.rows:
        for i, w in enumerate(widths):
            row.cells[i].width = Mm(w)
    return table


def build() -> Path:
    """Write ``document.docx``: page and styles, then the parts of a document in order."""
    doc = Document()
    _page_and_styles(doc)
    _heading(doc)
    _content(doc)
    _tables(doc)
    _closing(doc)
    out = HERE / "document.docx"
    doc.save(out)
    return out


def _page_and_styles(doc) -> None:
    """A4 with the margins of GB/T 9704-2012, and the paragraph styles."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    # GB/T 9704-2012: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    normal = doc.styles["Normal"]
    _font(normal, FONT, 16)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    _font(doc.styles["Table Grid"], FONT, 12)

    _style(doc, "BodyName", size=20, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, family=HEADING_FONT)
    _style(doc, "DocTitle", size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, family=HEADING_FONT)
    _style(doc, "DocNumber", size=16, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _style(doc, "DocText", size=16, indent=True)
    _style(doc, "DocPlain", size=16)
    _style(doc, "Seal", size=16, align=WD_ALIGN_PARAGRAPH.RIGHT, space_before=24)
    _style(doc, "VoidNote", size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)


def _heading(doc) -> None:
    """Body, title and number; the void note; the addressee and the party's lines."""
    _p(doc, "{{ body_name }}", "BodyName")
    _p(doc, "{{ title }}", "DocTitle")
    _p(doc, "{{ number }}{% if version > 1 %}（第{{ version }}版）{% endif %}", "DocNumber")
    _block(doc, "if void", ("【作废】本文书已作废{% if void_reason %}：{{ void_reason }}{% endif %}", "VoidNote"))
    _block(doc, "if addressee", ("{{ addressee }}：", "DocPlain"))
    _block(doc, "for line in party_lines", ("{{ line[0] }}：{{ line[1] }}", "DocPlain"))


def _content(doc) -> None:
    """The rows of a form, the preamble, a record's parts and the paragraphs."""
    _block(doc, "if rows", lambda doc: _loop_table(
        doc, None, "row in rows",
        ["{{ row.label }}", "{{ row.value }}{% if row.sign %}\n\n签名：　　　　　　年　　月　　日{% endif %}"],
        [45, 111],
    ))
    _block(doc, "if preamble", ("{{ preamble }}", "DocText"))
    _block(doc, "for part in record_body", ("{{ part.label }}：", "DocPlain"), ("{{ part.text }}", "DocPlain"))
    _block(doc, "for p in paragraphs", ("{{ p.text }}", "DocText"),
           lambda doc: _block(doc, "for item in p.entries", ("{{ loop.index }}. {{ item }}", "DocText")))


def _tables(doc) -> None:
    """The list of property (财物清单) and of the documents served (送达文书)."""
    _block(doc, "if items", lambda doc: _loop_table(
        doc, ["序号", "名称", "规格（型号）", "数量", "单位", "备注"], "item in items",
        ["{{ loop.index }}", "{{ item.name }}", "{{ item.spec }}", "{{ item.quantity }}", "{{ item.unit }}", "{{ item.note }}"],
        [14, 42, 36, 18, 16, 30],
    ))
    _block(doc, "if served",
           lambda doc: _loop_table(doc, ["序号", "送达文书名称", "文号"], "d in served", ["{{ loop.index }}", "{{ d.title }}", "{{ d.number }}"], [14, 82, 60]),
           ("受送达人签名或盖章：　　　　　　　　年　　月　　日", "Seal"))


def _closing(doc) -> None:
    """The closing sentence, the seal and date, the signatures."""
    _block(doc, "if closing", ("{{ closing }}", "DocText"))
    _block(doc, "if seal", ("{{ body_name }}（印章）", "Seal"), ("{{ issued_on }}", "DocNumber"))
    _block(doc, "for s in signatures", ("{{ s }}（签名）：", "DocPlain"))


if __name__ == "__main__":
    print(build())
