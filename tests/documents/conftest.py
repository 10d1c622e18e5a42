"""Fixtures of the documents tests: files go to a temporary media folder; ``issue`` issues a
sample document as officer1 of the market bureau."""
from __future__ import annotations

import datetime as dt

import pytest

from zhifa.core import clock
from zhifa.documents import samples
from zhifa.registry.access import actor_for

ISSUE_DAY = dt.date(2026, 10, 25)


@pytest.fixture(autouse=True)
def _files_in_tmp(media_root):
    """Every documents test stores its files under the shared ``media_root`` fixture's folder."""


@pytest.fixture
def actor(world):
    """``actor("officer1")`` → the Actor of a world user."""
    return lambda username: actor_for(world.users[username])


@pytest.fixture
def issue(world, actor):
    """``issue(kind, **overrides)`` → a Document of the market bureau issued by officer1 on ISSUE_DAY."""
    from zhifa.documents import services

    def make(kind="penalty_decision", *, data=None, username="officer1", body=None, day=ISSUE_DAY, subject="case:1"):
        with clock.frozen(day):
            return services.issue_document(
                kind=kind, body=body or world.market, data=data if data is not None else samples.sample(kind),
                actor=actor(username), subject=subject,
            )

    return make


def pdf_text(data: bytes) -> str:
    """All text of a PDF, as pypdf reads it, without whitespace (CJK line breaks split words)."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "".join("".join((page.extract_text() or "").split()) for page in reader.pages)


def docx_text(data: bytes) -> str:
    """All paragraph and table text of a DOCX, as python-docx reads it, without whitespace."""
    import io

    from docx import Document

    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "".join("".join(parts).split())
