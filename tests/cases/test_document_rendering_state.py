"""Issue 21 point 1: until the worker has rendered a case's documents, the case page and the case
API show 生成中 beside them (a download then renders once); afterwards the links alone."""
from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.cases import services as s
from zhifa.documents import services as documents
from zhifa.documents.models import Document

PASSWORD = "zhifa-demo"


@pytest.fixture
def filed(cw):
    case = cw.register()
    o1, o2 = cw.officer("officer1"), cw.officer("officer2")
    s.file_case(case.pk, officer_ids=[o1.pk, o2.pk], actor=cw.actor("head1"))
    return case


def test_r16_case_page_shows_rendering_until_the_files_exist(filed, world):
    client = Client()
    assert client.login(username="officer1", password=PASSWORD)
    doc = Document.objects.get(subject=f"case:{filed.pk}", kind="filing_approval")
    page = client.get(reverse("cases:detail", args=[filed.pk])).content.decode()
    assert doc.number in page and 'data-testid="document-pending"' in page and "生成中" in page
    documents.ensure_rendered(doc)
    page = client.get(reverse("cases:detail", args=[filed.pk])).content.decode()
    assert 'data-testid="document-pending"' not in page and f"/api/v1/documents/{doc.pk}.pdf" in page


def test_r16_case_documents_api_says_rendering_then_rendered(filed, api_as):
    client = api_as("officer1")
    items = client.get(f"/api/v1/cases/{filed.pk}/documents").json()["items"]
    assert items and all(i["rendered"] is False and i["files_label"] == "生成中" for i in items)
    for doc in Document.objects.filter(subject=f"case:{filed.pk}"):
        documents.ensure_rendered(doc)
    items = client.get(f"/api/v1/cases/{filed.pk}/documents").json()["items"]
    assert all(i["rendered"] is True and i["files_label"] == "已生成" and i["pdf_sha256"] for i in items)
