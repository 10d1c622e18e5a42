"""R16: issuing, numbering, voiding and re-issuing documents."""
from __future__ import annotations

import datetime as dt
import hashlib
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import connection

from zhifa.core import clock
from zhifa.core.violations import Refused
from zhifa.documents import rendering, samples, services
from zhifa.documents.models import Document, DocumentCounter

from .conftest import ISSUE_DAY, docx_text, pdf_text


def stored_files(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


def test_r16_issue_numbers_renders_and_stores_with_sha256(issue, world):
    doc = issue("penalty_decision")
    assert doc.number == "示市监处罚〔2026〕1号"
    assert (doc.body, doc.kind, doc.year, doc.seq, doc.version, doc.status) == (world.market, "penalty_decision", 2026, 1, 1, "issued")
    assert doc.issued_on == ISSUE_DAY and doc.subject == "case:1" and doc.issued_by == world.users["officer1"]
    pdf = default_storage.open(doc.pdf.name).read()
    docx = default_storage.open(doc.docx.name).read()
    assert hashlib.sha256(pdf).hexdigest() == doc.pdf_sha256
    assert hashlib.sha256(docx).hexdigest() == doc.docx_sha256
    text = pdf_text(pdf)
    for expected in ["示例市市场监督管理局", "行政处罚决定书", "示市监处罚〔2026〕1号", "示例市鑫源食品贸易有限公司", "2026年10月25日",
                     "60日内向示例市人民政府申请行政复议"]:
        assert expected in text
    assert "示市监处罚〔2026〕1号" in docx_text(docx)
    assert doc.data["remedies"]["reconsideration_days"] == 60


def test_r16_numbers_run_per_body_kind_and_year_without_gaps(issue, world):
    first, second = issue("penalty_decision"), issue("penalty_decision")
    notice = issue("penalty_notice")
    next_year = issue("penalty_decision", day=dt.date(2027, 1, 4))
    urban = issue("penalty_decision", username="officer_other", body=world.urban)
    assert [first.number, second.number] == ["示市监处罚〔2026〕1号", "示市监处罚〔2026〕2号"]
    assert notice.number == "示市监罚告〔2026〕1号"
    assert next_year.number == "示市监处罚〔2027〕1号"
    assert urban.number == "示城管处罚〔2026〕1号"


def test_r16_decision_missing_apl59_items_is_refused_and_nothing_stored(issue, media_root):
    data = samples.sample("penalty_decision")
    del data["facts"], data["evidence"], data["performance"]
    data["remedies"] = {"court": "示例市人民法院"}
    with pytest.raises(Refused) as refused:
        issue("penalty_decision", data=data)
    violations = refused.value.violations
    # The §F+ checker names its own failing rules besides (tests/documents/test_checks.py).
    assert {v.code for v in violations if v.code != "DOCUMENT_INCOMPLETE"} >= {
        "DECISION_FACTS_INCOMPLETE", "DECISION_EVIDENCE_INVALID", "DECISION_REMEDIES_INCOMPLETE"}
    assert {(v.code, v.message, v.basis) for v in violations if v.code == "DOCUMENT_INCOMPLETE"} == {
        ("DOCUMENT_INCOMPLETE", "缺少违法事实", "行政处罚法第五十九条"),
        ("DOCUMENT_INCOMPLETE", "缺少证据", "行政处罚法第五十九条"),
        ("DOCUMENT_INCOMPLETE", "缺少履行方式", "行政处罚法第五十九条"),
        ("DOCUMENT_INCOMPLETE", "缺少履行期限", "行政处罚法第五十九条"),
        ("DOCUMENT_INCOMPLETE", "缺少申请行政复议的途径（复议机关）", "行政处罚法第五十九条"),
    }
    assert not Document.objects.exists() and not DocumentCounter.objects.exists()
    assert stored_files(media_root) == []
    assert issue("penalty_decision").seq == 1  # the refusal used no number


def test_r16_missing_font_refuses_with_render_failed_and_stores_nothing(issue, settings, media_root):
    settings.ZHIFA = {**settings.ZHIFA, "DOCUMENT_FONT": "不存在的字体"}
    with pytest.raises(Refused) as refused:
        issue("penalty_decision")
    (violation,) = refused.value.violations
    assert violation.code == "DOCUMENT_RENDER_FAILED"
    assert "文书字体“不存在的字体”未安装" in violation.message
    assert not Document.objects.exists() and stored_files(media_root) == []


def test_r16_failure_after_numbering_rolls_back_the_number_and_the_files(issue, monkeypatch, media_root):
    issue("penalty_decision")

    def broken(*args, **kwargs):
        raise rendering.RenderFailed("Word 文书模板“document.docx”有误：测试")

    monkeypatch.setattr(rendering, "render_docx", broken)
    with pytest.raises(Refused) as refused:
        issue("penalty_decision")
    assert refused.value.violations[0].code == "DOCUMENT_RENDER_FAILED"
    assert DocumentCounter.objects.get().last_seq == 1
    assert Document.objects.count() == 1 and len(stored_files(media_root)) == 2
    monkeypatch.undo()
    assert issue("penalty_decision").seq == 2  # gapless


def test_r16_storage_failure_after_the_pdf_removes_the_pdf(issue, monkeypatch, media_root):
    real_save = default_storage.save

    def fail_on_docx(name, content, **kwargs):
        if name.endswith(".docx"):
            raise OSError("磁盘已满")
        return real_save(name, content, **kwargs)

    monkeypatch.setattr(default_storage, "save", fail_on_docx)
    with pytest.raises(OSError):
        issue("penalty_decision")
    assert stored_files(media_root) == [] and not DocumentCounter.objects.exists()


def test_r16_template_without_seal_area_cannot_issue_a_decision(issue, settings, tmp_path):
    (tmp_path / "documents" / "SJJ").mkdir(parents=True)
    (tmp_path / "documents" / "SJJ" / "decision.html").write_text(
        '{% extends "documents/base.html" %}{% block content %}{{ paragraphs }}{% endblock %}', encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    with pytest.raises(Refused) as refused:
        issue("penalty_decision")
    assert [(v.code, v.basis) for v in refused.value.violations] == [("DOCUMENT_INCOMPLETE", "行政处罚法第五十九条第二款")]


def test_r16_unknown_kind_and_missing_short_name_are_refused(issue, world):
    with pytest.raises(Refused) as refused:
        issue("poster", data={})
    assert refused.value.violations[0].code == "UNKNOWN_DOCUMENT_KIND"
    world.market.short_name = ""
    world.market.save()
    with pytest.raises(Refused) as refused:
        issue("penalty_decision")
    assert "简称" in refused.value.violations[0].message


@pytest.mark.parametrize("username", ["aux1", "officer_other", "supervisor"])
def test_r16_only_officers_of_the_body_issue_its_documents(issue, username):
    with pytest.raises(PermissionDenied):
        issue("penalty_decision", username=username)
    assert not Document.objects.exists()


def test_r16_void_keeps_the_number_and_says_void(issue, actor, media_root):
    doc = issue("penalty_decision")
    original_hash = doc.pdf_sha256
    with clock.frozen(ISSUE_DAY):
        voided = services.void_document(doc.pk, reason="当事人名称错误", actor=actor("officer2"))
    assert voided.status == "void" and voided.number == "示市监处罚〔2026〕1号"
    assert voided.pdf_sha256 == original_hash and default_storage.exists(voided.pdf.name)
    void_pdf = default_storage.open(voided.void_pdf.name).read()
    assert hashlib.sha256(void_pdf).hexdigest() == voided.void_pdf_sha256
    text = pdf_text(void_pdf)
    assert "作废" in text and "当事人名称错误" in text and "示市监处罚〔2026〕1号" in text
    assert "作废" in docx_text(default_storage.open(voided.void_docx.name).read())
    assert issue("penalty_decision").number == "示市监处罚〔2026〕2号"  # the void number is not reused
    with pytest.raises(Refused) as refused:
        services.void_document(doc.pk, reason="再次作废", actor=actor("officer1"))
    assert refused.value.violations[0].code == "WRONG_STATE"


def test_r16_void_needs_a_reason_and_an_officer_of_the_body(issue, actor):
    doc = issue("penalty_decision")
    with pytest.raises(Refused):
        services.void_document(doc.pk, reason=" ", actor=actor("officer1"))
    from django.http import Http404

    with pytest.raises(Http404):
        services.void_document(doc.pk, reason="错误", actor=actor("officer_other"))
    with pytest.raises(PermissionDenied):
        services.void_document(doc.pk, reason="错误", actor=actor("aux1"))


def test_r16_reissue_is_a_new_version_with_the_old_kept(issue, actor):
    doc = issue("penalty_decision")
    corrected = samples.sample("penalty_decision")
    corrected["party"]["name"] = "示例市鑫源食品贸易有限责任公司"
    with clock.frozen(dt.date(2026, 10, 27)):
        new = services.reissue_document(doc.pk, data=corrected, actor=actor("officer1"))
    doc.refresh_from_db()
    assert doc.status == "superseded" and new.status == "issued"
    assert (new.number, new.version, new.previous, new.subject) == (doc.number, 2, doc, "case:1")
    assert new.pdf.name != doc.pdf.name and default_storage.exists(doc.pdf.name)
    text = pdf_text(default_storage.open(new.pdf.name).read())
    assert "有限责任公司" in text and "（第2版）" in text and "2026年10月27日" in text
    with pytest.raises(Refused):
        services.reissue_document(doc.pk, data=corrected, actor=actor("officer1"))  # only the current version
    bad = samples.sample("penalty_decision")
    del bad["facts"]
    with pytest.raises(Refused):
        services.reissue_document(new.pk, data=bad, actor=actor("officer1"))
    new.refresh_from_db()
    assert new.status == "issued" and Document.objects.count() == 2


def test_r16_preview_has_no_number_and_stores_nothing(world, actor, media_root):
    with clock.frozen(ISSUE_DAY):
        pdf = services.preview_pdf(kind="penalty_decision", body=world.market, data=samples.sample("penalty_decision"), actor=actor("officer1"))
    assert "行政处罚决定书" in pdf_text(pdf)
    assert not DocumentCounter.objects.exists() and stored_files(media_root) == []


def test_r16_visible_documents_are_scoped_by_the_issuing_body(issue, actor):
    doc = issue("penalty_decision")
    assert list(services.visible_documents(actor("officer2"))) == [doc]
    assert list(services.visible_documents(actor("supervisor"))) == [doc]
    assert list(services.visible_documents(actor("officer_other"))) == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="并发编号测试需要 PostgreSQL（行锁）")
def test_r16_parallel_issues_get_unique_gapless_numbers_on_postgresql(media_root):
    from tests.factories import build_world
    from zhifa.registry.access import actor_for

    world = build_world(ISSUE_DAY)
    actors = [actor_for(world.users[name]) for name in ("officer1", "officer2", "head1", "reviewer1")]
    barrier = threading.Barrier(len(actors) * 2)
    results, errors = [], []

    def work(a):
        try:
            barrier.wait()
            doc = services.issue_document(kind="penalty_decision", body=world.market.pk, data=samples.sample("penalty_decision"), actor=a)
            results.append(doc.seq)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(a,)) for a in actors * 2]
    with clock.frozen(ISSUE_DAY):  # the clock is process-wide: freeze it once, around all threads
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert sorted(results) == list(range(1, len(threads) + 1))
    numbers = list(Document.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(threads)
    assert DocumentCounter.objects.get().last_seq == len(threads)


def test_r16_issue_void_and_reissue_record_on_the_document_stream(issue, actor, world):
    from zhifa.core.models import RecordEntry

    doc = issue("penalty_notice")
    corrected = services.reissue_document(doc.pk, data=samples.sample("penalty_notice"), actor=actor("officer1"))
    services.void_document(corrected.pk, reason="送达对象错误", actor=actor("officer1"))
    first = RecordEntry.objects.get(stream=f"document:{doc.pk}")
    assert (first.action, first.payload["number"], first.payload["subject"]) == ("issue", doc.number, "case:1")
    assert first.payload["data_sha256"] == services.data_sha256(doc) and first.actor_id == world.users["officer1"].pk
    entries = list(RecordEntry.objects.filter(stream=f"document:{corrected.pk}").order_by("seq"))
    assert [e.action for e in entries] == ["reissue", "void"]
    assert entries[0].payload["previous_id"] == doc.pk and entries[1].payload["reason"] == "送达对象错误"


def test_r16_a_document_recorded_by_its_callers_act_leaves_no_entry_of_its_own(world, actor):
    from zhifa.core import ledger
    from zhifa.core.models import RecordEntry
    from zhifa.core.usecase import use_case

    @use_case
    def case_action():
        with clock.frozen(dt.date(2026, 10, 25)):
            doc = services.issue_document(kind="penalty_notice", body=world.market, data=samples.sample("penalty_notice"),
                                          actor=actor("officer1"), subject="case:7", record=False)
        ledger.append("case:7", "notify", {"document_number": doc.number})
        return doc

    doc = case_action()
    assert not RecordEntry.objects.filter(stream=f"document:{doc.pk}").exists()
    assert RecordEntry.objects.get(stream="case:7").payload["document_number"] == doc.number
