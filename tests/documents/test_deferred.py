"""Deferred rendering (延迟生成): the document is checked, numbered and stored with its data in the
issuing transaction; its PDF and DOCX are rendered once, on first download or by
``zhifa render-documents``, and stored with their SHA-256 (docs/documents.md)."""
from __future__ import annotations

import hashlib
from unittest import mock

import pytest
from django.core.management import call_command

from tests.documents.conftest import pdf_text
from zhifa.core.violations import Refused
from zhifa.documents import rendering, samples, services
from zhifa.documents.models import Document


@pytest.fixture
def deferred(settings):
    settings.ZHIFA = {**settings.ZHIFA, "DOCUMENT_RENDERING": "deferred"}


def test_r16_deferred_issue_numbers_and_stores_data_without_files(issue, deferred):
    with mock.patch.object(rendering, "render_pdf") as render:
        doc = issue("penalty_decision")
    render.assert_not_called()
    assert doc.number == "示市监处罚〔2026〕1号" and doc.pdf.name == "" and doc.pdf_sha256 == ""
    assert doc.data["party"]["name"] == samples.PARTY["name"] and len(services.data_sha256(doc)) == 64


def test_r16_deferred_issue_still_refuses_incomplete_data_and_missing_fonts(issue, deferred, settings):
    data = samples.sample("penalty_decision")
    del data["remedies"]
    with pytest.raises(Refused) as refused:
        issue("penalty_decision", data=data)
    assert "缺少申请行政复议的途径（复议机关）" in str(refused.value)
    settings.ZHIFA = {**settings.ZHIFA, "DOCUMENT_FONT": "No Such Font SC"}
    with pytest.raises(Refused) as refused:
        issue("reminder")
    assert refused.value.violations[0].code == "DOCUMENT_RENDER_FAILED"
    assert not Document.objects.exists()


def test_r16_first_download_renders_once_and_keeps_the_hash(issue, deferred, api_as, media_root):
    doc = issue("penalty_decision")
    client = api_as("officer1")
    first = b"".join(client.get(f"/api/v1/documents/{doc.pk}.pdf").streaming_content)
    doc.refresh_from_db()
    assert doc.pdf_sha256 == hashlib.sha256(first).hexdigest() and doc.docx_sha256
    assert doc.number in pdf_text(first)
    with mock.patch.object(rendering, "render_pdf") as render:
        again = b"".join(client.get(f"/api/v1/documents/{doc.pk}.pdf").streaming_content)
    render.assert_not_called()
    assert again == first
    assert client.get(f"/api/v1/documents/{doc.pk}").json()["pdf_sha256"] == doc.pdf_sha256
    assert api_as("officer_other").get(f"/api/v1/documents/{doc.pk}.pdf").status_code == 404


def test_r16_download_that_cannot_render_is_refused_and_renders_later(issue, deferred, api_as):
    doc = issue("reminder")
    client = api_as("officer1")
    with mock.patch.object(rendering, "render_pdf", side_effect=rendering.RenderFailed("模板有误")):
        response = client.get(f"/api/v1/documents/{doc.pk}.pdf")
    assert response.status_code == 409 and response.json()["violations"][0]["code"] == "DOCUMENT_RENDER_FAILED"
    doc.refresh_from_db()
    assert doc.pdf.name == "" and doc.pdf_sha256 == ""
    assert client.get(f"/api/v1/documents/{doc.pk}.pdf").status_code == 200


def test_r16_void_and_reissue_in_deferred_mode(issue, deferred, actor, api_as):
    doc = issue("penalty_notice")
    voided = services.void_document(doc.pk, reason="当事人名称有误", actor=actor("officer1"))
    assert voided.status == "void" and voided.void_pdf.name == ""
    text = pdf_text(b"".join(api_as("officer1").get(f"/api/v1/documents/{doc.pk}.pdf").streaming_content))
    assert "作废" in text
    voided.refresh_from_db()
    assert voided.pdf_sha256 and voided.void_pdf_sha256 and voided.pdf_sha256 != voided.void_pdf_sha256
    other = issue("penalty_notice")
    data = samples.sample("penalty_notice") | {"contact": "王芳 0990-7654321"}
    second = services.reissue_document(other.pk, data=data, actor=actor("officer1"))
    assert second.version == 2 and second.number == other.number and second.pdf.name == ""
    assert "王芳0990-7654321" in pdf_text(b"".join(api_as("officer1").get(f"/api/v1/documents/{second.pk}.pdf").streaming_content))


def test_r16_render_documents_command_renders_what_is_pending(issue, deferred, capsys):
    for kind in ("penalty_decision", "reminder", "service_receipt"):
        issue(kind, subject="case:9")
    issue("closing_approval", subject="inspection:1")
    call_command("render_documents", subject="case:")
    assert "已生成 3 份" in capsys.readouterr().out
    assert not Document.objects.filter(subject="case:9", pdf="").exists()
    assert Document.objects.filter(subject="inspection:1", pdf="").exists()
    call_command("render_documents")
    call_command("render_documents")
    assert "已生成 0 份" in capsys.readouterr().out.splitlines()[-1]


def test_r16_render_mode_overrides_the_setting(issue, settings):
    settings.ZHIFA = {**settings.ZHIFA, "DOCUMENT_RENDERING": "immediate"}
    with services.render_mode(services.DEFERRED):
        assert issue("reminder").pdf.name == ""
    assert issue("reminder").pdf.name.endswith(".pdf")
    with pytest.raises(ValueError):
        with services.render_mode("later"):
            pass
