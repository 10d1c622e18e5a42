"""R16: every kind renders to PDF (read back with pypdf) and DOCX (read back with python-docx)
from the same data; fonts and templates that are missing fail with a Chinese message."""
from __future__ import annotations

import datetime as dt
import io

import pytest

from zhifa.documents import kinds, rendering, rules, samples

from .conftest import docx_text, pdf_text

BODY = {"name": "示例市市场监督管理局", "short_name": "示市监"}
DAY = dt.date(2026, 10, 25)


def content_of(kind: str, **extra) -> tuple[kinds.KindSpec, dict]:
    spec = kinds.get(kind)
    data = rendering.json_ready(rules.with_statutory_defaults(spec, samples.sample(kind)))
    data["body"] = BODY
    number = rules.format_number("示市监", spec.abbreviation, 2026, 7)
    return spec, rendering.compose(spec, data, body=BODY, number=number, issued_on=DAY, **extra)


def key_texts(spec: kinds.KindSpec, content: dict) -> list[str]:
    """Short pieces of the data that must appear in the document."""
    texts = []
    for f in spec.fields:
        if not f.required or f.key.startswith(("body.", "remedies.")) or f.key == "issued_on":
            continue
        value = rules.lookup(content["data"], f.key)
        if isinstance(value, str) and value.strip():
            texts.append("".join(rendering.text(value).split())[:10])
    return texts


@pytest.mark.parametrize("kind", list(kinds.all_kinds()))
def test_r16_every_kind_renders_pdf_and_docx_with_its_key_text(kind):
    spec, content = content_of(kind)
    pdf = rendering.render_pdf(spec, content)
    docx = rendering.render_docx(spec, content)
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)  # A4
    as_pdf, as_docx = pdf_text(pdf), docx_text(docx)
    for expected in [spec.title, content["number"], BODY["name"], *key_texts(spec, content)]:
        assert expected in as_pdf, f"PDF 缺少“{expected}”"
        assert expected in as_docx, f"DOCX 缺少“{expected}”"
    assert "{{" not in as_docx and "{%" not in as_docx


def test_r16_decision_prints_every_apl59_item():
    spec, content = content_of("penalty_decision")
    text = pdf_text(rendering.render_pdf(spec, content))
    for expected in [
        "当事人：示例市鑫源食品贸易有限公司", "统一社会信用代码：91650200MA78Q3K21X", "法定代表人（负责人）：张建国",
        "住所：示例市人民路88号", "2026年9月12日", "上述事实，有以下证据证明", "现场笔录：现场检查笔录1份",
        "违反了《中华人民共和国食品安全法》第三十四条第（十）项的规定",
        "依据《中华人民共和国食品安全法》第一百二十四条第一款第（五）项", "罚款人民币50000.00元（大写：伍万元整）",
        "十五日内", "百分之三", "申请人民法院强制执行", "60日内向示例市人民政府申请行政复议",
        "6个月内依法向示例市人民法院提起行政诉讼", "将通过国家企业信用信息公示系统向社会公示",
        "（印章）", "2026年10月25日",
    ]:
        assert expected in text, expected


def test_r16_docx_uses_the_font_setting(settings):
    settings.ZHIFA = {**settings.ZHIFA, "DOCUMENT_FONT": "Noto Sans CJK SC"}
    spec, content = content_of("reminder")
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(io.BytesIO(rendering.render_docx(spec, content)))
    assert doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "Noto Sans CJK SC"


def test_r16_hearing_rights_only_when_they_apply():
    spec, content = content_of("penalty_notice")
    assert "有权要求举行听证" in pdf_text(rendering.render_pdf(spec, content))
    data = samples.sample("penalty_notice") | {"hearing": False, "body": BODY}
    content = rendering.compose(spec, data, body=BODY, number="x", issued_on=DAY)
    assert "有权要求举行听证" not in docx_text(rendering.render_docx(spec, content))


def test_r16_void_and_preview_are_marked():
    spec, content = content_of("penalty_decision", void=True, void_reason="当事人名称有误")
    assert "作废" in pdf_text(rendering.render_pdf(spec, content))
    assert "作废" in docx_text(rendering.render_docx(spec, content))
    spec, content = content_of("penalty_decision", preview=True)
    assert "预" in pdf_text(rendering.render_pdf(spec, content))


def test_r16_text_of_values():
    assert rendering.text("2026-10-05") == "2026年10月5日"
    assert rendering.text("2026-10-05T09:05") == "2026年10月5日9时05分"
    assert rendering.text(dt.date(2026, 1, 2)) == "2026年1月2日"
    assert rendering.text(True) == "是"
    assert rendering.text(["甲", "", "乙"]) == "甲；乙"
    assert rendering.fill("经查，{party.name}{missing}。", {"party": {"name": "某公司"}}) == "经查，某公司＿＿＿＿。"


def test_r16_missing_font_is_a_clear_chinese_error(settings):
    settings.ZHIFA = {**settings.ZHIFA, "DOCUMENT_FONT": "不存在的字体 XYZ"}
    spec, content = content_of("penalty_decision")
    with pytest.raises(rendering.RenderFailed, match="文书字体“不存在的字体 XYZ”未安装"):
        rendering.render_pdf(spec, content)


def test_r16_broken_template_is_a_clear_chinese_error(settings, tmp_path):
    (tmp_path / "documents" / "SJJ").mkdir(parents=True)
    (tmp_path / "documents" / "SJJ" / "decision.html").write_text("{% if %}", encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    spec, content = content_of("penalty_decision")
    with pytest.raises(rendering.RenderFailed, match="文书模板.*有语法错误"):
        rendering.render_pdf(spec, content, body_code="SJJ")
    rendering.render_pdf(spec, content, body_code="OTHER")  # other bodies keep the shipped layout


def test_r16_missing_docx_template_is_a_clear_chinese_error(settings, tmp_path, monkeypatch):
    monkeypatch.setattr(rendering, "DOCX_DIR", tmp_path)
    spec, content = content_of("reminder")
    with pytest.raises(rendering.RenderFailed, match="Word 文书模板“document.docx”不存在"):
        rendering.render_docx(spec, content)


def test_r16_a_body_may_override_the_word_template(settings, tmp_path):
    from docx import Document

    (tmp_path / "SJJ").mkdir()
    doc = Document()
    doc.add_paragraph("本局专用：{{ title }} {{ number }}")
    doc.save(tmp_path / "SJJ" / "letter.docx")
    settings.ZHIFA = {**settings.ZHIFA, "DOCUMENT_DOCX_DIRS": [str(tmp_path)]}
    spec, content = content_of("reminder")
    assert "本局专用：催告书" in docx_text(rendering.render_docx(spec, content, body_code="SJJ"))
    assert "本局专用" not in docx_text(rendering.render_docx(spec, content, body_code="CGJ"))


def test_r16_template_seal_area_is_detected(settings, tmp_path):
    spec = kinds.get("penalty_decision")
    assert rendering.template_has_seal_area(spec, "SJJ")
    (tmp_path / "documents" / "SJJ").mkdir(parents=True)
    (tmp_path / "documents" / "SJJ" / "decision.html").write_text(
        '{% extends "documents/base.html" %}{% block content %}无印章{% endblock %}', encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    assert not rendering.template_has_seal_area(spec, "SJJ")


def test_r16_forms_print_the_party_once_in_word():
    spec, content = content_of("filing_approval")
    assert docx_text(rendering.render_docx(spec, content)).count("示例市鑫源食品贸易有限公司") == 1
