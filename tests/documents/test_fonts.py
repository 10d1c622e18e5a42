"""Fonts prepared once for documents (issue 21 point 2, docs/documents.md §十): the CJK faces are
reduced once to the characters official documents use; a rare character falls back to the full
system face; the rendered files stay byte for byte a function of the data."""
from __future__ import annotations

import io
import time
import zipfile

import pypdf
import pytest

from zhifa.documents import fonts, rendering

from .test_rendering import content_of


def _font_names(pdf: bytes) -> set[str]:
    names = set()
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def test_r16_document_charset_covers_gb2312_and_document_punctuation():
    charset = set(fonts.document_charset())
    assert len(charset) > 7000
    for text in ("行政处罚决定书", "〔2026〕", "（大写：伍仟元整）", "①", "Ⅲ", "□", "“”《》、；：", "罚款人民币5000.00元"):
        assert {ord(c) for c in text} <= charset, text
    assert ord("堃") not in charset  # a rare name character: printed from the system face


def test_r16_prepared_face_is_small_and_built_once(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    body_font, _ = rendering.fonts()
    first = fonts.prepared_face(body_font)
    assert first is not None and first.parent == tmp_path / "fonts"
    assert first.stat().st_size < 8_000_000  # the system face is 20–26 MB
    stamp = first.stat().st_mtime_ns
    fonts._prepared_face.cache_clear()
    assert fonts.prepared_face(body_font) == first and first.stat().st_mtime_ns == stamp  # reused, not rebuilt


def test_r16_unknown_font_has_no_prepared_face():
    assert fonts.prepared_face("No Such Font SC") is None


def test_r16_font_stack_names_the_prepared_face_then_the_system_face():
    assert fonts.font_stack("Noto Serif CJK SC", "serif") == '"Zhifa Noto Serif CJK SC", "Noto Serif CJK SC", serif'
    assert '"' not in fonts.font_stack('Evil"; } body { x', "serif").split(", ")[1][1:-1]


def test_r16_decision_pdf_uses_the_prepared_faces():
    spec, content = content_of("penalty_decision")
    names = _font_names(rendering.render_pdf(spec, content))
    assert any(name.startswith("Zhifa-") for name in names), names
    assert not any(name.startswith("Noto-") for name in names), names  # every character was in the prepared faces


def test_r16_rare_characters_fall_back_to_the_system_face():
    spec, content = content_of("penalty_decision")
    content["party_lines"] = [("当事人", "示例市王堃喆龘有限公司"), *content["party_lines"][1:]]
    pdf = rendering.render_pdf(spec, content)
    assert "王堃喆龘有限公司" in pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    names = _font_names(pdf)
    assert any(name.startswith("Zhifa-") for name in names) and any(name.startswith("Noto-Serif") for name in names), names


@pytest.mark.parametrize("kind", ["penalty_decision", "inquiry_record", "service_receipt"])
def test_r16_rendering_is_byte_for_byte_reproducible(kind):
    spec, content = content_of(kind)
    pdf, docx = rendering.render_pdf(spec, content), rendering.render_docx(spec, content)
    rendering.render_pdf(*content_of("reminder"))  # another document in between: no state carries over
    time.sleep(2.1)  # zip entry times have a two-second resolution
    assert rendering.render_pdf(spec, content) == pdf
    assert rendering.render_docx(spec, content) == docx
    assert {info.date_time for info in zipfile.ZipFile(io.BytesIO(docx)).infolist()} == {rendering.ZIP_EPOCH}
