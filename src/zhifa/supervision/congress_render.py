"""The congress report as files (R37): charts drawn server-side by matplotlib (PNG, the Noto CJK
font, no browser), the PDF by WeasyPrint like every other document, the Word file by python-docx
(editable, 可编辑). Nothing here reads the database: ``congress.build`` hands in the content."""
from __future__ import annotations

import base64
import functools
import io
from pathlib import Path

from django.template.loader import render_to_string

from zhifa.documents import rendering

from .congress import Chart, Report

FONT_FILES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc")
COLOURS = ["#1d5fbf", "#1e7b4f", "#a15c07", "#b42318"]


@functools.lru_cache(maxsize=1)
def _font():
    from matplotlib import font_manager

    for path in FONT_FILES:
        if Path(path).exists():
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path)
    return None


def chart_png(chart: Chart) -> bytes:
    """One chart as a PNG (deterministic: no timestamp in the file)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    font = _font()
    fig = Figure(figsize=(7.2, 3.4), dpi=110)
    ax = fig.add_subplot()
    kw = {"fontproperties": font} if font else {}
    if chart.kind == "bar":
        labels = chart.labels[::-1]
        name, values = chart.series[0]
        ax.barh(range(len(labels)), values[::-1], color=COLOURS[0])
        ax.set_yticks(range(len(labels)), [label[:16] for label in labels], **kw)
    else:
        for i, (name, values) in enumerate(chart.series):
            ax.plot(range(len(values)), values, marker="o", color=COLOURS[i % 4], label=name)
        ax.set_xticks(range(len(chart.labels)), [label[-3:] for label in chart.labels], **kw)
        if chart.series:
            ax.legend(prop=font, fontsize=8, loc="best", framealpha=0.9)
    ax.set_title(chart.title, **kw)
    ax.grid(axis="x" if chart.kind == "bar" else "y", color="#eef1f5")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if not chart.labels:
        ax.text(0.5, 0.5, "暂无数据", ha="center", va="center", transform=ax.transAxes, **kw)
    # fixed margins: tight_layout measures every label again and costs more than the drawing
    fig.subplots_adjust(left=0.3 if chart.kind == "bar" else 0.08, right=0.97, top=0.9, bottom=0.12)
    out = io.BytesIO()
    fig.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


def render_pdf(report: Report) -> bytes:
    rendering.check_fonts()
    font, heading = rendering.fonts()
    from weasyprint import HTML

    sections = [{"s": s, "charts": [base64.b64encode(chart_png(c)).decode() for c in s.charts]} for s in report.sections]
    html = render_to_string("supervision/congress_report.html",
                            {"report": report, "sections": sections, "font": font, "heading_font": heading})
    try:
        return HTML(string=html, base_url=str(Path(__file__).parent)).write_pdf()
    except Exception as exc:  # pragma: no cover - WeasyPrint failure
        raise rendering.RenderFailed(f"人大报告 PDF 生成失败：{exc}。请联系系统管理员。") from None


def render_docx(report: Report) -> bytes:
    from docx import Document
    from docx.shared import Cm, Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "仿宋"
    style.font.size = Pt(12)
    doc.add_heading(report.title, level=0)
    doc.add_paragraph(f"统计范围：{report.scope}")
    doc.add_paragraph(f"统计期间：{report.year}年1月1日至{report.year}年12月31日")
    doc.add_paragraph(f"数据截止时间：{_cut_off(report)}")
    for section in report.sections:
        doc.add_heading(section.title, level=1)
        for text in section.paragraphs:
            doc.add_paragraph(text)
        for table in section.tables:
            t = doc.add_table(rows=1, cols=len(table.columns))
            t.style = "Table Grid"
            for cell, text in zip(t.rows[0].cells, table.columns):
                cell.text = text
            for row in table.rows:
                for cell, text in zip(t.add_row().cells, row):
                    cell.text = text
        for chart in section.charts:
            doc.add_picture(io.BytesIO(chart_png(chart)), width=Cm(15))
    doc.add_heading("统计口径", level=1)
    for label, basis in report.measures_basis.items():
        doc.add_paragraph(f"{label}：{basis}", style="List Bullet")
    if report.cut_off:
        doc.core_properties.created = report.cut_off.replace(tzinfo=None)
        doc.core_properties.modified = report.cut_off.replace(tzinfo=None)
    doc.core_properties.title = report.title
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _cut_off(report: Report) -> str:
    from zhifa.core import clock

    return report.cut_off.astimezone(clock.SHANGHAI).strftime("%Y年%m月%d日 %H:%M") if report.cut_off else "—"
