"""Progress on long work in a real browser (issue 20 point 5): the supervision office asks for the
congress report's PDF; the page does not freeze on the download but shows the job's card, then the
link to the file made, which downloads a PDF."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_r37_congress_pdf_generated_with_a_progress_card_then_downloaded(world, page_as, served, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page = page_as("supervisor")
    page.goto(f"{served.url}/supervision/reports/congress/?year=2026")
    page.get_by_test_id("congress-pdf").click()
    card = page.get_by_test_id("work-job")
    expect(card).to_contain_text("生成2026年度人大报告（PDF）")
    expect(card).to_have_attribute("data-status", "done", timeout=60_000)
    with page.expect_download() as got:
        card.get_by_test_id("work-job-result").click()
    path = got.value.path()
    with open(path, "rb") as f:
        assert f.read(4) == b"%PDF"
    assert got.value.suggested_filename == "congress-report-2026.pdf"
