"""Registry writes in a real browser (R04, R07): head1 records a training and revokes officer2's
certificate on retirement and sees the state change; a bad form shows its errors next to the
fields and writes nothing; officer1 gets no forms. Screenshots go to var/screenshots/."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shoot
from zhifa.registry.models import Certificate, TrainingRecord

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_head_records_training_and_revokes_on_retirement(busy_world, page_as, served):
    officer1, officer2 = busy_world.officers["officer1"], busy_world.officers["officer2"]
    page = page_as("head1")
    page.on("dialog", lambda dialog: dialog.accept())  # the confirm() before a revocation

    # R07: a training for officer1.
    page.goto(f"{served.url}/officers/{officer1.pk}/")
    expect(page.get_by_test_id("manage")).to_be_visible()
    panel = page.locator("#action-training")
    panel.locator("summary").click()
    panel.get_by_label("培训名称").fill("行政处罚法专题培训")
    panel.get_by_label("组织单位").fill("示例市司法局")
    panel.get_by_label("培训日期").fill("2026-11-20")
    panel.get_by_label("学时").fill("12.5")
    panel.get_by_role("button", name="登记培训").click()
    expect(page.locator(".alert-success")).to_contain_text("已登记培训")
    expect(page.get_by_role("cell", name="行政处罚法专题培训")).to_be_visible()
    assert TrainingRecord.objects.filter(officer=officer1, title="行政处罚法专题培训").exists()

    # A bad form: errors next to the fields, the panel stays open, nothing written.
    count = TrainingRecord.objects.count()
    panel = page.locator("#action-training")
    panel.locator("summary").click()
    panel.get_by_label("学时").fill("-3")
    panel.get_by_role("button", name="登记培训").click()
    panel = page.locator("#action-training")
    expect(panel).to_have_attribute("open", "")
    expect(page.locator("#id_training-name_error")).to_have_text("请填写培训名称。")
    expect(page.locator("#id_training-held_on_error")).to_have_text("请填写培训日期。")
    expect(page.locator("#id_training-hours_error")).to_have_text("学时应大于0。")
    shoot(page, "officer-write-errors")
    assert TrainingRecord.objects.count() == count

    # R04: officer2 retires; the certificate is revoked and the page says so.
    page.goto(f"{served.url}/officers/{officer2.pk}/")
    expect(page.locator(".card", has_text="当前执法证").first).to_contain_text("有效")
    panel = page.locator("#action-revoke")
    panel.locator("summary").click()
    panel.get_by_label("注销原因").select_option("retirement")
    panel.get_by_label("说明").fill("2026年11月退休")
    panel.get_by_role("button", name="注销执法证").click()
    expect(page.locator(".alert-success")).to_contain_text("已注销（退休）")
    expect(page.locator(".card", has_text="当前执法证").first).to_contain_text("已注销")
    expect(page.locator("#action-revoke")).to_have_count(0)
    expect(page.get_by_role("cell", name="2026年11月退休")).to_be_visible()
    shoot(page, "officer-revoked")
    cert = officer2.certificates.order_by("-issued_on").first()
    assert (cert.status, cert.revocation_reason) == (Certificate.Status.REVOKED, "retirement")


def test_officer1_sees_no_forms(busy_world, page_as, served):
    page = page_as("officer1")
    page.goto(f"{served.url}/officers/{busy_world.officers['officer2'].pk}/")
    expect(page.get_by_role("heading", name="王芳")).to_be_visible()
    expect(page.get_by_test_id("manage")).to_have_count(0)
    expect(page.locator("details.action-panel")).to_have_count(0)
    expect(page.get_by_role("button", name="今日结束")).to_have_count(0)
    page.goto(f"{served.url}/bodies/{busy_world.market.pk}/")
    expect(page.get_by_text("录用人员")).to_have_count(0)
