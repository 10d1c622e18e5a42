"""The case workflow produces its documents (issue 4 item 4, issue 5): every action the law ties to
a document issues it through the document set in the action's transaction, the record entry
carries its number and hashes, a rendering failure or an incomplete document refuses the action
and leaves no trace, and the API lists and serves the case's documents within the case's scope."""
from __future__ import annotations

import hashlib
from decimal import Decimal
from unittest import mock

import pytest

from tests.documents.conftest import docx_text, pdf_text
from zhifa.cases import paperwork
from zhifa.cases import services as s
from zhifa.cases.models import Case, Decision
from zhifa.core import ledger
from zhifa.core.models import RecordEntry
from zhifa.core.violations import Refused
from zhifa.documents import rendering
from zhifa.documents.models import Document, DocumentCounter


@pytest.fixture(autouse=True)
def _files_in_tmp(media_root):
    """Every test here stores its files under the shared ``media_root`` fixture's folder."""


@pytest.fixture
def immediate(settings):
    """Production's rendering: the PDF and DOCX are made and stored in the action's transaction."""
    settings.ZHIFA = {**settings.ZHIFA, "DOCUMENT_RENDERING": "immediate"}


def _docs(case):
    return list(Document.objects.filter(subject=f"case:{case.pk}").order_by("pk"))


def _entries(case, action):
    return [e for e in RecordEntry.objects.filter(stream=case.stream).order_by("seq") if e.action == action]


def test_r16_decision_of_a_real_decide_action_opens_with_pypdf(cw, settings, media_root):
    case = cw.walk(cw.register(), "notified")
    settings.ZHIFA = {**settings.ZHIFA, "DOCUMENT_RENDERING": "immediate"}
    s.waive_defence(case.pk, actor=cw.actor("officer1"))
    s.decide(case.pk, outcome="penalty", kinds=["fine"], amount=Decimal("5000"), reasoning="当事人销售过期食品，依法应予处罚。",
             actor=cw.actor("head1"))
    doc = Document.objects.get(subject=case.stream, kind="penalty_decision")
    pdf = (media_root / doc.pdf.name).read_bytes()
    assert hashlib.sha256(pdf).hexdigest() == doc.pdf_sha256
    text = pdf_text(pdf)
    assert doc.number.startswith("示市监处罚〔2026〕")
    for expected in ("行政处罚决定书", doc.number, "示例商贸有限公司", "示例市人民路2号", "罚款人民币5000.00元",
                     "60日内向示例市人民政府申请行政复议", "6个月内依法向示例市人民法院提起行政诉讼", "示例市市场监督管理局",
                     "《中华人民共和国食品安全法》第一百二十四条", "十五日内"):
        assert expected in text, expected
    assert "罚款人民币5000.00元" in docx_text((media_root / doc.docx.name).read_bytes())
    entry = _entries(case, "decide")[-1]
    assert entry.payload["document"] == "penalty_decision" and entry.payload["document_number"] == doc.number
    assert entry.payload["pdf_sha256"] == doc.pdf_sha256 and entry.payload["docx_sha256"] == doc.docx_sha256
    assert ledger.verify(case.stream) is None


def test_r16_every_step_of_a_full_case_issues_its_document_with_number_and_hashes(cw):
    case = cw.walk(cw.register(), "archived")
    kinds = [d.kind for d in _docs(case)]
    assert kinds == ["filing_approval", "investigation_report", "penalty_notice", "penalty_decision", "service_receipt",
                     "closing_approval"]
    by_number = {d.number: d for d in _docs(case)}
    entries = [e for e in RecordEntry.objects.filter(stream=case.stream).order_by("seq") if e.payload.get("document_number")]
    assert [e.action for e in entries] == ["file", "end_investigation", "notify", "decide", "serve", "close"]
    for e in entries:
        doc = by_number[e.payload["document_number"]]
        assert e.payload["documents"][0]["data_sha256"] == paperwork.documents.data_sha256(doc)
    receipt = next(d for d in _docs(case) if d.kind == "service_receipt")
    decision = next(d for d in _docs(case) if d.kind == "penalty_decision")
    assert receipt.data["served_documents"] == [{"title": "行政处罚决定书", "number": decision.number}]
    closing = next(d for d in _docs(case) if d.kind == "closing_approval")
    assert closing.data["decision_number"] == decision.number and "缴清" in closing.data["execution"]
    notice = next(d for d in _docs(case) if d.kind == "penalty_notice")
    assert notice.data["proposed_penalty"] == "罚款人民币5000.00元" and notice.data["defence_days"] == 5


def test_r16_coercion_documents_name_the_seizure_decision(cw):
    case = cw.walk(cw.register(), "investigating")
    s.record_evidence(case.pk, kind="video", title="扣押现场录像", act="detention", actor=cw.actor("officer1"))
    seizure = s.seize(case.pk, kind="detention", items=[{"name": "过期挂面", "quantity": 46, "unit": "袋"}], actor=cw.actor("officer1"))
    s.record_testing(case.pk, seizure_id=seizure.pk, days=5, actor=cw.actor("officer1"))
    s.extend_seizure(case.pk, seizure_id=seizure.pk, reason="需进一步检验", actor=cw.actor("head1"))
    s.release_seizure(case.pk, seizure_id=seizure.pk, actor=cw.actor("officer1"))
    docs = {d.kind: d for d in _docs(case)}
    decision = docs["seizure_decision"]
    assert decision.data["measure"] == "扣押" and decision.data["items"][0]["quantity"] == "46"
    assert docs["property_list"].data["related_number"] == decision.number
    for kind in ("testing_period_notice", "seizure_extension_decision", "seizure_release_decision"):
        assert docs[kind].data["original_number"] == decision.number
    entry = _entries(case, "seize")[-1]
    assert [d["kind"] for d in entry.payload["documents"]] == ["seizure_decision", "property_list"]


def test_r16_incomplete_document_refuses_the_action_with_its_violations(cw, api_as):
    case = cw.walk(cw.register(), "investigating")
    version = Case.objects.get(pk=case.pk).version
    response = api_as("head1").post(f"/api/v1/cases/{case.pk}/actions/preserve", {"items": []})
    assert response.status_code == 409
    assert {"code": "DOCUMENT_INCOMPLETE", "message": "缺少证据物品清单", "basis": "行政处罚法第五十六条"} in response.json()["violations"]
    case.refresh_from_db()
    assert case.preserved_on is None and case.version == version and not _entries(case, "preserve")


def test_r16_rendering_failure_refuses_the_action_and_leaves_no_trace(cw, immediate, media_root, api_as):
    case = cw.walk(cw.register(), "notified")
    s.waive_defence(case.pk, actor=cw.actor("officer1"))
    entries = RecordEntry.objects.filter(stream=case.stream).count()
    counters = list(DocumentCounter.objects.values_list("kind", "last_seq"))
    docs = Document.objects.count()
    files_before = sorted(p.name for p in media_root.rglob("*") if p.is_file())
    with mock.patch.object(rendering, "render_docx", side_effect=rendering.RenderFailed("文书字体“Noto Serif CJK SC”未安装")):
        with pytest.raises(Refused) as refused:
            s.decide(case.pk, outcome="penalty", kinds=["fine"], amount=Decimal("5000"), reasoning="当事人销售过期食品，违法事实清楚，证据确凿，依法应予处罚。", actor=cw.actor("head1"))
        response = api_as("head1").post(f"/api/v1/cases/{case.pk}/actions/decide",
                                         {"outcome": "penalty", "kinds": ["fine"], "amount": "5000", "reasoning": "当事人销售过期食品，违法事实清楚，证据确凿，依法应予处罚。"})
    assert [v.code for v in refused.value.violations] == ["DOCUMENT_RENDER_FAILED"]
    assert response.status_code == 409
    assert response.json()["violations"][0]["code"] == "DOCUMENT_RENDER_FAILED" and "未安装" in response.json()["violations"][0]["message"]
    case.refresh_from_db()
    assert case.state == "notified" and case.decided_on is None and not Decision.objects.filter(case=case).exists()
    assert RecordEntry.objects.filter(stream=case.stream).count() == entries
    assert Document.objects.count() == docs and list(DocumentCounter.objects.values_list("kind", "last_seq")) == counters
    assert sorted(p.name for p in media_root.rglob("*") if p.is_file()) == files_before  # the PDF already written was removed
    # Fixed: the same action succeeds and takes the number the failures did not use.
    s.decide(case.pk, outcome="penalty", kinds=["fine"], amount=Decimal("5000"), reasoning="当事人销售过期食品，违法事实清楚，证据确凿，依法应予处罚。", actor=cw.actor("head1"))
    assert Document.objects.get(subject=case.stream, kind="penalty_decision").seq == 1


def test_r16_case_documents_endpoint_lists_and_serves_within_scope(cw, api_as, world):
    case = cw.walk(cw.register(), "decided")
    other = cw.walk(cw.register(party_name="另一家公司"), "investigating")
    officer = api_as("officer1")
    page = officer.get(f"/api/v1/cases/{case.pk}/documents").json()
    assert page["count"] == 4
    assert [d["kind"] for d in page["items"]] == ["filing_approval", "investigation_report", "penalty_notice", "penalty_decision"]
    decision = page["items"][-1]
    assert decision["title"] == "行政处罚决定书" and decision["status"] == "issued" and decision["version"] == 1
    assert decision["rendered"] is False and decision["pdf_sha256"] == ""  # deferred rendering in the case tests
    pdf = officer.get(decision["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    body = b"".join(pdf.streaming_content)
    assert body.startswith(b"%PDF") and "示例商贸有限公司" in pdf_text(body)
    stored = Document.objects.get(pk=decision["id"])
    assert stored.pdf_sha256 == hashlib.sha256(body).hexdigest()  # rendered once, on first download, and kept
    assert officer.get(f"/api/v1/cases/{case.pk}/documents").json()["items"][-1]["pdf_sha256"] == stored.pdf_sha256
    inline = officer.get(decision["preview_url"])
    assert inline.status_code == 200 and inline["Content-Disposition"].startswith("inline")
    docx = officer.get(decision["docx_url"])
    assert docx.status_code == 200 and "示例商贸有限公司" in docx_text(b"".join(docx.streaming_content))
    # Scope: another body's officer gets 404 everywhere; the city's supervisor reads them.
    stranger = api_as("officer_other")
    assert stranger.get(f"/api/v1/cases/{case.pk}/documents").status_code == 404
    assert stranger.get(decision["pdf_url"]).status_code == 404
    assert stranger.get(decision["docx_url"]).status_code == 404
    assert api_as("supervisor").get(f"/api/v1/cases/{case.pk}/documents").json()["count"] == 4
    # A document of one case is not served under another case's address.
    assert officer.get(f"/api/v1/cases/{other.pk}/documents/{decision['id']}.pdf").status_code == 404
    assert api_as(None).get(f"/api/v1/cases/{case.pk}/documents").status_code == 401


def test_r16_case_documents_endpoint_costs_constant_queries(cw, api_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    officer = api_as("officer1")
    few_case = cw.walk(cw.register(), "investigating")
    many_case = cw.walk(cw.register(party_name="另一家公司"), "archived")
    officer.get(f"/api/v1/cases/{few_case.pk}/documents")
    with CaptureQueriesContext(connection) as few:
        officer.get(f"/api/v1/cases/{few_case.pk}/documents")
    with CaptureQueriesContext(connection) as many:
        assert officer.get(f"/api/v1/cases/{many_case.pk}/documents").json()["count"] == 6
    assert len(many) == len(few)


def test_r16_notice_corrected_by_reissue_keeps_the_old_version(cw, api_as):
    case = cw.walk(cw.register(), "notified")
    notice = Document.objects.get(subject=case.stream, kind="penalty_notice")
    officer = api_as("officer1")
    url = f"/api/v1/cases/{case.pk}/documents/{notice.pk}/reissue"
    assert officer.post(url, {"corrections": {"contact": "李明 0990-7654321"}}).json()["violations"][0]["code"] == "REASON_REQUIRED"
    response = officer.post(url, {"corrections": {"contact": "李明 0990-7654321"}, "reason": "联系电话笔误"})
    assert response.status_code == 201, response.content
    new = response.json()
    assert new["number"] == notice.number and new["version"] == 2 and new["previous_id"] == notice.pk
    notice.refresh_from_db()
    assert notice.status == "superseded" and Document.objects.get(pk=new["id"]).data["contact"] == "李明 0990-7654321"
    entry = _entries(case, "reissue_document")[-1]
    assert entry.payload["superseded"]["id"] == notice.pk and entry.payload["document_number"] == notice.number
    assert ledger.verify(case.stream) is None
    assert officer.post(url, {"corrections": {"contact": "x"}, "reason": "再改"}).status_code == 409  # superseded
    assert api_as("officer_other").post(f"/api/v1/cases/{case.pk}/documents/{new['id']}/reissue",
                                        {"corrections": {}, "reason": "x"}).status_code == 404
    assert officer.post(f"/api/v1/cases/{case.pk}/documents/{new['id']}/reissue", {"corrections": {}, "reason": "x", "extra": 1}).status_code == 422


def test_r16_served_decision_cannot_be_reissued_only_self_corrected(cw, api_as):
    case = cw.walk(cw.register(), "served")
    decision = Document.objects.get(subject=case.stream, kind="penalty_decision")
    response = api_as("officer1").post(f"/api/v1/cases/{case.pk}/documents/{decision.pk}/reissue",
                                       {"corrections": {"facts": "改"}, "reason": "笔误"})
    assert response.status_code == 409 and response.json()["violations"][0]["code"] == "WRONG_STATE"


def test_r24_amendment_issues_a_new_decision_and_revocation_voids_it(cw):
    case = cw.walk(cw.register(), "served")
    original = Document.objects.get(subject=case.stream, kind="penalty_decision")
    s.correct(case.pk, kind="amend", reason="罚款计算有误", kinds=["fine"], amount=Decimal("3000"), actor=cw.actor("head1"))
    amended = Document.objects.filter(subject=case.stream, kind="penalty_decision").exclude(pk=original.pk).get()
    assert amended.number != original.number and original.number in amended.data["discretion"]
    assert amended.data["penalty"]["content"] == "罚款人民币3000.00元（大写：叁仟元整）"
    s.correct(case.pk, kind="revoke", reason="违法事实不能成立", actor=cw.actor("head1"))
    amended.refresh_from_db()
    assert amended.status == "void" and "违法事实不能成立" in amended.void_reason
    entry = _entries(case, "correct")[-1]
    assert entry.payload["voided_document"]["number"] == amended.number


def test_r16_no_penalty_and_on_the_spot_decisions(cw):
    case = cw.walk(cw.register(no_fault=True), "reviewed")
    s.decide(case.pk, outcome="no_penalty", reasoning="当事人有证据足以证明没有主观过错", education="已对当事人进行教育",
             actor=cw.actor("head1"))
    doc = Document.objects.get(subject=case.stream, kind="no_penalty_decision")
    assert doc.data["legal_basis"] == "《中华人民共和国行政处罚法》第三十三条第二款"
    spot = cw.register(procedure="simple", party_kind="person", party_name="刘某", party_id_code="650200199001000105")
    s.assign_officers(spot.pk, officer_ids=[cw.officer("officer1").pk, cw.officer("officer2").pk], actor=cw.actor("head1"))
    s.show_credentials(spot.pk, actor=cw.actor("officer1"))
    s.inform_rights(spot.pk, actor=cw.actor("officer1"))
    s.decide_on_spot(spot.pk, kinds=["fine"], amount=Decimal("100"), reasoning="占道经营", actor=cw.actor("officer1"))
    doc = Document.objects.get(subject=spot.stream, kind="on_the_spot_decision")
    assert doc.number.startswith("示市监当罚") and doc.data["penalty"]["content"] == "罚款人民币100.00元（大写：壹佰元整）"
    assert "执法证号" in doc.data["officers"]


@pytest.mark.parametrize("typed, expected", [
    ("首次违法、危害后果轻微并及时改正。", "首次违法、危害后果轻微并及时改正"),
    ("  没有主观过错；\n", "没有主观过错"), ("危害后果轻微，", "危害后果轻微"), ("", ""), (None, ""),
    ("情节轻微!。", "情节轻微"), ("已改正", "已改正"),
])
def test_r16_typed_text_set_inside_a_sentence_loses_its_closing_punctuation(typed, expected):
    assert paperwork.clause(typed) == expected


def test_r16_a_typed_reason_ending_in_a_full_stop_joins_the_decision_sentence_once_punctuated(cw):
    """"鉴于{reason}，依据…": the reason as typed ("…改正。") printed "改正。，依据" (DECISION_PUNCTUATION)."""
    from zhifa.documents import kinds

    case = cw.walk(cw.register(), "notified", amount=None, kinds=("warning",))
    s.waive_defence(case.pk, actor=cw.actor("officer1"))
    s.decide(case.pk, outcome="no_penalty", reasoning="首次违法、危害后果轻微并及时改正。", education="已当场说服教育。",
             actor=cw.actor("head1"))
    doc = Document.objects.get(subject=case.stream, kind="no_penalty_decision")
    assert doc.data["reason"] == "首次违法、危害后果轻微并及时改正"
    text = rendering.printed_text(kinds.get("no_penalty_decision"), doc.data)
    assert "鉴于首次违法、危害后果轻微并及时改正，依据" in text and "。，" not in text
    assert Decision.objects.get(case=case).reasoning == "首次违法、危害后果轻微并及时改正。"  # the record keeps what was typed
