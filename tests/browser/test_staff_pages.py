"""The staff pages in a real browser: login, role home pages, lists, the health view, and that
private data never reaches someone outside the scope. Screenshots go to var/screenshots/ (ZHIFA_SCREENSHOTS overrides)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shoot
from zhifa.core.redaction import mask_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_form_rejects_a_wrong_password(chromium, served):
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{served.url}/officers/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/officers/"))
    expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()
    shoot(page, "login")
    page.fill("#id_username", "officer1")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    expect(page.get_by_text("用户名或密码不正确")).to_be_visible()
    context.close()


def test_supervisor_home_and_health_view_show_flags(busy_world, page_as):
    page = page_as("supervisor")
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    expect(page.get_by_text("队伍健康度预警（按类型）")).to_be_visible()
    expect(page.locator(".stat").first).to_contain_text("执法主体")
    shoot(page, "home-supervisor")

    page.get_by_role("link", name="队伍健康度", exact=True).click()
    expect(page).to_have_url(re.compile(r"/registry/health/$"))
    summary = page.get_by_test_id("flag-summary")
    expect(summary).to_contain_text("未配备法制审核人员")
    expect(summary).to_contain_text("执法证已过期未换发")
    table = page.get_by_test_id("flag-table")
    expect(table).to_contain_text("赵强")
    expect(table).to_contain_text("市人大常委会决定第四部分（R06）")
    shoot(page, "health")

    # Clicking a kind narrows the table (full-page GET; htmx swaps the table for the filter form).
    page.locator(".flag-kind", has_text="借调或从事非执法工作").click()
    expect(page).to_have_url(re.compile(r"kind=SECONDED"))
    expect(page.get_by_test_id("flag-table")).to_contain_text("示例市创建全国文明城市指挥部")
    expect(page.get_by_test_id("flag-table")).not_to_contain_text("赵强")

    # The filter form swaps the table in place with htmx and keeps the URL shareable.
    page.goto(f"{page.url.split('?')[0]}")
    page.select_option("#id_kind", "CERTIFICATE_EXPIRED")
    expect(page).to_have_url(re.compile(r"kind=CERTIFICATE_EXPIRED"))
    expect(page.get_by_test_id("flag-table")).to_contain_text("赵强")
    expect(page.get_by_test_id("flag-table")).not_to_contain_text("年度培训学时不足")


def test_officer1_home_officers_list_and_no_private_data_of_others(busy_world, page_as):
    page = page_as("officer1")
    expect(page.get_by_text("我的行政执法证")).to_be_visible()
    expect(page.get_by_text("示例市市场监督管理局").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("/ 60 学时")
    expect(page.get_by_role("link", name="队伍健康度")).to_have_count(0)
    shoot(page, "home-officer")

    page.get_by_role("link", name="执法人员", exact=True).click()
    table = page.get_by_test_id("officer-table")
    expect(table).to_contain_text("李明")
    expect(table).to_contain_text("赵强")
    expect(table).not_to_contain_text("吴城")  # another body
    expect(table.locator(".badge-expired")).to_contain_text("已过期")

    # Sorting by a column header keeps working without a full reload.
    page.get_by_role("link", name=re.compile("有效期至")).click()
    expect(page).to_have_url(re.compile(r"sort=expires"))
    expect(page.get_by_test_id("officer-table").locator("tbody tr").first).to_contain_text("赵强")

    other = busy_world.officers["officer_other"]
    page.goto(f"{page.url.split('/officers/')[0]}/officers/{other.pk}/")
    expect(page.get_by_test_id("public-only")).to_be_visible()
    body = page.locator("body")
    expect(body).to_contain_text("吴城")
    expect(body).not_to_contain_text(other.id_number)
    expect(body).not_to_contain_text(other.phone)
    expect(body).not_to_contain_text("培训记录")


def test_supervisor_officers_list_filters_and_pages(busy_world, page_as):
    page = page_as("supervisor")
    page.get_by_role("link", name="执法人员", exact=True).click()
    expect(page.get_by_test_id("officer-table")).to_contain_text("吴城")
    shoot(page, "officers")
    page.fill("#id_q", "赵强")
    expect(page).to_have_url(re.compile(r"q=%E8%B5%B5%E5%BC%BA|q=赵强"))
    expect(page.get_by_test_id("officer-table").locator("tbody tr")).to_have_count(1)
    # Supervisors see private data within their subtree.
    page.get_by_test_id("officer-table").get_by_role("link", name="赵强").click()
    # The supervisor sees a colleague's ID number masked (the person, their head and the administrator
    # may show it in full, logged: core/security/personal.py).
    expect(page.locator("body")).to_contain_text(mask_id_number(busy_world.officers["officer3"].id_number))
    expect(page.locator("body")).not_to_contain_text(busy_world.officers["officer3"].id_number)
    expect(page.locator("body")).to_contain_text("执法证记录")


def test_aux1_is_refused_the_health_view(served, page_as):
    page = page_as("aux1")
    response = page.goto(f"{served.url}/registry/health/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="无权访问")).to_be_visible()


def test_logout_returns_to_login(page_as, served):
    page = page_as("head1")
    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto(f"{served.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/"))


def test_supervisor_jurisdictions_body_and_items(busy_world, page_as, served):
    page = page_as("supervisor")
    page.locator("nav.nav").get_by_role("link", name="区划与层级").click()
    expect(page.locator(".tree").first).to_contain_text("示例镇综合行政执法队")
    expect(page.locator(".tree-head").first).to_contain_text("主体 6 个")
    shoot(page, "jurisdictions")

    page.goto(f"{served.url}/bodies/{busy_world.market.pk}/")
    expect(page.get_by_role("heading", name="示例市市场监督管理局")).to_be_visible()
    expect(page.locator("body")).to_contain_text(busy_world.market.supervision_phone)
    expect(page.locator("body")).to_contain_text("对生产经营不符合食品安全标准的食品的处罚")
    shoot(page, "body-detail")

    page.get_by_role("link", name="执法事项", exact=True).click()
    page.select_option("#id_kind", "coercion")
    expect(page).to_have_url(re.compile(r"kind=coercion"))
    expect(page.get_by_test_id("item-table").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("item-table")).to_contain_text("查封、扣押")

    page.goto(f"{served.url}/officers/{busy_world.officers['officer2'].pk}/")
    expect(page.locator("body")).to_contain_text("示例市创建全国文明城市指挥部")
    shoot(page, "officer-detail")


def test_head_import_form_says_what_is_wrong_next_to_the_field(page_as):
    page = page_as("head1")
    page.locator("nav.nav").get_by_role("link", name="数据导入").click()
    expect(page.get_by_role("heading", name="数据导入")).to_be_visible()
    page.get_by_role("button", name=re.compile("开始")).click()
    expect(page.locator("#import-panel .field.has-error")).to_contain_text("请选择要上传的文件。")
    shoot(page, "imports")
