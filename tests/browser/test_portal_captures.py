"""R22 on a phone (issue #16): the party notified of an off-site capture opens its page by the
lookup code at 390 px, sees the facts and the image, and states and defends online; the page then
shows what was submitted. Screenshots: portal-capture-*.png."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shoot
from tests.cases.conftest import CaseWorld
from tests.offsite.conftest import frozen_clock, ow, row  # noqa: F401 — fixtures
from zhifa.offsite import services
from zhifa.offsite.models import Capture, PartyStatement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (640, 360), (90, 120, 160)).save(out, "JPEG")
    return out.getvalue()


def test_r22_party_on_a_phone_opens_its_capture_and_states_its_defence(chromium, served, ow):
    device = ow.device()
    ow.upload(device, [row(1)], {"img1.jpg": _jpeg()})
    c = Capture.objects.get()
    services.review_capture(c.pk, accepted=True, actor=ow.actor("officer1"))
    services.capture_to_case(c.pk, actor=ow.actor("officer1"))
    c.refresh_from_db()
    CaseWorld(ow.world, ow.item).walk(c.case, "notified", amount=Decimal("200"))

    context = chromium.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{served.url}/public/")
    page.get_by_role("link", name="电子监控记录查询", exact=False).click()
    page.get_by_test_id("capture-code").fill(c.lookup_code.lower())
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("capture-facts")).to_contain_text("新A00001")
    expect(page.get_by_test_id("capture-case")).to_contain_text(c.case.number)
    assert page.evaluate("document.querySelector('[data-testid=capture-image]').naturalWidth") == 640
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(page, "portal-capture")

    page.get_by_label("陈述、申辩的事实和理由").fill("当日该路段标线被积雪覆盖，无法辨认，请求不予处罚。")
    page.get_by_test_id("statement-submit").click()
    expect(page.get_by_test_id("statement-done")).to_contain_text("已记入案件全过程记录")
    expect(page.get_by_test_id("statement-text")).to_contain_text("积雪覆盖")
    assert page.get_by_test_id("statement-form").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(page, "portal-capture-stated")
    context.close()
    assert PartyStatement.objects.get().case_id == c.case_id
