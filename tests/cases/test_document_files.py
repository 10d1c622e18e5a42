"""R16 with a real case action in production's immediate rendering: when the action fails after
its document was rendered (here: the record entry cannot be written), the action's transaction
rolls back and the document's PDF and DOCX are deleted with it; nothing stays on disk."""
from __future__ import annotations

import pytest

from zhifa.cases import services as s
from zhifa.core import ledger
from zhifa.documents.models import Document


@pytest.fixture(autouse=True)
def _files_in_tmp(media_root):
    """Every test here stores its files under the shared ``media_root`` fixture's folder."""


def _files(media_root):
    return sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []


def test_r16_a_case_action_failing_after_rendering_leaves_no_document_file(cw, settings, media_root, monkeypatch):
    case = cw.register()
    settings.ZHIFA = {**settings.ZHIFA, "DOCUMENT_RENDERING": "immediate"}
    before = _files(media_root)
    rendered = []
    real_append = ledger.append

    def failing_append(stream, action, payload, **kw):
        if action == "file":
            rendered.extend(_files(media_root))  # the filing approval's files exist at this point …
            raise RuntimeError("全过程记录写入失败")
        return real_append(stream, action, payload, **kw)

    monkeypatch.setattr(ledger, "append", failing_append)
    o1, o2 = cw.officer("officer1"), cw.officer("officer2")
    with pytest.raises(RuntimeError):
        s.file_case(case.pk, officer_ids=[o1.pk, o2.pk], actor=cw.actor("head1"))
    assert len(rendered) == len(before) + 2
    assert _files(media_root) == before  # … and are gone with the rolled-back action
    assert not Document.objects.filter(subject=f"case:{case.pk}", kind="filing_approval").exists()

    monkeypatch.undo()
    s.file_case(case.pk, officer_ids=[o1.pk, o2.pk], actor=cw.actor("head1"))
    doc = Document.objects.get(subject=f"case:{case.pk}", kind="filing_approval")
    assert (media_root / doc.pdf.name).is_file() and (media_root / doc.docx.name).is_file()
