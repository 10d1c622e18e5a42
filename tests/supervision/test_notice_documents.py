"""Supervision notices as documents of the set and their escalation when overdue (R32; issue 17):
the 通知书 / 意见书 / 决定书 rendered (number, PDF and DOCX via the documents app) in the name of the
supervision body, served to the body; a notice left unanswered past its deadline is reminded, then
escalated to the government and the higher office (working days, legal-rules §J, O825 art.6),
each step recorded, shown on the office's to-do list, run by ``zhifa sweep``."""
from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tests.conftest import TODAY
from zhifa.core import clock, ledger, workdays
from zhifa.supervision import inputs, services
from zhifa.supervision.models import SupervisionNotice
from zhifa.supervision.rules import notices as rules

pytestmark = pytest.mark.django_db
EVIDENCE = [{"title": "整改报告", "description": "已补正送达回证", "sha256": "a" * 64}]


def issue(cw, kind="supervision_notice"):
    return services.issue_notice(inputs.NoticeIn(kind=kind, body_id=cw.world.market.pk, source="complaint",
                                                 findings="送达回证缺少受送达人签名", basis="《中华人民共和国行政处罚法》第六十一条",
                                                 rectify="补正送达手续并报送整改情况"), actor=cw.actor("supervisor"))


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("kind,title", [("supervision_notice", "行政执法监督通知书"), ("supervision_decision", "行政执法监督决定书")])
def test_r32_a_notice_is_a_document_of_the_set_served_to_the_body(cw, api_as, media_root, kind, title):
    notice = issue(cw, kind)
    assert notice.served_on == TODAY and not notice.pdf  # deferred rendering: made on first download
    head = api_as("head1")
    pdf = head.get(f"/api/v1/supervision/notices/{notice.pk}/document", format="pdf")
    assert pdf.status_code == 200
    text = pdf_text(b"".join(pdf.streaming_content)).replace(" ", "").replace("\n", "")
    assert title in text and notice.number in text and cw.world.market.name in text and "司法局" in text
    docx = head.get(f"/api/v1/supervision/notices/{notice.pk}/document", format="docx")
    assert docx.status_code == 200 and b"".join(docx.streaming_content).startswith(b"PK")
    notice.refresh_from_db()
    entry = ledger.RecordEntry.objects.filter(stream=notice.stream).order_by("-seq").first()
    assert entry.action == "notice_rendered" and entry.payload["pdf_sha256"] == notice.pdf_sha256 and len(notice.docx_sha256) == 64
    body = head.get(f"/api/v1/supervision/notices/{notice.pk}").json()
    assert body["served_on"] == TODAY.isoformat() and body["document"]["pdf_sha256"] == notice.pdf_sha256
    assert api_as("officer_other").get(f"/api/v1/supervision/notices/{notice.pk}/document").status_code == 404
    assert api_as(None).get(f"/api/v1/supervision/notices/{notice.pk}/document").status_code == 401


def test_r32_with_immediate_rendering_the_issue_entry_names_the_documents_hashes(cw, media_root):
    from zhifa.documents.modes import IMMEDIATE, render_mode

    with render_mode(IMMEDIATE):
        notice = issue(cw, "supervision_opinion")
    entry = ledger.RecordEntry.objects.get(stream=notice.stream, action="issue")
    assert notice.pdf and entry.payload["pdf_sha256"] == notice.pdf_sha256 and entry.payload["docx_sha256"] == notice.docx_sha256


def test_r32_escalation_rule_reminds_then_escalates_in_working_days():
    add = lambda day, n: workdays.add_working_days(day, n).date  # noqa: E731
    due = TODAY
    step = lambda today, reminded=None, state=rules.ISSUED: rules.escalation_step(  # noqa: E731
        state, due, reminded, None, today, add_workdays=add, reminder_after=1, escalate_after=5)
    assert step(due) is None and step(add(due, 1)) == rules.REMIND
    reminded = add(due, 1)
    assert step(add(reminded, 4), reminded) is None and step(add(reminded, 5), reminded) == rules.ESCALATE
    assert step(add(due, 30), state=rules.RESPONDED) is None  # answered: nothing to escalate


def test_r32_an_overdue_notice_is_reminded_then_escalated_by_the_sweep_and_shown_to_the_office(cw, client):
    notice, answered = issue(cw), issue(cw)
    services.act_on_notice(answered.pk, "respond", inputs.NoticeActionIn(text="已整改", evidence=EVIDENCE), actor=cw.actor("head1"))
    assert services.sweep_notices(notice.due) == "监督通知书逾期督办：催办 0 件，报请处理 0 件。"
    remind_day = workdays.add_working_days(notice.due, 1).date
    with clock.frozen(remind_day):
        out = io.StringIO()
        call_command("sweep", stdout=out)
        assert "监督通知书逾期督办：催办 1 件，报请处理 0 件。" in out.getvalue()
        assert services.sweep_notices() == "监督通知书逾期督办：催办 0 件，报请处理 0 件。"  # once
        client.force_login(cw.world.users["supervisor"])
        home = client.get("/").content.decode()
        assert notice.number in home and "已催办" in home
    notice.refresh_from_db()
    assert notice.reminded_on == remind_day and not notice.escalated_on
    escalate_day = workdays.add_working_days(remind_day, 5).date
    assert services.sweep_notices(escalate_day) == "监督通知书逾期督办：催办 0 件，报请处理 1 件。"
    notice.refresh_from_db()
    assert notice.escalated_on == escalate_day and notice.escalated_to.startswith(f"{notice.issuer.name}人民政府")
    actions = list(ledger.RecordEntry.objects.filter(stream=notice.stream).order_by("seq").values_list("action", flat=True))
    assert actions == ["issue", "remind", "escalate"] and ledger.verify(notice.stream) is None
    assert list(notice.steps.values_list("action", flat=True)) == ["issue", "remind", "escalate"]
    assert SupervisionNotice.objects.get(pk=answered.pk).reminded_on is None
    with clock.frozen(escalate_day):
        page = client.get(f"/supervision/notices/{notice.pk}/").content.decode()
        assert 'data-testid="notice-escalated"' in page and "逾期报请处理" in page
        assert services.sweep_notices() == "监督通知书逾期督办：催办 0 件，报请处理 0 件。"


def test_r32_in_worker_mode_the_notice_document_is_made_by_the_worker(cw, monkeypatch, media_root):
    from types import SimpleNamespace

    from zhifa.documents.modes import render_mode
    from zhifa.supervision import tasks

    queued, task = [], tasks.render_notice
    monkeypatch.setattr(tasks, "render_notice", SimpleNamespace(enqueue=queued.append))
    with render_mode("worker"):
        notice = issue(cw)
    assert queued == [notice.pk] and not notice.pdf
    assert task.func(notice.pk) == "已生成"
    notice.refresh_from_db()
    assert notice.pdf and notice.docx and ledger.RecordEntry.objects.filter(stream=notice.stream, action="notice_rendered").count() == 1
