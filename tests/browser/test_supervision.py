"""The evaluation form and the notice loop in a real browser (issue 17): the evaluator marks the
sheet beside the file's PDF and sees the grade; a head answers a notice with evidence, the office
accepts it and the notice closes."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.cases.conftest import cw, deferred_documents  # noqa: F401 — the case world and deferred rendering
from zhifa.supervision import inputs, services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_r31_the_evaluator_fills_the_sheet_beside_the_file(cw, page_as, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    case = cw.walk(cw.register(), "archived")
    ev = services.assign_evaluation(inputs.EvaluationIn(case_id=case.pk, evaluator_id=cw.world.users["officer_other"].pk),
                                    actor=cw.actor("supervisor"))
    services.ensure_case_file_pdf(ev.case_file_id)  # the file's PDF made before the page asks for it
    page = page_as("officer_other")
    # the page's PDF frame is answered before the test ends: a request still running in the live
    # server when the test's database is flushed deadlocks the flush (PostgreSQL)
    with page.expect_response(lambda r: f"/supervision/evaluations/{ev.pk}/file" in r.url, timeout=60_000):
        page.goto(f"{page.url.rstrip('/')}/supervision/evaluations/{ev.pk}/", wait_until="domcontentloaded")
    form = page.get_by_test_id("evaluation-form")
    expect(form).to_contain_text("文明规范（着装、举止、用语）")
    expect(page.locator("iframe[title='卷宗 PDF']")).to_have_attribute("src", f"/api/v1/supervision/evaluations/{ev.pk}/file?inline=true")
    page.fill("input[name=item_C3]", "1")
    page.fill("input[name=item_C3_comment]", "用语不规范")
    page.get_by_test_id("submit-evaluation").click()
    expect(page.get_by_test_id("grade")).to_have_text("优秀")
    expect(page.get_by_test_id("score")).to_have_text("99.0")


def test_r32_a_notice_is_answered_with_evidence_and_closed(cw, page_as):  # noqa: F811
    notice = services.issue_notice(inputs.NoticeIn(kind="supervision_notice", body_id=cw.world.market.pk, source="complaint",
                                                   findings="送达回证缺少签名", basis="行政处罚法第六十一条", rectify="补正送达手续"),
                                   actor=cw.actor("supervisor"))
    head = page_as("head1")
    base = head.url.rstrip("/")
    head.goto(f"{base}/supervision/notices/{notice.pk}/")
    respond = head.get_by_test_id("notice-respond")
    respond.locator("textarea").fill("已补正送达回证")
    respond.get_by_role("button").click()
    expect(head.locator("[data-code=RECTIFICATION_EVIDENCE_REQUIRED]")).to_be_visible()
    respond = head.get_by_test_id("notice-respond")
    respond.locator("textarea").fill("已补正送达回证")
    respond.locator("#evidence-title").fill("补正后的送达回证")
    respond.get_by_role("button").click()
    expect(head.get_by_test_id("notice-state")).to_have_text("已反馈待审核")
    office = page_as("supervisor")
    office.goto(f"{base}/supervision/notices/{notice.pk}/")
    accept = office.get_by_test_id("notice-accept")
    accept.locator("textarea").fill("整改到位")
    accept.get_by_role("button").click()
    expect(office.get_by_test_id("notice-state")).to_have_text("已办结")
    expect(office.get_by_test_id("notice-steps")).to_contain_text("补正后的送达回证")
