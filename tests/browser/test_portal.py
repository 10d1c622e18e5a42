"""The public portal on a phone (issue #19): a citizen checks an officer's certificate, files a
report and follows it by its tracking code; every page stays inside 390 px (no horizontal
scroll) and loads nothing from another host. Screenshots: portal-*.png."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login, shoot
from tests.portal.conftest import frozen, public_data  # noqa: F401 — fixtures
from zhifa.registry.models import Certificate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_r40_r35_citizen_on_a_phone_checks_a_certificate_and_files_and_follows_a_report(chromium, served, world, public_data):
    context = chromium.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True, device_scale_factor=2)
    hosts: set[str] = set()
    context.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    page = context.new_page()
    page.set_default_timeout(15_000)
    base = served.url

    page.goto(f"{base}/public/")
    expect(page.get_by_role("heading", name="行政执法公示")).to_be_visible()
    assert fits(page)
    shoot(page, "portal-home")

    number = Certificate.objects.filter(officer__body=world.market, status="valid").order_by("id").first().number
    page.get_by_label("执法证编号").fill(number)
    page.get_by_role("button", name="查询执法证").click()
    result = page.get_by_test_id("cert-result")
    expect(result).to_contain_text("有效")
    expect(result).to_contain_text(world.market.name)
    assert page.locator("[data-testid=cert-result] svg").count() == 1
    assert fits(page)
    shoot(page, "portal-certificate")

    page.goto(f"{base}/public/complaints/new/?body={world.market.pk}")
    page.get_by_label("举报（可匿名）").check()
    page.get_by_label("标题").fill("执法人员检查时未出示证件")
    page.get_by_label("事实和理由").fill("今天上午两名执法人员到店检查，未出示执法证件，要求出示被拒绝。")
    page.get_by_label("匿名举报", exact=False).check()
    assert fits(page)
    shoot(page, "portal-complaint-form")
    page.get_by_test_id("complaint-submit").click()
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    assert code.startswith("TS") and len(code) == 14
    assert fits(page)
    shoot(page, "portal-complaint-filed")

    page.goto(f"{base}/public/complaints/")
    page.get_by_test_id("lookup-code").fill(code.lower())
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("complaint-state")).to_contain_text("已登记，待决定是否受理")
    assert fits(page)

    for path, name in ((f"/public/bodies/{world.market.pk}/", "portal-body"), ("/public/decisions/", "portal-decisions"),
                       (f"/public/decisions/{public_data['person'].pk}/", "portal-decision"),
                       (f"/public/inspections/draws/{public_data['draw'].pk}/", "portal-draw"),
                       ("/public/guidance/?q=食品", "portal-guidance"), ("/public/items/", None),
                       ("/public/benchmarks/", None), ("/public/lists/exemptions/", None), ("/public/inspections/", None),
                       ("/public/procedures/", "portal-procedures"), ("/public/complaints/", None)):
        page.goto(base + path)
        assert fits(page), path
        if name:
            shoot(page, name)
    assert hosts == {urlparse(base).netloc}, hosts
    context.close()

    # The body's head accepts it (without ever seeing who filed it); the citizen sees the change.
    staff, desk = login(chromium, served, "head1", {"width": 1366, "height": 900})
    desk.goto(f"{base}/complaints/")
    desk.get_by_role("link", name=code).click()
    expect(desk.get_by_test_id("identity")).to_have_text("匿名")
    desk.get_by_test_id("act-accept").click()
    expect(desk.locator("h1")).to_contain_text(code)
    shoot(desk, "portal-staff-complaint")
    staff.close()
    citizen = chromium.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True)
    again = citizen.new_page()
    again.goto(f"{base}/public/complaints/{code}/")
    expect(again.get_by_test_id("complaint-state")).to_contain_text("已受理，正在处理")
    citizen.close()
