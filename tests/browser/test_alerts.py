"""The alert pages in a real browser (R33): the office filters the list, opens an unequal-penalty
alert with its comparable cases and turns an overdue one into a notice; the body contests one.
Screenshots: alerts.png, alert-unequal.png, alert-rules.png."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS
from tests.cases.conftest import TODAY, cw, deferred_documents  # noqa: F401 — the case world and deferred rendering
from zhifa.cases.models import Case, Decision
from zhifa.supervision import services
from zhifa.supervision.models import Alert

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fined(cw, amount, number):  # noqa: F811
    c = cw.register()
    Case.objects.filter(pk=c.pk).update(state="decided", outcome="penalty", decided_on=TODAY - dt.timedelta(days=5), number=number)
    Decision.objects.create(case=c, outcome="penalty", kinds=["fine"], amount=Decimal(amount), decided_on=TODAY - dt.timedelta(days=5),
                            reasoning="当事人销售过期食品，情节一般，依照裁量基准第二档处罚。", benchmark_low=Decimal(1000),
                            benchmark_high=Decimal(10000))
    return c


def test_r33_the_office_reads_an_unequal_penalty_and_converts_an_overdue_step(cw, page_as):  # noqa: F811
    for i, amount in enumerate((5000, 5200, 4800, 5100), start=1):
        _fined(cw, amount, f"示市监罚〔2026〕{i}号")
    _fined(cw, 30000, "示市监罚〔2026〕9号")
    late = cw.register()
    Case.objects.filter(pk=late.pk).update(next_due=TODAY - dt.timedelta(days=4), next_due_kind="filing")
    services.run_alerts(codes=["OVERDUE_STEP", "UNEQUAL_PENALTY", "NO_LEGAL_REVIEWER", "ZERO_CASE_ITEM"], today=TODAY)
    unequal = Alert.objects.get(rule="UNEQUAL_PENALTY")
    overdue = Alert.objects.get(rule="OVERDUE_STEP")

    office = page_as("supervisor")
    base = office.url.rstrip("/")
    office.goto(f"{base}/supervision/alerts/")
    expect(office.get_by_test_id("alert-table")).to_contain_text("同案不同罚")
    office.screenshot(path=str(SCREENSHOTS / "alerts.png"), full_page=True)
    office.select_option("select[name=rule]", "UNEQUAL_PENALTY")
    office.wait_for_url("**rule=UNEQUAL_PENALTY**")
    expect(office.get_by_test_id("alert-table").locator("tbody tr")).to_have_count(1)
    office.goto(f"{base}/supervision/alerts/{unequal.pk}/")
    expect(office.get_by_test_id("alert-comparables")).to_contain_text("5200.00")
    office.screenshot(path=str(SCREENSHOTS / "alert-unequal.png"), full_page=True)
    office.goto(f"{base}/supervision/alerts/{overdue.pk}/")
    convert = office.get_by_test_id("alert-convert")
    convert.locator("textarea").fill("限期补办立案手续并说明逾期原因")
    convert.get_by_role("button").click()
    expect(office.get_by_test_id("alert-state")).to_have_text("已转监督通知书")
    office.goto(f"{base}/supervision/alert-rules/")
    expect(office.get_by_test_id("alert-rules-table")).to_contain_text("UNEQUAL_PENALTY")
    office.screenshot(path=str(SCREENSHOTS / "alert-rules.png"), full_page=True)

    head = page_as("head1")
    head.goto(f"{base}/supervision/alerts/{unequal.pk}/")
    contest = head.get_by_test_id("alert-contest")
    contest.get_by_role("button").click()
    expect(head.locator("[data-code=REASON_REQUIRED]")).to_be_visible()
    head.get_by_test_id("alert-contest").locator("textarea").fill("该案当事人为累犯，决定书已载明从重理由")
    head.get_by_test_id("alert-contest").get_by_role("button").click()
    expect(head.get_by_test_id("alert-state")).to_have_text("异议待决定")
