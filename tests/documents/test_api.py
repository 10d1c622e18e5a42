"""R16: document downloads by id, scoped by the issuing body (contract.md: 404 when not visible)."""
from __future__ import annotations

import hashlib

import pytest

from zhifa.core import clock
from zhifa.documents import services

from .conftest import ISSUE_DAY, docx_text, pdf_text



def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_r16_officer_downloads_pdf_and_docx_matching_their_hashes(issue, api_as):
    doc = issue("penalty_decision")
    client = api_as("officer2")
    pdf = client.get(f"/api/v1/documents/{doc.pk}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "attachment" in pdf["Content-Disposition"]
    content = body_of(pdf)
    assert hashlib.sha256(content).hexdigest() == doc.pdf_sha256
    assert "示市监处罚〔2026〕1号" in pdf_text(content)
    inline = client.get(f"/api/v1/documents/{doc.pk}.pdf", inline="true")
    assert inline.status_code == 200 and "inline" in inline["Content-Disposition"]
    docx = client.get(f"/api/v1/documents/{doc.pk}.docx")
    assert docx.status_code == 200 and "wordprocessingml" in docx["Content-Type"]
    assert hashlib.sha256(body_of(docx)).hexdigest() == doc.docx_sha256


def test_r16_document_detail(issue, api_as):
    doc = issue("penalty_decision")
    response = api_as("officer1").get(f"/api/v1/documents/{doc.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == "示市监处罚〔2026〕1号" and body["status_label"] == "有效"
    assert body["pdf_sha256"] == doc.pdf_sha256 and body["pdf_url"] == f"/api/v1/documents/{doc.pk}.pdf"


@pytest.mark.parametrize("username,status", [("officer1", 200), ("supervisor", 200), ("admin", 200), ("officer_other", 404)])
def test_r16_downloads_are_scoped_by_the_issuing_body(issue, api_as, username, status):
    doc = issue("penalty_decision")
    assert api_as(username).get(f"/api/v1/documents/{doc.pk}.pdf").status_code == status
    assert api_as(username).get(f"/api/v1/documents/{doc.pk}").status_code == status


def test_r16_anonymous_and_unknown_ids(issue, api_as):
    doc = issue("penalty_decision")
    assert api_as(None).get(f"/api/v1/documents/{doc.pk}.pdf").status_code == 401
    assert api_as("officer1").get("/api/v1/documents/999999.pdf").status_code == 404
    assert api_as("officer1").get("/api/v1/documents/0").status_code in (404, 422)
    assert api_as("officer1").get("/api/v1/documents/99999999999999999999.pdf").status_code == 422  # never a 500


def test_r16_void_document_downloads_marked_void(issue, api_as, actor):
    doc = issue("penalty_decision")
    with clock.frozen(ISSUE_DAY):
        services.void_document(doc.pk, reason="文号错误", actor=actor("officer1"))
    client = api_as("officer1")
    response = client.get(f"/api/v1/documents/{doc.pk}.pdf")
    assert "作废" in pdf_text(body_of(response))
    assert "作废" in docx_text(body_of(client.get(f"/api/v1/documents/{doc.pk}.docx")))
    assert client.get(f"/api/v1/documents/{doc.pk}").json()["status_label"] == "作废"


def test_r16_detail_query_count(issue, api_as, django_assert_max_num_queries):
    docs = [issue("penalty_decision") for _ in range(2)]
    client = api_as("officer1")
    with django_assert_max_num_queries(5):  # token, actor (officer, post), document with body
        assert client.get(f"/api/v1/documents/{docs[1].pk}").status_code == 200


def test_r16_preview_in_the_browser_and_refusals_as_409(api_as, world):
    from zhifa.documents import samples
    from zhifa.documents.models import DocumentCounter

    client = api_as("officer1")
    with clock.frozen(ISSUE_DAY):
        response = client.post("/api/v1/documents/preview", {"kind": "penalty_decision", "data": samples.sample("penalty_decision")})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "行政处罚决定书" in pdf_text(response.content) and not DocumentCounter.objects.exists()
    refused = client.post("/api/v1/documents/preview", {"kind": "penalty_decision", "data": {"party": {"name": "某公司"}}})
    assert refused.status_code == 409
    violations = refused.json()["violations"]
    assert {"code": "DOCUMENT_INCOMPLETE", "message": "缺少违法事实", "basis": "行政处罚法第五十九条"} in violations
    assert len(violations) >= 10
    other = api_as("officer_other").post(
        "/api/v1/documents/preview", {"kind": "penalty_decision", "body_id": world.market.pk, "data": {}})
    assert other.status_code == 403
    assert client.post("/api/v1/documents/preview", {"kind": "x" * 50}).status_code == 422
