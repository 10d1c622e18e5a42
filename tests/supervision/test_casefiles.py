"""Case files (卷宗, R31): bound on archiving in procedural order, the binding hash on the case's
chain, re-binding as a recorded correction with a new version, the PDF with page numbers."""
from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied

from zhifa.cases import hooks
from zhifa.cases import services as s
from zhifa.core import ledger
from zhifa.core.ledger import RecordEntry
from zhifa.core.violations import Refused
from zhifa.supervision.models import CaseFile
from zhifa.supervision.rules import casefile as rules
from zhifa.supervision.services import casefiles

pytestmark = pytest.mark.django_db


def codes(exc) -> list[str]:
    return [v.code for v in exc.value.violations]


def test_r31_archiving_binds_the_file_in_procedural_order_and_records_its_hash(cw):
    case = cw.walk(cw.register(), "archived")
    cf = CaseFile.objects.get(case=case)
    assert cf.version == 1
    stages = [rules.STAGE_INDEX[e["stage"]] for e in cf.contents]
    assert stages == sorted(stages)
    kinds = [e["kind"] for e in cf.contents]
    assert kinds[0] == "filing_approval" and kinds[-1] == "closing_approval"
    assert kinds.index("penalty_notice") < kinds.index("penalty_decision") < kinds.index("service_receipt")
    entries = list(RecordEntry.objects.filter(stream=case.stream).order_by("seq"))
    bind, archive = entries[-2], entries[-1]
    assert bind.action == "bind_file" and bind.payload["binding_sha256"] == cf.binding_sha256
    assert archive.action == "archive" and archive.payload["binding_sha256"] == cf.binding_sha256
    assert ledger.verify(case.stream) is None


def test_r31_archiving_is_refused_without_a_binder(cw, monkeypatch):
    case = cw.walk(cw.register(), "closed")
    monkeypatch.setattr(hooks, "_archive_binder", [])
    with pytest.raises(Refused) as exc:
        s.archive_case(case.pk, actor=cw.actor("officer1"))
    assert codes(exc) == ["CASE_FILE_REQUIRED"]
    case.refresh_from_db()
    assert case.state == "closed" and not CaseFile.objects.filter(case=case).exists()


def test_r31_a_file_bound_before_archiving_is_not_bound_again_when_unchanged(cw):
    case = cw.walk(cw.register(), "closed")
    first = casefiles.bind_case_file(case.pk, actor=cw.actor("officer1"))
    s.archive_case(case.pk, actor=cw.actor("officer1"))
    assert list(CaseFile.objects.filter(case=case).values_list("version", flat=True)) == [first.version]


def test_r31_rebinding_is_a_recorded_correction_with_a_reason_and_a_new_version(cw):
    case = cw.walk(cw.register(), "archived")
    with pytest.raises(Refused) as exc:
        casefiles.bind_case_file(case.pk, actor=cw.actor("officer1"))
    assert codes(exc) == ["REASON_REQUIRED"]
    second = casefiles.bind_case_file(case.pk, reason="更正送达回证后重新装订", actor=cw.actor("officer1"))
    assert second.version == 2 and CaseFile.objects.filter(case=case).count() == 2
    last = RecordEntry.objects.filter(stream=case.stream).order_by("-seq").first()
    assert last.action == "bind_file" and last.payload["reason"] == "更正送达回证后重新装订"


def test_r31_an_open_case_cannot_be_bound_and_other_bodies_cannot_bind(cw):
    case = cw.walk(cw.register(), "served")
    with pytest.raises(Refused) as exc:
        casefiles.bind_case_file(case.pk, actor=cw.actor("officer1"))
    assert codes(exc) == ["WRONG_STATE"]
    closed = cw.walk(cw.register(party_name="另一家商贸有限公司", party_id_code="91650200MA0000002Y"), "closed")
    with pytest.raises(PermissionDenied):
        casefiles.bind_case_file(closed.pk, actor=cw.actor("aux1"))


def test_r31_the_pdf_has_cover_index_numbered_pages_and_notes_with_its_hash_on_the_chain(cw, media_root):
    from pypdf import PdfReader

    case = cw.walk(cw.register(), "archived")
    cf = casefiles.ensure_case_file_pdf(CaseFile.objects.get(case=case).pk)
    assert cf.pdf and len(cf.pdf_sha256) == 64 and cf.page_count >= len(cf.contents)
    reader = PdfReader(io.BytesIO(cf.pdf.read()))
    assert len(reader.pages) >= cf.page_count + 3  # cover, index, notes
    first_numbered = len(reader.pages) - cf.page_count - 1
    assert "- 1 -" in reader.pages[first_numbered].extract_text()
    assert cf.contents[0]["first_page"] == 1 and cf.contents[-1]["last_page"] == cf.page_count
    entry = RecordEntry.objects.filter(stream=case.stream).order_by("-seq").first()
    assert entry.action == "case_file_rendered" and entry.payload["pdf_sha256"] == cf.pdf_sha256
    assert casefiles.ensure_case_file_pdf(cf.pk).pdf_sha256 == cf.pdf_sha256  # made once


def test_r31_case_file_api_reads_versions_and_refuses_other_bodies(cw, api_as, media_root):
    case = cw.walk(cw.register(), "archived")
    officer, supervisor, other = api_as("officer1"), api_as("supervisor"), api_as("officer_other")
    body = supervisor.get(f"/api/v1/case-files/{case.pk}").json()
    assert body["version"] == 1 and body["contents"][0]["kind"] == "filing_approval" and len(body["binding_sha256"]) == 64
    assert other.get(f"/api/v1/case-files/{case.pk}").status_code == 404
    assert officer.post(f"/api/v1/case-files/{case.pk}/bindings", {"reason": ""}).status_code == 422
    rebound = officer.post(f"/api/v1/case-files/{case.pk}/bindings", {"reason": "补正文书后重新装订"})
    assert rebound.status_code == 201 and [v["version"] for v in rebound.json()["versions"]] == [2, 1]
    assert officer.get(f"/api/v1/case-files/{case.pk}", version=1).json()["version"] == 1
    assert supervisor.post(f"/api/v1/case-files/{case.pk}/bindings", {"reason": "监督机构不能装订"}).status_code == 403
    pdf = officer.get(f"/api/v1/case-files/{case.pk}/pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_r31_evidence_is_listed_by_hash_with_its_pages_in_the_numbering(cw, media_root):
    from zhifa.cases.models import Evidence

    case = cw.walk(cw.register(), "closed")
    walked = list(Evidence.objects.filter(case=case).order_by("collected_on", "pk").values_list("sha256", flat=True))  # the walk's record
    assert walked
    for i in range(15):
        Evidence.objects.create(case=case, kind="video", title=f"执法记录仪视频{i}", sha256=f"{i:064x}", size=10**8,
                                collected_on=case.filed_on, file=f"evidence/{case.pk}/missing-{i}.mp4")  # never read
    cf = casefiles.ensure_case_file_pdf(casefiles.bind_case_file(case.pk, actor=cw.actor("officer1")).pk)
    listed = next(e for e in cf.contents if e["kind"] == "evidence_list")
    assert [e["sha256"] for e in cf.evidence] == walked + [f"{i:064x}" for i in range(15)]
    assert listed["last_page"] >= listed["first_page"] and cf.contents[-1]["last_page"] == cf.page_count
    ranges = [(e["first_page"], e["last_page"]) for e in cf.contents]
    assert all(b[0] == a[1] + 1 for a, b in zip(ranges, ranges[1:]))  # continuous numbering


def test_r31_in_worker_mode_the_file_pdf_is_made_by_the_worker_not_in_the_archive_request(cw, monkeypatch):
    """Documents rendered by the worker (issue 21): archiving binds the file (contents, hash) and
    queues its PDF; the worker's task makes it once and records its hash on the case's chain."""
    from zhifa.documents.modes import render_mode
    from zhifa.supervision import tasks

    from types import SimpleNamespace

    queued, task = [], tasks.render_case_file
    monkeypatch.setattr(tasks, "render_case_file", SimpleNamespace(enqueue=queued.append))
    case = cw.walk(cw.register(), "closed")
    with render_mode("worker"):
        s.archive_case(case.pk, actor=cw.actor("officer1"))
    cf = CaseFile.objects.get(case=case)
    assert queued == [cf.pk] and not cf.pdf and cf.binding_sha256
    assert task.func(cf.pk) == "已生成"
    cf.refresh_from_db()
    assert cf.pdf and cf.page_count > 0
    assert RecordEntry.objects.filter(stream=case.stream, action="case_file_rendered").count() == 1
    assert ledger.verify(case.stream) is None


def test_r31_the_file_pdf_is_merged_without_rerendering_and_reproducible_byte_for_byte(cw, media_root):
    """Binding speed (issue 17): the documents' PDFs are merged as rendered (their pages copied,
    numbers stamped), only cover, index, evidence list and notes are laid out; making the same
    binding's PDF again gives the same bytes, so its SHA-256 can be re-checked by anyone."""
    from pypdf import PdfReader

    from zhifa.documents import rendering

    case = cw.walk(cw.register(), "archived")
    cf = casefiles.ensure_case_file_pdf(CaseFile.objects.get(case=case).pk)
    first = cf.pdf_sha256
    calls = []
    original = rendering.render_pdf
    rendering.render_pdf = lambda *a, **k: calls.append(a) or original(*a, **k)
    try:
        CaseFile.objects.filter(pk=cf.pk).update(pdf="", pdf_sha256="")
        again = casefiles.ensure_case_file_pdf(cf.pk)
    finally:
        rendering.render_pdf = original
    assert again.pdf_sha256 == first and calls == []  # no document re-rendered
    pages = PdfReader(io.BytesIO(again.pdf.read())).pages
    numbered = [p.extract_text() for p in pages]
    assert sum(f"- {n} -" in text for n in range(1, cf.page_count + 1) for text in numbered) >= cf.page_count
